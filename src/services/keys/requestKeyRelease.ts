import { isHex, type Address, type Hex } from "viem";
import { z } from "zod";
import { openSealedMessage, type HpkeKeyPair } from "../../channel/index.js";
import { computeBinding } from "../../claims/index.js";
import { TeezkError } from "../../errors/index.js";
import type { EvidenceKind } from "../../evidence/detectEvidenceType.js";
import { requestService } from "../../protocol/index.js";
import { keyReleaseChannelId } from "./constants.js";
import type { KeyReleaseRequestBody } from "./types.js";
import { evidenceAsText } from "../verifier/evidenceAsText.js";

/** What the enclave's TEE produced for the binding it was asked to carry. */
export type KeyReleaseEvidence = { evidence: Uint8Array | string; kind?: EvidenceKind; gpuEvidence?: Uint8Array | string };

export type RequestKeyReleaseParameters = {
  keyId: string;
  /** The enclave's signing address, bound into its evidence. */
  enclaveAddress: Address;
  /** The enclave's HPKE key pair: the key is sealed to its public half and opened with its private half. */
  keyPair: HpkeKeyPair;
  /**
   * Produces evidence whose report data carries `binding` (src/tee collectEvidence on hardware, simulateEvidence
   * in development). Called once, after the service issued the challenge `nonce` the binding was computed from.
   */
  attest: (binding: Hex, nonce: Hex) => Promise<KeyReleaseEvidence> | KeyReleaseEvidence;
  timeoutMs?: number;
};

export type RequestKeyReleaseReturnType = {
  /** The released key, opened inside the enclave. */
  key: Uint8Array;
  binding: Hex;
  nonce: Hex;
  claimsHash: Hex;
};
export type RequestKeyReleaseErrorType = TeezkError;

const challengeSchema = z.object({ nonce: z.string().regex(/^0x[0-9a-fA-F]{64}$/) });
const releaseSchema = z.object({ binding: z.string().regex(/^0x[0-9a-fA-F]{64}$/), claimsHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/), sealed: z.unknown() });

/**
 * The enclave's side of key release: get a challenge, attest to computeBinding(enclaveAddress, hpkePublicKey,
 * nonce), post the evidence, and open the sealed key with the HPKE private key. The service's binding must be
 * the one the enclave attested to, and the key opens only under that binding, the key id and the nonce.
 * Refusals come back with the service's code (KEY_RELEASE_REFUSED, NONCE_REPLAYED, KEY_NOT_FOUND).
 *
 * @example
 * const { key } = await requestKeyRelease(url, {
 *   keyId: "witness-store", enclaveAddress, keyPair,
 *   attest: (binding) => ({ evidence: simulateEvidence({ vendor: "nitro", binding }).evidence }),
 * });
 */
export async function requestKeyRelease(url: string, parameters: RequestKeyReleaseParameters): Promise<RequestKeyReleaseReturnType> {
  const { keyId, enclaveAddress, keyPair } = parameters;
  const base = `${url.replace(/\/+$/, "")}/v1/keys/${encodeURIComponent(keyId)}`;
  const timing = parameters.timeoutMs !== undefined ? { timeoutMs: parameters.timeoutMs } : {};
  const challenge = challengeSchema.safeParse(await requestService(`${base}/challenge`, { method: "POST", body: {}, ...timing, maxResponseBytes: 64 * 1024 }));
  if (!challenge.success) throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered the challenge request without a nonce`);
  const nonce = challenge.data.nonce.toLowerCase() as Hex;
  const binding = computeBinding({ enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce });

  const produced = await parameters.attest(binding, nonce);
  const body: KeyReleaseRequestBody = {
    evidence: evidenceAsText(produced.evidence),
    ...(produced.kind ? { kind: produced.kind } : {}),
    ...(produced.gpuEvidence !== undefined ? { gpuEvidence: evidenceAsText(produced.gpuEvidence) } : {}),
    enclaveAddress,
    hpkePublicKey: keyPair.publicKey,
    nonce,
  };
  const answer = releaseSchema.safeParse(await requestService(`${base}/release`, { body, ...timing, maxResponseBytes: 1024 * 1024 }));
  if (!answer.success) throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered the release request without a sealed key`);
  if (answer.data.binding.toLowerCase() !== binding) {
    throw new TeezkError("BINDING_MISMATCH", "The service sealed the key under another binding than the one this enclave attested to", {
      details: `attested ${binding}, service ${answer.data.binding}`,
    });
  }
  const opened = await openSealedMessage({ keyPair, binding, circuitId: keyReleaseChannelId(keyId), sealed: answer.data.sealed });
  if (opened.requestId !== nonce) {
    throw new TeezkError("CHANNEL_INVALID", "The sealed key was sealed for another challenge");
  }
  const claimsHash = answer.data.claimsHash.toLowerCase();
  if (!isHex(claimsHash)) throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered with a malformed claims hash`);
  return { key: opened.plaintext, binding, nonce, claimsHash };
}
