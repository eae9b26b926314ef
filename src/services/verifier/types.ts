import type { Address, Hex } from "viem";
import type { ClaimsJson } from "../../claims/index.js";
import type { EvidenceKind } from "../../evidence/detectEvidenceType.js";
import type { Appraisal } from "../../policy/index.js";
import type { PinnedRoot } from "../../util/x509.js";
import type { CreateCollateralRefresherParameters, ServiceCollateralOptions } from "../../collateral/index.js";

/** Collateral folders a service keeps, per evidence kind. */
export type CollateralByKind = Partial<Record<EvidenceKind, string | readonly string[]>>;

/** `POST /v1/verify` request body. */
export type VerifyRequestBody = {
  /** The evidence as text: hex (0x optional) or base64 of the binary form, or the vendor's JSON form. */
  evidence: string;
  /** Detected from the evidence when omitted. */
  kind?: EvidenceKind;
  /** GPU evidence for composite CPU+GPU attestation (DESIGN §3), same encodings. */
  gpuEvidence?: string;
  /** The DESIGN §3 binding the caller expects in the report data; a mismatch is a failed appraisal rule. */
  expectedBinding?: Hex;
  /**
   * Verification time (ISO 8601); default the node's clock. A node accepts one within its request-time skew of
   * its clock (default ±120 s), so a requester can give every committee member the same time; any other time
   * only with `allowRequestTime`.
   */
  at?: string;
};

/** The records a node wrote for one decision, when it keeps an archive. */
export type VerifierArchiveIds = { evidenceId?: string; appraisalId?: string; verdictId: string };

/** `POST /v1/verify` success body. */
export type VerifyResponseBody = {
  kind: EvidenceKind;
  /** DESIGN §2 claims; the uint64 timestamp as a JSON number (seconds). */
  claims: ClaimsJson;
  /** Composite evidence: each GPU's claims (DESIGN §2), in order. */
  gpuClaims?: ClaimsJson[];
  /**
   * abi.encode(claims), the bytes EnclaveRegistry.register passes on, or for composite evidence
   * abi.encode(claims, gpuClaims), registerComposite's; authoritative over `claims` and `gpuClaims`.
   */
  encodedClaims: Hex;
  claimsHash: Hex;
  appraisal: Appraisal;
  /** EIP-712 `Verdict(claimsHash)` for the node's CommitteeAttestationVerifier. */
  verdict: { signer: Address; signature: Hex };
  /** The verification time used (ISO). */
  at: string;
  archived?: VerifierArchiveIds;
};

/** `GET /v1/health` body: who the node is, so a client can check verdicts against its address and domain. */
export type VerifierHealthBody = {
  ok: true;
  service: "verifier";
  address: Address;
  committee: { chainId: number; verifyingContract: Address };
  /** Evidence kinds the node has collateral folders for (others verify without collateral). */
  collateralKinds: EvidenceKind[];
  allowRequestTime: boolean;
  /** How far (ms, either way) from its clock the node accepts `at` without allowRequestTime. */
  requestTimeSkewMs: number;
};

/** What a service that verifies evidence trusts besides its reference values (verifier node, key release). */
export type EvidenceTrustParameters = {
  /** Dev roots of simulated TEEs (`--simulate-roots`). Never in production. */
  extraTrustedRoots?: readonly PinnedRoot[];
  /**
   * Collateral folders per evidence kind (Intel TCB info / QE identity / CRLs for tdx and sgx, AMD certificates
   * for sevsnp, the device chain for nvidia). Parsed once and reloaded when the folders change or every minute
   * (createCollateralCache), so a deployment that refreshes the files needs no restart; stale collateral fails
   * with COLLATERAL_EXPIRED.
   */
  collateral?: CollateralByKind;
  /**
   * Fetch the collateral of TDX, SGX and SEV-SNP evidence whose kind has no folder above from Intel PCS/PCCS and
   * AMD KDS, through the collateral cache (issue 15). The first request for a collateral set fetches it; from
   * then on a background refresh keeps it fresh (createCollateralRefresher) and requests use the cache only,
   * COLLATERAL_STALE once it is past nextUpdate. Off unless given.
   */
  collateralServices?: ServiceCollateralOptions;
  /** The background refresh's timing (tests pin them): average check interval and the jitter source. */
  collateralRefresh?: Pick<CreateCollateralRefresherParameters, "checkEveryMs" | "random">;
};
