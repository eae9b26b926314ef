import type { Address, Hex } from "viem";
import type { SealedMessage } from "../channel/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";

/** The key-release service's wire protocol (src/services/keys), shared with the prover nodes that call it. */

/** `POST /v1/keys/:id/challenge` answer. */
export type KeyChallengeBody = { keyId: string; nonce: Hex; expiresAt: string };

/** `POST /v1/keys/:id/release` request body. */
export type KeyReleaseRequestBody = {
  /** Evidence whose report data is computeBinding(enclaveAddress, hpkePublicKey, nonce): hex, base64 or vendor JSON. */
  evidence: string;
  kind?: EvidenceKind;
  gpuEvidence?: string;
  enclaveAddress: Address;
  /** Raw X25519 public key (32 bytes hex) the key is sealed to. */
  hpkePublicKey: Hex;
  /** A challenge this service issued for this key, not used before. */
  nonce: Hex;
};

/** `POST /v1/keys/:id/release` answer: the key, sealed; nothing else about it. */
export type KeyReleaseResponseBody = {
  keyId: string;
  /** The DESIGN §3 binding the evidence carried; the HPKE info binds it. */
  binding: Hex;
  claimsHash: Hex;
  /** Opens with the enclave's HPKE private key, `binding` and circuit id `key-release:<keyId>`; request id = nonce. */
  sealed: SealedMessage;
  archived?: { keyReleaseId: string; evidenceId?: string; appraisalId?: string };
};

/**
 * A witness encrypted by its owner under a releasable key (AES-256-GCM, aad `storedWitnessAad(keyId, circuit)`):
 * `iv` 12 bytes, `ciphertext` the ciphertext with the 16-byte tag appended; each 0x-hex or base64.
 */
export type EncryptedWitness = { iv: string; ciphertext: string };
