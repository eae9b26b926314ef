import type { Address, Hex } from "viem";
import { assertAttestedBeforeSealing } from "../channel/index.js";
import { computeBinding, type VerifiedEvidence } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import { collateralFileSet, type CollateralSource } from "../evidence/collateralFiles.js";
import { assessEvidence, type AssessEvidenceReturnType } from "../assessment/index.js";
import type { Appraisal, ReferenceValues } from "../policy/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { parseAttestationResponse } from "../protocol/index.js";
import { devRootPin, getDevRoots, type DevRoots } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";

export type VerifyAttestationParameters = {
  /** The node's `GET /v1/attestation` answer, as parsed JSON of unknown shape (checked here). */
  attestation: unknown;
  /** The nonce this client sent; the evidence must bind exactly it. */
  nonce: Hex;
  /** What the client trusts: measurements, TCB, debug, roots, evidence age. */
  referenceValues: ReferenceValues;
  /** Extra roots to accept besides the vendors' pinned ones (e.g. one simulated TEE's `trustedRoot`). */
  trustedRoots?: readonly PinnedRoot[];
  /** Trust the dev roots of simulated TEEs on this machine (`getDevRoots`). Development only. */
  allowDevRoots?: boolean;
  /** Where the dev roots are; default `getDevRoots()`'s folder. */
  devRoots?: DevRoots;
  /** The client's own collateral folders; they win over collateral the node serves for the same items. */
  collateralDir?: string | readonly string[];
  /** The client's own collateral received as values (`prepareOwnCollateral`), after its folders, before the node's. */
  collateral?: readonly CollateralSource[];
  /** The client's own GPU collateral folders (RIMs, OCSP answers); they win over the GPU collateral the node serves. */
  gpuCollateralDir?: string | readonly string[];
  /** The client's own GPU collateral received as values, after its GPU folders, before the node's. */
  gpuCollateral?: readonly CollateralSource[];
  now: Date;
  /** Called once the evidence verified (signatures, chains, collateral), before binding and appraisal are judged. */
  onVerified?: () => void;
};

export type VerifiedAttestation = {
  kind: EvidenceKind;
  verified: VerifiedEvidence;
  /** The GPUs of composite CPU+GPU evidence, each bound to the CPU binding. */
  gpu?: VerifiedEvidence[];
  /** CPU and GPU appraisals together; `ok` here (a failed appraisal throws). */
  appraisal: Appraisal;
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  /** The binding recomputed from the node's keys and this client's nonce (equal to the report data). */
  binding: Hex;
  receiptDomain: ContractDomain;
  programIds: Record<string, Hex>;
};
export type VerifyAttestationReturnType = VerifiedAttestation;
export type VerifyAttestationErrorType = TeezkError;

/**
 * The client's gate before anything is sealed: checks a prover node's attestation answer for this client's
 * nonce. In order: the answer is for our nonce (NONCE_REPLAYED), the evidence verifies against the pinned roots
 * (plus `trustedRoots`, plus dev roots when allowed) with the collateral given (the vendor's code), its report
 * data is computeBinding(enclaveAddress, keccak256(hpkePublicKey), our nonce) (BINDING_MISMATCH), and the claims
 * — the GPU's too — pass the reference values (the first failed rule's code, e.g. MEASUREMENT_NOT_ALLOWED): all
 * of it assessEvidence, so a GPU report on its own is GPU_NOT_AN_ENCLAVE and a policy naming NVIDIA_GPU needs the
 * GPU half (GPU_EVIDENCE_REQUIRED).
 * Collateral served by the node is verified like any other (its signatures chain to the trusted roots), parsed
 * from the answer in memory, and comes after the client's own: it only fills in items the client has none of.
 */
export function verifyAttestation(parameters: VerifyAttestationParameters): VerifyAttestationReturnType {
  const body = parseAttestationResponse(parameters.attestation);
  if (body.nonce.toLowerCase() !== parameters.nonce.toLowerCase()) {
    throw new TeezkError("NONCE_REPLAYED", "The prover answered with evidence for another nonce; nothing was sealed", {
      details: `sent ${parameters.nonce}, answered for ${body.nonce}`,
      metaMessages: ["A node that replays old evidence is not to be trusted with a witness."],
    });
  }
  const extraTrustedRoots = [...(parameters.trustedRoots ?? [])];
  if (parameters.allowDevRoots) {
    const devRoots = parameters.devRoots ?? getDevRoots();
    for (const vendor of ["nitro", "tdx", "sevsnp", "nvidia"] as const) extraTrustedRoots.push(devRootPin(devRoots, vendor));
  }

  const binding = computeBinding({ enclaveAddress: body.enclaveAddress, hpkePublicKey: body.hpkePublicKey, nonce: parameters.nonce }).toLowerCase() as Hex;
  // What the node served is verified like any other collateral (its signatures chain to the trusted roots), in
  // memory, and only after the client's own: it fills in items the client has none of.
  const collateralSources = [
    ...listOf(parameters.collateralDir),
    ...(parameters.collateral ?? []),
    ...(body.collateral ? [collateralFileSet("collateral served by the prover", body.collateral)] : []),
  ];
  const gpuCollateralSources = [
    ...listOf(parameters.gpuCollateralDir),
    ...(parameters.gpuCollateral ?? []),
    ...(body.gpuCollateral ? [collateralFileSet("GPU collateral served by the prover", body.gpuCollateral)] : []),
  ];
  const assessed: AssessEvidenceReturnType = assessEvidence({
    evidence: body.evidence,
    kind: body.kind,
    now: parameters.now,
    referenceValues: parameters.referenceValues,
    expectedBinding: binding,
    ...(collateralSources.length ? { collateralSources } : {}),
    ...(body.gpuEvidence ? { gpuEvidence: body.gpuEvidence } : {}),
    ...(gpuCollateralSources.length ? { gpuCollateralSources } : {}),
    ...(extraTrustedRoots.length ? { extraTrustedRoots } : {}),
  });
  parameters.onVerified?.();

  const verified = assessed.evidence;
  const { appraisal } = assessed;
  if (appraisal.failures.some((failure) => failure.rule === "binding")) {
    throw new TeezkError("BINDING_MISMATCH", "The evidence does not bind the node's keys to this client's nonce; nothing was sealed", {
      details: `expected report data ${binding}, evidence has ${verified.claims.reportData}`,
      metaMessages: ["The evidence was produced for another nonce (replay) or belongs to other keys."],
    });
  }
  // The channel's own gate: binding again, then the appraisal (throws its first failure's code).
  assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress: body.enclaveAddress, hpkePublicKey: body.hpkePublicKey, nonce: parameters.nonce });

  return {
    kind: assessed.kind,
    verified,
    ...(assessed.gpu ? { gpu: assessed.gpu } : {}),
    appraisal,
    enclaveAddress: body.enclaveAddress,
    hpkePublicKey: body.hpkePublicKey,
    binding,
    receiptDomain: body.receiptDomain,
    programIds: body.programIds,
  };
}

function listOf(folders: string | readonly string[] | undefined): string[] {
  return folders === undefined ? [] : typeof folders === "string" ? [folders] : [...folders];
}
