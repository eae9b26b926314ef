// The native Groth16 backend's process (zkprogram/groth16, `teezk-groth16`), driven from the prover process:
// JSON requests one per line on its stdin, replies one per line on its stdout, answered in order. Its stdin
// closing (this process exiting or being killed) ends it. Plain JavaScript, like groth16ProverProcess.mjs.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

const stderrTailBytes = 4096;

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
  // A write after the process died (EPIPE) fails the requests instead of crashing the prover process.
  child.stdin.on("error", (error) => failAll(`${binaryPath}: ${error.message}`));
  child.on("exit", (code, signal) => failAll(`${binaryPath} exited (${signal ?? code}): ${stderrTail}`));
  createInterface({ input: child.stdout }).on("line", (line) => {
    const entry = waiting.shift();
    if (!entry) return;
    let reply;
    try {
      reply = JSON.parse(line);
    } catch {
      entry.reject(new Error(`unreadable reply from ${binaryPath}`));
      return;
    }
    if (reply.id !== entry.id) entry.reject(new Error(`reply ${reply.id} out of order (expected ${entry.id})`));
    else if (typeof reply.error === "string") entry.reject(new Error(reply.error));
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

  return {
    async prove(zkeyPath, wtnsBytes) {
      const reply = await request({ op: "prove", zkey: zkeyPath, wtns: Buffer.from(wtnsBytes).toString("hex") });
      return { proof: reply.proof, publicSignals: reply.publicSignals, nativePeakRssMiB: reply.peakRssMiB ?? 0 };
    },
    async verify(verificationKeyPath, proof, publicSignals) {
      const reply = await request({ op: "verify", verificationKey: verificationKeyPath, proof, publicSignals });
      return reply.valid === true;
    },
  };
}
