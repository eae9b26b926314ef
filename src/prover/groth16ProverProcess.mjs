// The groth16 backend's prover process (child_process.fork, IPC). snarkjs' witness calculation and proving are
// CPU-bound and would block the caller's event loop. It is a process, not a worker thread: ffjavascript's
// `web-worker` dependency treats any worker thread as one of its own (it crashes on the missing workerData)
// and could not start its multi-threaded MSM/FFT pool there. Plain JavaScript so it runs under node, tsx, vitest.
import { readFile } from "node:fs/promises";
import * as snarkjs from "snarkjs";
import { createNativeGroth16Process } from "./nativeGroth16Process.mjs";

const send = (message) => process.send?.(message);
const mib = 1024 * 1024;
/** The process's RSS high-water mark (resourceUsage reports KiB). */
const peakRssMiB = () => (process.resourceUsage().maxRSS * 1024) / mib;

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
