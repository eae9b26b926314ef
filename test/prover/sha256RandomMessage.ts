import { createHash } from "node:crypto";
import { seededDraw } from "./seededDraw.js";

/** The SHA-256 preimage circuits' witness input: the message's bytes and its digest as two 128-bit halves. */
export type Sha256PreimageInput = { message: bigint[]; digestHi: bigint; digestLo: bigint };

export type Sha256RandomMessage = {
  witnessInput: Sha256PreimageInput;
  /** What the circuit must output: the message's SHA-256 (node:crypto) as two big-endian 128-bit halves. */
  publicSignals: string[];
};

/**
 * A message of `bytes` bytes for seed `seed` (32 bytes per named draw) and the witness input of the SHA-256
 * preimage circuits. Every byte string is a valid preimage of its own digest, so every seed takes the same path
 * through the prover: nothing here can make a test flaky.
 */
export function sha256RandomMessage(seed: number, bytes: number): Sha256RandomMessage {
  const draw = seededDraw(`teezk/differential/sha256_${bytes}/${seed}`);
  const blocks = Array.from({ length: Math.ceil(bytes / 32) }, (_, i) => Buffer.from(draw(`message/${i}`).toString(16).padStart(64, "0"), "hex"));
  const witnessInput = sha256PreimageInput(Buffer.concat(blocks).subarray(0, bytes));
  return { witnessInput, publicSignals: [witnessInput.digestHi, witnessInput.digestLo].map(String) };
}

/** `message` and its SHA-256 (node:crypto), big-endian halves, as the preimage circuits take them. */
export function sha256PreimageInput(message: Uint8Array): Sha256PreimageInput {
  const digest = createHash("sha256").update(message).digest();
  return {
    message: [...message].map(BigInt),
    digestHi: BigInt(`0x${digest.subarray(0, 16).toString("hex")}`),
    digestLo: BigInt(`0x${digest.subarray(16).toString("hex")}`),
  };
}
