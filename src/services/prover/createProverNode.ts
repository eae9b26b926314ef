import type { Hono } from "hono";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { generateHpkeKeyPair, type HpkeKeyPair } from "../../channel/index.js";
import type { TeezkError } from "../../errors/index.js";
import { createGroth16Prover } from "../../prover/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import type { Address, Hex, LocalAccount } from "viem";
import { createAdmissionGate } from "../http/index.js";
import { DEFAULT_MAX_CONCURRENT_ATTESTATIONS, DEFAULT_MAX_QUEUED_PROOFS, MAX_PROVE_BODY_BYTES } from "./constants.js";
import { createNonceTable } from "./createNonceTable.js";
import { createProverApp } from "./createProverApp.js";
import { createProverHandlers } from "./createProverHandlers.js";
import { createProveAndSign } from "./proveAndSign.js";
import { resolveProverNodeConfig } from "./resolveProverNodeConfig.js";
import type { CreateProverNodeParameters, ProverNodeStats } from "./types.js";

export type { CreateProverNodeParameters } from "./types.js";

export type ProverNode = {
  /** Serve it with `serveApp(node.app)`, or mount it. */
  app: Hono;
  /** This boot's receipt signing address (secp256k1), bound into every attestation. */
  enclaveAddress: Address;
  /** This boot's HPKE public key (raw X25519), bound into every attestation. */
  hpkePublicKey: Hex;
  receiptDomain: ContractDomain;
  /** Circuit → programId the node's receipts carry. */
  programIds: Readonly<Record<string, Hex>>;
  /** Live counters (read them any time; they never hold request content). */
  stats: Readonly<ProverNodeStats>;
  /** Stops the node's own prover process (a shared `prover` stays open). The archive is the caller's. */
  close(): Promise<void>;
};
export type CreateProverNodeReturnType = ProverNode;
export type CreateProverNodeErrorType = TeezkError;

/**
 * The prover node of DESIGN §5, meant to run inside a TEE. Per boot it makes a secp256k1 receipt key and an HPKE
 * key; both are bound into every piece of evidence it serves (DESIGN §3), so a client that verified the
 * evidence knows whom it seals its witness to and who signs its receipt.
 *
 * - `GET /v1/attestation?nonce=0x…` — evidence for the client's 32-byte nonce with report data
 *   computeBinding(enclaveAddress, keccak256(hpkePublicKey), nonce), the collateral to check it, the keys.
 * - `POST /v1/prove {circuit, nonce, sealed}` — opens the witness under that nonce's binding (one prove per
 *   attested nonce; NONCE_REPLAYED otherwise), proves with snarkjs, signs the EIP-712 receipt (inputDigest,
 *   outputDigest, proofDigest as `computeReceiptDigests`; issuedAt now; nonce = the request's), archives proof and
 *   receipt, then answers.
 * - `POST /v1/prove-stored {circuit, keyId, encryptedWitness}` (with `keyRelease`) — gets the witness's data key
 *   from the key-release service with this node's evidence, decrypts the witness (AES-256-GCM), then proves,
 *   signs and archives as `/v1/prove`; the receipt's nonce is the key-release challenge.
 * - `GET /v1/health` — who the node is.
 *
 * The witness is never logged, stored or echoed in an error (witness errors lose their details), and its
 * plaintext buffer is zeroed once parsed. JavaScript strings cannot be wiped: the parsed input lives until the
 * proof is done and is then unreachable. Bodies are capped, requests time out, proofs in flight are bounded,
 * and every failure is a JSON error with a stable code.
 *
 * @example
 * const node = await createProverNode({ evidenceSource: createSimulatedEvidenceSource({ vendor: "tdx" }), receiptDomain });
 * const { url, close } = await serveApp(node.app);
 * const result = await delegateProof({ proverUrl: url, circuit: "membership", witnessInput, referenceValues, allowDevRoots: true });
 */
export async function createProverNode(parameters: CreateProverNodeParameters): Promise<CreateProverNodeReturnType> {
  const config = resolveProverNodeConfig(parameters);
  const { receiptDomain, programIds, clock } = config;
  const ownProver = parameters.prover === undefined;
  const prover =
    parameters.prover ?? createGroth16Prover({ timeoutMs: config.proveTimeoutMs, ...(parameters.buildDir ? { buildDir: parameters.buildDir } : {}) });

  // Per boot, never persisted: a restarted node is a new enclave that must be attested again.
  const account: LocalAccount = privateKeyToAccount(generatePrivateKey());
  const keyPair: HpkeKeyPair = await generateHpkeKeyPair();
  const stats: ProverNodeStats = { proveRequests: 0, proveStoredRequests: 0, keysReleased: 0, attestations: 0, proofs: 0 };
  const handlers = createProverHandlers({
    enclaveAddress: account.address,
    keyPair,
    receiptDomain,
    programIds,
    evidenceSource: parameters.evidenceSource,
    nonces: createNonceTable({ ttlMs: config.nonceTtlMs, maxEntries: config.maxNonces }),
    stats,
    proveAndSign: createProveAndSign({ prover, account, receiptDomain, clock, ...(parameters.archive ? { archive: parameters.archive } : {}) }),
    clock,
    attestationTimeoutMs: config.attestationTimeoutMs,
    ...(config.keyReleaseUrl !== undefined ? { keyReleaseUrl: config.keyReleaseUrl } : {}),
  });
  const app = createProverApp({
    handlers,
    stats,
    attestationGate: createAdmissionGate({
      what: "attestations",
      maxInFlight: parameters.maxConcurrentAttestations ?? DEFAULT_MAX_CONCURRENT_ATTESTATIONS,
      perSecond: config.attestationsPerSecond,
      clock,
    }),
    attestationTimeoutMs: config.attestationTimeoutMs,
    proveTimeoutMs: config.proveTimeoutMs,
    maxQueuedProofs: parameters.maxQueuedProofs ?? DEFAULT_MAX_QUEUED_PROOFS,
    maxBodyBytes: parameters.maxBodyBytes ?? MAX_PROVE_BODY_BYTES,
  });

  return {
    app,
    enclaveAddress: account.address,
    hpkePublicKey: keyPair.publicKey,
    receiptDomain,
    programIds,
    stats,
    async close() {
      if (ownProver) await prover.close();
    },
  };
}
