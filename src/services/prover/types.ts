import type { Hex } from "viem";
import type { Groth16Proof, Prover } from "../../prover/types.js";
import type { ContractDomain } from "../../receipts/types.js";
import type { Archive } from "../../store/types.js";
import type { EvidenceKind } from "../../evidence/detectEvidenceType.js";

/** What an evidence source is asked for: evidence whose report data carries `binding` (DESIGN §3). */
export type EvidenceRequest = {
  /** keccak256(abi.encode("teezk/v1", enclaveAddress, keccak256(hpkePublicKey), nonce)): the report data. */
  binding: Hex;
  /** The client's challenge the binding was computed from (for sources that log or cache by request). */
  nonce: Hex;
};

/**
 * Evidence as a source produced it. Collateral travels as the files of a collateral folder (name → text, as
 * `teezk verify --collateral` reads them): the client verifies it like any other collateral (its signatures
 * chain to the pinned roots), so serving it from the node adds no trust in the node.
 */
export type CollectedEvidence = {
  kind: EvidenceKind;
  /** The vendor's binary evidence (TDX/SGX quote, SNP report, Nitro COSE document, SPDM report). */
  evidence: Uint8Array;
  collateral?: Readonly<Record<string, string>>;
  /** GPU evidence for composite CPU+GPU attestation: its nonce is `binding`. */
  gpuEvidence?: Uint8Array;
  gpuCollateral?: Readonly<Record<string, string>>;
};

/**
 * Where a prover node's evidence comes from: a simulated TEE (`createSimulatedEvidenceSource`) or a collector
 * of the TEE the node runs in (configfs-tsm, NSM, NVIDIA tooling). Called once per attestation request.
 */
export type EvidenceSource = (request: EvidenceRequest) => CollectedEvidence | Promise<CollectedEvidence>;

/** Counters a test or operator reads; they never include request content. */
export type ProverNodeStats = {
  /** Requests that reached `POST /v1/prove`, counted before anything else is done with them. */
  proveRequests: number;
  /** Requests that reached `POST /v1/prove-stored`, counted likewise. */
  proveStoredRequests: number;
  /** Keys the key-release service released to this node (one per `/v1/prove-stored` that got that far). */
  keysReleased: number;
  /** Attestations answered with evidence. */
  attestations: number;
  /** Proofs answered (archived first when an archive is kept). */
  proofs: number;
};

/** The CPU TEEs a simulated prover node can stand in for (here, not beside the simulator, so the CLI can list them without loading it). */
export type SimulatedProverVendor = "tdx" | "sevsnp" | "nitro" | "sgx";
export const simulatedProverVendors: readonly SimulatedProverVendor[] = ["tdx", "sevsnp", "nitro", "sgx"];

/** See `createProverNode`. */
export type CreateProverNodeParameters = {
  /** Evidence for a binding: `createSimulatedEvidenceSource({ vendor })` or a real TEE's collector. */
  evidenceSource: EvidenceSource;
  /**
   * The ReceiptVerifier the node signs receipts for (EIP-712 domain): the one the PrivateProofVerifier of the
   * circuit uses. Clients check the receipt under this domain.
   */
  receiptDomain: ContractDomain;
  /** Circuits this node proves (names under the circuits build folder). Default `["membership"]`. */
  circuits?: readonly string[];
  /** programId per circuit, as the PrivateProofVerifier was deployed with; default `circuitProgramId`. */
  programIds?: Readonly<Record<string, Hex>>;
  /** Circuits build folder; default as `resolveCircuitArtifacts`. */
  buildDir?: string;
  /**
   * A Groth16 prover to share (the node does not close it). By default the node starts its own, closed by
   * `close()`, with a per-proof time limit of `proveTimeoutMs`.
   */
  prover?: Prover<Groth16Proof>;
  /** When given, every proof and receipt is recorded before the node answers (acknowledged ⇒ durable). */
  archive?: Archive;
  /** Largest `POST /v1/prove` body (bytes). Default MAX_PROVE_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Default DEFAULT_PROVE_TIMEOUT_MS. */
  proveTimeoutMs?: number;
  /** Default DEFAULT_ATTESTATION_TIMEOUT_MS. */
  attestationTimeoutMs?: number;
  /** How long an attested nonce may be used to prove. Default DEFAULT_NONCE_TTL_MS. */
  nonceTtlMs?: number;
  /**
   * Most nonces remembered. Default DEFAULT_MAX_NONCES. Must hold every nonce the attestation rate admits within
   * one nonce lifetime, so a flood is refused at the rate bound and never pushes out a client's live nonce.
   */
  maxNonces?: number;
  /** Attestations (evidence collections) running at once; more get SERVICE_BUSY. Default DEFAULT_MAX_CONCURRENT_ATTESTATIONS. */
  maxConcurrentAttestations?: number;
  /** Attestations admitted per second on average (bursts of as many). Default DEFAULT_ATTESTATIONS_PER_SECOND. */
  attestationsPerSecond?: number;
  /** Proofs admitted at once (running or queued); more get PROVER_BUSY. Default DEFAULT_MAX_QUEUED_PROOFS. */
  maxQueuedProofs?: number;
  /** The node's clock (receipts' issuedAt, nonce expiry); default `() => new Date()`. */
  clock?: () => Date;
  /**
   * The key-release service (src/services/keys) that holds the data keys of witnesses stored encrypted
   * elsewhere; enables `POST /v1/prove-stored`. Each request gets the key afresh with this node's evidence.
   */
  keyRelease?: { url: string };
};

export type * from "../../protocol/proverTypes.js";
