// The groth16 backend's prover process (child_process.fork, IPC). snarkjs' witness calculation and proving are
// CPU-bound and would block the caller's event loop. It is a process, not a worker thread: ffjavascript's
// `web-worker` dependency treats any worker thread as one of its own (it crashes on the missing workerData)
// and could not start its multi-threaded MSM/FFT pool there. Plain JavaScript so it runs under node, tsx, vitest.
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import * as snarkjs from "snarkjs";

const send = (message) => process.send?.(message);
const mib = 1024 * 1024;
/** The process's RSS high-water mark (resourceUsage reports KiB). */
const peakRssMiB = () => (process.resourceUsage().maxRSS * 1024) / mib;

// The native engine's process (zkprogram/groth16, `teezk-groth16`), started from here: JSON requests one per
// line on its stdin, replies one per line on its stdout, answered in order; its stdin closing (this process
// exiting or being killed) ends it. It lives in this file because the compiled CLI copies this script alone
// beside its chunks (scripts/cli/buildCli.ts), so a relative import from here would not resolve there.
const stderrTailBytes = 4096;

function createNativeGroth16Process(binaryPath) {
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

const verificationKeys = new Map();
/** The native backend's process (teezk-groth16), started on the first request that names its binary. */
let native;
const nativeFor = (binaryPath) => (native ??= createNativeGroth16Process(binaryPath));

async function loadVerificationKey(file) {
  let key = verificationKeys.get(file);
  if (!key) {
    key = JSON.parse(await readFile(file, "utf8"));
    verificationKeys.set(file, key);
  }
  return key;
}

function describe(error) {
  return error instanceof Error ? error.message : String(error);
}

async function prove(message) {
  const started = performance.now();
  let stage = "witness";
  try {
    send({ id: message.id, type: "progress", stage, elapsedMs: performance.now() - started });
    const witness = { type: "mem" };
    await snarkjs.wtns.calculate(message.input, message.wasmPath, witness);
    const witnessDone = performance.now();
    stage = "prove";
    send({ id: message.id, type: "progress", stage, elapsedMs: witnessDone - started });
    // Native: this process keeps the wasm witness calculator; the proof is made by teezk-groth16 from the
    // same .zkey, so the memory a proof needs is both processes' peaks together.
    const { proof, publicSignals, nativePeakRssMiB = 0 } = message.nativeBinaryPath
      ? await nativeFor(message.nativeBinaryPath).prove(message.zkeyPath, witness.data)
      : await snarkjs.groth16.prove(message.zkeyPath, witness);
    const proveDone = performance.now();
    send({
      id: message.id,
      type: "result",
      proof,
      publicSignals,
      witnessMs: witnessDone - started,
      proveMs: proveDone - witnessDone,
      peakRssMiB: peakRssMiB() + nativePeakRssMiB,
    });
  } catch (error) {
    send({ id: message.id, type: "error", stage, message: describe(error) });
  }
}

async function verify(message) {
  try {
    const valid = message.nativeBinaryPath
      ? await nativeFor(message.nativeBinaryPath).verify(message.verificationKeyPath, message.proof, message.publicSignals)
      : await snarkjs.groth16.verify(await loadVerificationKey(message.verificationKeyPath), message.publicSignals, message.proof);
    send({ id: message.id, type: "verified", valid });
  } catch (error) {
    send({ id: message.id, type: "error", stage: "verify", message: describe(error) });
  }
}

process.on("message", (message) => {
  if (message.type === "prove") void prove(message);
  else if (message.type === "verify") void verify(message);
});
// The parent going away (crash, close) ends this process too.
process.on("disconnect", () => process.exit(0));
