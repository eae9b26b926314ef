import { readFileSync, statSync, writeFileSync } from "node:fs";
import cliProgress from "cli-progress";
import { isTeezkError } from "../errors/index.js";
import { createGroth16Prover, type ProveStage } from "../prover/index.js";
import { ExitCode, UsageError, type CliIo } from "./main.js";

export type ProveCommandOptions = {
  circuit: string;
  witness: string;
  out?: string;
  json?: boolean;
  /** Seconds before the prover process is killed; default 600. */
  timeout?: string;
};

/** A witness file larger than this is refused before it is read (2^20 leaves of 78 digits fit well below). */
const MAX_WITNESS_FILE_BYTES = 128 * 1024 * 1024;

/** Where the bar is drawn: stderr, so stdout stays the proof (or the --json report). */
export type ProgressStream = NodeJS.WriteStream | (NodeJS.WritableStream & { isTTY?: boolean });

/**
 * `teezk prove --circuit <name> --witness <file> [--out <file>] [--json]`: one Groth16 proof with the groth16
 * backend, a progress bar on stderr (stage and elapsed time; a line per stage and every 5 s when stderr is not a
 * terminal, so CI logs show a long proof is alive), and the proof's time and peak memory.
 *
 * Output: with `--out`, the proof document `{circuit, proof, publicSignals}` goes to the file and stdout gets the
 * summary (or, with `--json`, `{ok, circuit, proof, publicSignals, timings, peakRssMiB, out}`); without `--out`,
 * stdout gets the proof document (the JSON report with `--json`) and the summary goes to stderr, so
 * `teezk prove … > proof.json` works. Exit 0 proved, 1 failed (code in the message / JSON), 2 usage.
 */
export async function proveCommand(options: ProveCommandOptions, io: CliIo, stream: ProgressStream = process.stderr): Promise<number> {
  const timeoutMs = parseTimeout(options.timeout);
  const witnessInput = readWitness(options.witness);
  const prover = createGroth16Prover({ timeoutMs });
  const bar = createBar(stream, options.circuit);
  try {
    const result = await prover.prove({
      circuit: options.circuit,
      witnessInput,
      onProgress: ({ stage, elapsedMs }) => bar.stage(stage, elapsedMs),
    });
    bar.stop();
    const document = { circuit: options.circuit, proof: result.proof, publicSignals: result.publicSignals };
    if (options.out) writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
    const summary = describe(options.circuit, result.timings, result.peakRssMiB);
    if (options.json) {
      io.out(
        `${JSON.stringify({ ok: true, ...document, timings: result.timings, peakRssMiB: result.peakRssMiB ?? null, ...(options.out ? { out: options.out } : {}) })}\n`,
      );
    } else if (options.out) {
      io.out(`${summary}\nproof written to ${options.out}\n`);
    } else {
      io.out(`${JSON.stringify(document, null, 2)}\n`);
      io.err(`${summary}\n`);
    }
    return ExitCode.OK;
  } catch (error) {
    bar.fail();
    if (!isTeezkError(error)) throw error;
    if (options.json) {
      io.out(`${JSON.stringify({ ok: false, code: error.code, message: error.shortMessage, ...(error.details ? { details: error.details } : {}) })}\n`);
    } else {
      io.err(`error: ${error.message}\n`);
    }
    return ExitCode.REJECTED;
  } finally {
    await prover.close();
  }
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return 600_000;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) {
    throw new UsageError(`--timeout must be a whole number of seconds between 1 and 86400, not ${value.slice(0, 40)}`);
  }
  return seconds * 1000;
}

function readWitness(file: string): Record<string, unknown> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new UsageError(`cannot read the witness file ${file}`);
  }
  if (size > MAX_WITNESS_FILE_BYTES) {
    throw new UsageError(`the witness file is ${size} bytes; the cap is ${MAX_WITNESS_FILE_BYTES}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new UsageError(`the witness file ${file} is not JSON (${(error as Error).message.slice(0, 120)})`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError("the witness file must hold one JSON object of signal name → value (numbers above 2^53 as strings)");
  }
  return parsed as Record<string, unknown>;
}

function describe(circuit: string, timings: { ms: number; witnessMs?: number; proveMs?: number }, peakRssMiB: number | undefined): string {
  const ms = (v: number) => `${Math.round(v).toLocaleString("en-US")} ms`;
  const parts = [timings.witnessMs, timings.proveMs].every((v) => v !== undefined)
    ? ` (witness ${ms(timings.witnessMs!)}, prove ${ms(timings.proveMs!)})`
    : "";
  const memory = peakRssMiB === undefined ? "" : `; peak memory ${Math.round(peakRssMiB)} MiB (prover process)`;
  return `proved ${circuit} in ${ms(timings.ms)}${parts}${memory}`;
}

const stageLabel: Record<ProveStage, string> = { witness: "witness", prove: "proving", done: "done" };
const stageValue: Record<ProveStage, number> = { witness: 0, prove: 1, done: 2 };

/**
 * snarkjs reports no progress inside a stage, so the bar moves per stage (witness, proving, done) and the
 * elapsed time is what shows a long proof is alive: redrawn 10 times a second on a terminal, a line every 5 s
 * (and at each stage) elsewhere.
 */
function createBar(stream: ProgressStream, circuit: string) {
  const tty = stream.isTTY === true;
  let label = stageLabel.witness;
  const bar = new cliProgress.SingleBar({
    stream: stream as NodeJS.WritableStream,
    noTTYOutput: true,
    notTTYSchedule: 5000,
    fps: 10,
    hideCursor: tty,
    // Off a terminal each draw already ends its line; clearing there is a no-op that skips the extra newline.
    clearOnComplete: !tty,
    barsize: 24,
    format: (options, params) => {
      const elapsed = ((params.stopTime ?? Date.now()) - params.startTime) / 1000;
      const bar = tty ? `${cliProgress.Format.BarFormat(params.progress, options)} ` : "";
      return `prove ${circuit} ${bar}${label.padEnd(7)} ${elapsed.toFixed(1)} s`;
    },
  }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    stage(next: ProveStage, _elapsedMs: number) {
      label = stageLabel[next];
      if (!started) {
        bar.start(2, stageValue[next]);
        started = true;
        return;
      }
      bar.update(stageValue[next]);
      // Off a terminal cli-progress only draws on its schedule; a stage change is worth a line at once
      // (except done: stop() draws the last line).
      if (!tty && next !== "done") bar.render();
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
    /** The last line says the proof failed, at the time it did (the error follows on stderr or stdout). */
    fail() {
      label = "failed";
      this.stop();
    },
  };
}
