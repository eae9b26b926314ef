import { sign, type KeyObject } from "node:crypto";

const SIGNED_BYTES = 0x2a0;
const SIGNATURE_END = 0x4a0;

/**
 * A copy of an SEV-SNP ATTESTATION_REPORT signed with `privateKey` the way the AMD secure processor signs it:
 * ECDSA P-384/SHA-384 over bytes [0, 0x2A0), R and S little-endian in 72-byte slots (ABI spec 56860 §7.3).
 */
export function signSnpReport(report: Uint8Array, privateKey: KeyObject): Uint8Array {
  const out = new Uint8Array(report);
  const signature = sign("sha384", out.subarray(0, SIGNED_BYTES), { key: privateKey, dsaEncoding: "ieee-p1363" });
  out.fill(0, SIGNED_BYTES, SIGNATURE_END);
  out.set(Uint8Array.from(signature.subarray(0, 48)).reverse(), SIGNED_BYTES);
  out.set(Uint8Array.from(signature.subarray(48, 96)).reverse(), SIGNED_BYTES + 72);
  return out;
}
