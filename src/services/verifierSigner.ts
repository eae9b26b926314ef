import { keccak256, type Address, type Hex, type LocalAccount } from "viem";
import { encodeVerdictClaims, type Claims } from "../claims/index.js";
import { createVerdictSigner } from "../chain/createVerdictSigner.js";
import type { Verdict } from "../chain/signVerdict.js";
import { TeezkError } from "../errors/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import { assessEvidence } from "../assessment/index.js";
import type { LoadedCollateral } from "../evidence/verifyEvidence.js";
import type { Appraisal, ReferenceValues } from "../policy/index.js";
import type { ContractDomain } from "../receipts/types.js";
import type { PinnedRoot } from "../util/x509.js";

export type CreateVerifierSignerParameters = {
  /** The node's committee key (its address is a CommitteeAttestationVerifier member). */
  account: LocalAccount;
  /** The CommitteeAttestationVerifier the verdicts are for (chain id and address: the EIP-712 domain). */
  committee: ContractDomain;
  /** What this node accepts; a verdict is signed only when every rule passes. */
  referenceValues: ReferenceValues;
  /** Dev roots of simulated TEEs. Never in production: the on-chain root-hash allowlist should refuse them too. */
  extraTrustedRoots?: readonly PinnedRoot[];
};

export type VerifierSignerRequest = {
  /** The evidence file's bytes (raw, hex, base64 or vendor JSON). */
  evidence: Uint8Array;
  /** Verification and appraisal time. */
  now: Date;
  kind?: EvidenceKind;
  collateralDir?: string | readonly string[];
  /** Collateral loaded once (`loadCollateral`), used instead of `collateralDir`. */
  collateral?: LoadedCollateral;
  gpuEvidence?: Uint8Array;
  gpuCollateralDir?: string;
  /** The GPU half's collateral, loaded (the service's nvidia folder or fetched RIMs and OCSP answers). */
  gpuCollateral?: LoadedCollateral;
  /** The DESIGN §3 binding the requester expects in the report data (checked off-chain too when given). */
  expectedBinding?: Hex;
};

export type VerifierSignerVerdict = {
  kind: EvidenceKind;
  /** The CPU claims: the enclave's, carrying the binding. */
  claims: Claims;
  /** Composite evidence: each GPU's claims, in the evidence's order (their nonce is the CPU binding). */
  gpuClaims?: Claims[];
  /**
   * What the route's proof is over: abi.encode(claims) for EnclaveRegistry.register, or for composite evidence
   * abi.encode(claims, gpuClaims) for registerComposite, so the verdict covers every part the contract checks.
   */
  encodedClaims: Hex;
  claimsHash: Hex;
  appraisal: Appraisal;
  verdict: Verdict;
};

/** What `assess` returns: the verdict is present only when the appraisal passed. */
export type VerifierSignerAssessment = Omit<VerifierSignerVerdict, "verdict"> & { verdict?: Verdict };

export type VerifierSigner = {
  address: Address;
  /**
   * Like `attest`, but a failed appraisal is returned (with its claims, and no verdict) instead of thrown, so a
   * node can archive what it refused. Evidence that does not verify still throws with the verifier's own code.
   */
  assess: (request: VerifierSignerRequest) => Promise<VerifierSignerAssessment>;
  /**
   * Assesses the evidence (assessEvidence: verifies it, CPU and any GPU half, checks the binding, appraises every
   * part; a GPU report on its own is GPU_NOT_AN_ENCLAVE) and signs the EIP-712
   * `Verdict(claimsHash)` the CommitteeAttestationVerifier checks (over the whole composite when GPUs came with it). Evidence that does not verify is rejected with
   * the verifier's own code (ROOT_NOT_TRUSTED, CERT_EXPIRED, …); a failed appraisal is VERDICT_REFUSED listing
   * every failed rule.
   */
  attest: (request: VerifierSignerRequest) => Promise<VerifierSignerVerdict>;
};
export type CreateVerifierSignerErrorType = TeezkError;

/**
 * A committee member's signing core, without transport: the verifier-node HTTP service wraps it. It holds no
 * state between requests, so one node can serve many registrations concurrently.
 *
 * @example
 * const node = createVerifierSigner({ account, committee: { chainId, verifyingContract }, referenceValues });
 * const { claims, verdict } = await node.attest({ evidence, now: new Date() });
 */
export function createVerifierSigner(parameters: CreateVerifierSignerParameters): VerifierSigner {
  const { account, committee, referenceValues, extraTrustedRoots } = parameters;
  // The committee's domain separator hashed once for the node's life, not per verdict.
  const verdicts = createVerdictSigner({ account, committee });
  const assess = async (request: VerifierSignerRequest): Promise<VerifierSignerAssessment> => {
    if (!(request.now instanceof Date) || Number.isNaN(request.now.getTime())) {
      throw new TeezkError("CONFIG_INVALID", "The verifier node needs `now` as a valid Date");
    }
    const { kind, claims, gpu, appraisal } = assessEvidence({
      evidence: request.evidence,
      now: request.now,
      referenceValues,
      ...(request.expectedBinding ? { expectedBinding: request.expectedBinding } : {}),
      ...(request.kind ? { kind: request.kind } : {}),
      ...(request.collateralDir ? { collateralDir: request.collateralDir } : {}),
      ...(request.collateral ? { collateral: request.collateral } : {}),
      ...(request.gpuEvidence ? { gpuEvidence: request.gpuEvidence } : {}),
      ...(request.gpuCollateralDir ? { gpuCollateralDir: request.gpuCollateralDir } : {}),
      ...(request.gpuCollateral ? { gpuCollateral: request.gpuCollateral } : {}),
      ...(extraTrustedRoots ? { extraTrustedRoots } : {}),
    });
    const gpuClaims = gpu?.map((part) => part.claims);
    // A verdict over the CPU half alone would let a relayer register the enclave without (or with other) GPUs.
    const encodedClaims = encodeVerdictClaims({ claims, ...(gpuClaims ? { gpuClaims } : {}) });
    const hash = keccak256(encodedClaims);
    const assessed = { kind, claims, ...(gpuClaims ? { gpuClaims } : {}), encodedClaims, claimsHash: hash, appraisal };
    if (!appraisal.ok) return assessed;
    return { ...assessed, verdict: await verdicts.sign(hash) };
  };
  return {
    address: account.address,
    assess,
    attest: async (request) => {
      const { verdict, ...assessed } = await assess(request);
      if (!verdict) {
        const { appraisal } = assessed;
        throw new TeezkError("VERDICT_REFUSED", `The ${assessed.kind} evidence verified but failed ${appraisal.failures.length} policy rule(s)`, {
          details: appraisal.failures.map((f) => `${f.rule} ${f.code}: ${f.message}`).join("; "),
          metaMessages: appraisal.failures.map((f) => `${f.code}: ${f.message}`),
        });
      }
      return { ...assessed, verdict };
    },
  };
}
