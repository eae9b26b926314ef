// The native Groth16 engine's process (zkprogram/groth16, `teezk-groth16`): JSON requests one per line on its
// stdin, replies one per line on its stdout, answered in order; its stdin closing (the owner exiting or being
// killed) ends it, and it keeps each verification key parsed and prepared by path. Plain JavaScript because two
// owners share it: groth16ProverProcess.mjs (proving, beside snarkjs' witness calculator) and the caller's own
// process (createNativeGroth16Verifier.ts: a client's checks, without a hop through a Node.js child).
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const stderrTailBytes = 4096;

/**
 * Starts `binaryPath`. Once it fails (spawn error, exit, a broken pipe, an unreadable or out-of-order reply) every
 * pending and later request fails with the reason; the owner decides whether to start another.
 */
export function createNativeGroth16Process(binaryPath) {
  const child = spawn(binaryPath, [], { stdio: ["pipe", "pipe", "pipe"] });
  const waiting = [];
  let stderrTail = "";
  let failure;
  const failAll = (message) => {
    failure ??= message;
    for (const entry of waiting.splice(0)) entry.reject(new Error(failure));
  };
  child.stderr.setEncoding("utf8").on("data", (chunk) => {
    stderrTail = (stderrTail + chunk).slice(-stderrTailBytes);
  });
  child.on("error", (error) => failAll(`${binaryPath}: ${error.message}`));
  // A write after the process died (EPIPE) fails the requests instead of crashing the owner.
  child.stdin.on("error", (error) => failAll(`${binaryPath}: ${error.message}`));
  child.on("exit", (code, signal) => failAll(`${binaryPath} exited (${signal ?? code}): ${stderrTail}`));
  createInterface({ input: child.stdout }).on("line", (line) => {
    const entry = waiting.shift();
    if (!entry) return;
    let reply;
    try {
      reply = JSON.parse(line);
    } catch {
      failAll(`unreadable reply from ${binaryPath}`);
      entry.reject(new Error(failure));
      return;
    }
    if (reply.id !== entry.id) {
      // Replies are matched by order: one out of place means every later match would be wrong too.
      failAll(`reply ${reply.id} out of order (expected ${entry.id})`);
      entry.reject(new Error(failure));
    } else if (typeof reply.error === "string") entry.reject(new Error(reply.error));
    else entry.resolve(reply);
  });

  let nextId = 1;
  const request = (body) =>
    new Promise((resolve, reject) => {
      if (failure) return reject(new Error(failure));
      const id = nextId++;
      waiting.push({ id, resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, ...body })}\n`);
    });

  /** While idle, the process and its pipes must not keep the owner alive. */
  const setIdle = (idle) => {
    for (const handle of [child, child.stdin, child.stdout, child.stderr]) {
      if (idle) handle.unref?.();
      else handle.ref?.();
    }
  };

  return {
    async prove(zkeyPath, wtnsBytes) {
      const reply = await request({ op: "prove", zkey: zkeyPath, wtns: Buffer.from(wtnsBytes).toString("hex") });
      return { proof: reply.proof, publicSignals: reply.publicSignals, nativePeakRssMiB: reply.peakRssMiB ?? 0 };
    },
    async verify(verificationKeyPath, proof, publicSignals) {
      const reply = await request({ op: "verify", verificationKey: verificationKeyPath, proof, publicSignals });
      return reply.valid === true;
    },
    /** True once it can answer nothing more. */
    get failed() {
      return failure !== undefined;
    },
    setIdle,
    /** Ends it and fails what is pending; resolves when it has exited. */
    async kill() {
      failAll(`${binaryPath} was stopped`);
      setIdle(false);
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
  };
}
