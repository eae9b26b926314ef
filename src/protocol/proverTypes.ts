import type { Address, Hex } from "viem";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import type { Groth16Proof } from "../prover/types.js";
import type { EncryptedWitness } from "./keyReleaseTypes.js";

/**
 * The prover node's wire protocol (DESIGN §5), shared by the node (src/services/prover) and the delegation client
 * (src/client): what travels over HTTP, in JSON.
 */

/** `GET /v1/attestation?nonce=…` success body. */
export type AttestationResponseBody = {
  kind: EvidenceKind;
  /** Base64 of the binary evidence. */
  evidence: string;
  collateral?: Record<string, string>;
  gpuEvidence?: string;
  gpuCollateral?: Record<string, string>;
  /** The node's per-boot receipt signing address. */
  enclaveAddress: Address;
  /** Raw X25519 public key (32 bytes) the witness is sealed to. */
  hpkePublicKey: Hex;
  /** The nonce this evidence answers (the client checks it is its own). */
  nonce: Hex;
  /** The binding the node put in the report data; the client recomputes it and never trusts this field. */
  binding: Hex;
  /** The EIP-712 domain the node signs receipts for (a ReceiptVerifier). */
  receiptDomain: { chainId: number; verifyingContract: Address };
  /** Circuit id → the programId its receipts carry. */
  programIds: Record<string, Hex>;
};

/** `POST /v1/prove` request body. */
export type ProveRequestBody = {
  circuit: string;
  /** The nonce of the attestation the witness was sealed after; one prove per nonce. */
  nonce: Hex;
  /** `SealedMessage` from src/channel. */
  sealed: unknown;
};

/** `POST /v1/prove-stored` request body: a witness stored encrypted under a key-release service's key. */
export type ProveStoredRequestBody = {
  circuit: string;
  /** The key-release service's id of the data key (it appraises the node's evidence against that key's policy). */
  keyId: string;
  /** From `encryptWitnessForKeyRelease` (src/services/keys). */
  encryptedWitness: EncryptedWitness;
};

/** Decimal-string form of `Groth16Calldata` (JSON has no bigint). */
export type Groth16CalldataJson = {
  a: [string, string];
  b: [[string, string], [string, string]];
  c: [string, string];
  pubSignals: string[];
};

/** A receipt in JSON: `issuedAt` as a decimal string. */
export type ReceiptJson = {
  programId: Hex;
  inputDigest: Hex;
  outputDigest: Hex;
  proofDigest: Hex;
  issuedAt: string;
  nonce: Hex;
};

/** Where the node archived the job (present when the node keeps an archive). */
export type ProverArchiveIds = { proofId: string; receiptId: string };

/** Milliseconds per stage of one prove request, measured inside the node. */
export type ProverTimings = {
  openMs: number;
  witnessMs?: number;
  proveMs: number;
  signMs: number;
  archiveMs: number;
  totalMs: number;
};

/** `POST /v1/prove` success body. */
export type ProveResponseBody = {
  circuit: string;
  /** The request id the client sealed with (authenticated by the channel). */
  requestId: string;
  proof: Groth16Proof;
  publicSignals: string[];
  calldata: Groth16CalldataJson;
  receipt: ReceiptJson;
  /** EIP-712 signature over `receipt` for `receiptDomain`, by `enclaveAddress`. */
  signature: Hex;
  enclaveAddress: Address;
  receiptDomain: { chainId: number; verifyingContract: Address };
  archived?: ProverArchiveIds;
  timings: ProverTimings;
};

/** `GET /v1/health` body. */
export type ProverHealthBody = {
  ok: true;
  service: "prover";
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  receiptDomain: { chainId: number; verifyingContract: Address };
  programIds: Record<string, Hex>;
};
