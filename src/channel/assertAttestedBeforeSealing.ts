import type { Address } from "viem";
import { computeBinding } from "../claims/computeBinding.js";
import { TeeType, type VerifiedEvidence } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";
import type { Appraisal } from "../policy/appraise.js";
import type { Hex } from "../util/bytes.js";
import { HPKE_PUBLIC_KEY_BYTES } from "./constants.js";

export type AssertAttestedBeforeSealingParameters = {
  /** The enclave's evidence, already verified by `src/evidence` (signatures, chain, TCB). */
  verified: VerifiedEvidence;
  /** The appraisal of exactly these claims against the client's reference values. */
  appraisal: Appraisal;
  /** The enclave's signing address it announced with the evidence. */
  enclaveAddress: Address;
  /** The HPKE public key the client is about to seal to (raw X25519, 32 bytes). */
  hpkePublicKey: Hex;
  /** The challenge the client sent (32 bytes); a replayed report for another nonce fails the binding. */
  nonce: Hex;
};

export type AssertAttestedBeforeSealingReturnType = { binding: Hex };

/**
 * The client-side gate in front of `sealForAttestedEnclave`: the witness leaves the client only for a key that
 * the attested enclave itself put in its report, for this client's nonce, and only when the appraisal passed.
 * Recomputes DESIGN §3's binding from (enclaveAddress, hpkePublicKey, nonce) and requires it to equal
 * `claims.reportData`; then requires `appraisal.ok`. Throws GPU_NOT_AN_ENCLAVE for GPU claims, BINDING_MISMATCH, or the first failed rule's code
 * (all failures listed in `details`). Returns the binding to seal under.
 *
 * Caller responsibilities: `appraisal` must be the appraisal of `verified.claims` (this function cannot tell
 * an appraisal of other claims apart), and the reference values must pin the measurement the client trusts.
 */
export function assertAttestedBeforeSealing({
  verified,
  appraisal,
  enclaveAddress,
  hpkePublicKey,
  nonce,
}: AssertAttestedBeforeSealingParameters): AssertAttestedBeforeSealingReturnType {
  if (typeof hpkePublicKey !== "string" || !new RegExp(`^0x[0-9a-fA-F]{${HPKE_PUBLIC_KEY_BYTES * 2}}$`).test(hpkePublicKey)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", `The HPKE public key must be ${HPKE_PUBLIC_KEY_BYTES} bytes of 0x-hex (raw X25519)`);
  }
  if (typeof nonce !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(nonce)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "The nonce must be 32 bytes of 0x-hex");
  }
  if (typeof enclaveAddress !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(enclaveAddress)) {
    throw new TeezkError("CHANNEL_PARAMETERS_INVALID", "The enclave address must be 20 bytes of 0x-hex");
  }
  // A GPU signs the nonce its host asks for: its claims are never the enclave a witness is sealed to (DESIGN §2).
  if (verified.claims.teeType === TeeType.NVIDIA_GPU) {
    throw new TeezkError("GPU_NOT_AN_ENCLAVE", "GPU evidence is not an enclave's; the witness was not sealed", {
      metaMessages: ["Seal only to the CPU TEE of composite evidence (assessEvidence), whose report carries the binding."],
    });
  }
  const binding = computeBinding({ enclaveAddress, hpkePublicKey, nonce }).toLowerCase() as Hex;
  const reportData = verified.claims.reportData.toLowerCase();
  if (binding !== reportData) {
    throw new TeezkError("BINDING_MISMATCH", "The evidence does not bind this HPKE key, enclave address and nonce; the witness was not sealed", {
      details: `expected reportData ${binding}, evidence has ${reportData}`,
      metaMessages: [
        "The key may belong to another enclave, or the report was produced for another nonce (replay).",
      ],
    });
  }
  if (appraisal.ok !== true || appraisal.failures.length > 0) {
    const first = appraisal.failures[0];
    throw new TeezkError(first?.code ?? "INTERNAL", "The enclave's evidence failed appraisal; the witness was not sealed", {
      details: first
        ? appraisal.failures.map((failure) => `${failure.rule}: ${failure.code}: ${failure.message}`).join("; ")
        : "the appraisal is not ok but lists no failure",
    });
  }
  return { binding };
}
