import type { Hex } from "viem";
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

export type * from "../../protocol/proverTypes.js";
