import { spawn } from "node:child_process";
import { isErrorCode, TeezkError } from "../errors/index.js";

export type RunHostProcessParameters = {
  file: string;
  args: readonly string[];
  stdin: string;
  timeoutMs: number;
  maxStdoutBytes: number;
  env?: NodeJS.ProcessEnv;
  /** Called with each complete stderr line (the host's progress log). */
  onStderrLine?: (line: string) => void;
};

export type RunHostProcessReturnType = { stdout: string; stderrTail: string };

const stderrTailBytes = 8192;

/**
 * The teezk-zk host reports a rejection as one last stderr line `{"code","message"}` with a code of
 * src/errors/codes.ts; keeping that code (SIGNATURE_INVALID, SP1_UNAVAILABLE, …) lets a caller handle a Rust
 * verdict exactly like a TypeScript one. Anything else is the host's free-form log.
 */
function hostError(stderrTail: string): TeezkError | undefined {
  const line = stderrTail.trim().split("\n").pop() ?? "";
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  const { code, message } = (value ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code !== "string" || !isErrorCode(code) || typeof message !== "string") return undefined;
  return new TeezkError(code, message.slice(0, 2000));
}

/**
 * Runs a host binary with `stdin`, bounded in time and output. Rejects with a TeezkError: SP1_UNAVAILABLE when
 * the binary cannot be started (missing); the host's own code when it exits non-zero with a typed error line
 * on stderr; PROVER_FAILED on any other non-zero exit, signal, timeout or oversized output.
 */
export function runHostProcess(parameters: RunHostProcessParameters): Promise<RunHostProcessReturnType> {
  return new Promise((resolve, reject) => {
    const child = spawn(parameters.file, parameters.args, {
      stdio: ["pipe", "pipe", "pipe"],
      env: parameters.env ?? process.env,
      // Its own process group, so a kill reaches grandchildren that would otherwise hold the pipes open.
      detached: true,
    });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderrTail = "";
    let stderrLine = "";
    let failure: TeezkError | undefined;
    const fail = (error: TeezkError) => {
      if (!failure) failure = error;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(
      () => fail(new TeezkError("PROVER_FAILED", `${parameters.file} did not finish within ${parameters.timeoutMs} ms`)),
      parameters.timeoutMs,
    );
    child.stdout.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > parameters.maxStdoutBytes) {
        fail(new TeezkError("PROVER_FAILED", `${parameters.file} wrote more than ${parameters.maxStdoutBytes} bytes`));
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      stderrTail = (stderrTail + text).slice(-stderrTailBytes);
      if (parameters.onStderrLine) {
        stderrLine += text;
        const lines = stderrLine.split("\n");
        stderrLine = lines.pop()!.slice(-stderrTailBytes);
        for (const line of lines) parameters.onStderrLine(line);
      }
    });
    // A child that exits before reading stdin makes the write fail with EPIPE: the exit code tells the story.
    child.stdin.on("error", () => {});
    child.on("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        error.code === "ENOENT"
          ? new TeezkError("SP1_UNAVAILABLE", `the SP1 host binary ${parameters.file} was not found`, { cause: error })
          : new TeezkError("PROVER_FAILED", `could not start ${parameters.file}`, { details: error.message, cause: error }),
      );
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (failure) return reject(failure);
      if (code !== 0) {
        const typed = signal ? undefined : hostError(stderrTail);
        if (typed) return reject(typed);
        return reject(
          new TeezkError("PROVER_FAILED", `${parameters.file} exited with ${signal ? `signal ${signal}` : `code ${code}`}`, {
            details: stderrTail.trim() || undefined,
          }),
        );
      }
      resolve({ stdout: Buffer.concat(stdout).toString("utf8"), stderrTail });
    });
    child.stdin.end(parameters.stdin);
  });
}
