import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isAddress, type Address, type Hex } from "viem";
import { assertAttestedBeforeSealing, HPKE_PUBLIC_KEY_BYTES } from "../channel/index.js";
import { computeBinding, type VerifiedEvidence } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { evidenceKinds, type EvidenceKind } from "../evidence/detectEvidenceType.js";
import { assessEvidence, type AssessEvidenceReturnType } from "../assessment/index.js";
import { MAX_EVIDENCE_FILE_BYTES } from "../evidence/verifyEvidence.js";
import type { Appraisal, ReferenceValues } from "../policy/index.js";
import type { ContractDomain } from "../receipts/types.js";
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
  /** The client's own GPU collateral folders (RIMs, OCSP answers); they win over the GPU collateral the node serves. */
  gpuCollateralDir?: string | readonly string[];
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

const MAX_COLLATERAL_FILES = 32;
const MAX_COLLATERAL_BYTES = 4 * 1024 * 1024;
const collateralName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
const bytes32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * The client's gate before anything is sealed: checks a prover node's attestation answer for this client's
 * nonce. In order: the answer is for our nonce (NONCE_REPLAYED), the evidence verifies against the pinned roots
 * (plus `trustedRoots`, plus dev roots when allowed) with the collateral given (the vendor's code), its report
 * data is computeBinding(enclaveAddress, keccak256(hpkePublicKey), our nonce) (BINDING_MISMATCH), and the claims
 * — the GPU's too — pass the reference values (the first failed rule's code, e.g. MEASUREMENT_NOT_ALLOWED): all
 * of it assessEvidence, so a GPU report on its own is GPU_NOT_AN_ENCLAVE and a policy naming NVIDIA_GPU needs the
 * GPU half (GPU_EVIDENCE_REQUIRED).
 * Collateral served by the node is verified like any other (its signatures chain to the trusted roots), in a
 * temporary folder removed afterwards, and comes after the client's own folders: it only fills in items the
 * client has none of.
 */
export function verifyAttestation(parameters: VerifyAttestationParameters): VerifyAttestationReturnType {
  const body = readAttestationBody(parameters.attestation);
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
  const scratch = body.collateral || body.gpuCollateral ? mkdtempSync(join(tmpdir(), "teezk-attestation-")) : undefined;
  let assessed: AssessEvidenceReturnType;
  try {
    const own = listOf(parameters.collateralDir);
    const served = body.collateral && scratch ? writeFiles(join(scratch, "cpu"), body.collateral) : undefined;
    const gpuServed = body.gpuCollateral && scratch ? writeFiles(join(scratch, "gpu"), body.gpuCollateral) : undefined;
    const collateralDir = [...own, ...(served ? [served] : [])];
    const gpuCollateralDir = [...listOf(parameters.gpuCollateralDir), ...(gpuServed ? [gpuServed] : [])];
    assessed = assessEvidence({
      evidence: body.evidence,
      kind: body.kind,
      now: parameters.now,
      referenceValues: parameters.referenceValues,
      expectedBinding: binding,
      ...(collateralDir.length ? { collateralDir } : {}),
      ...(body.gpuEvidence ? { gpuEvidence: body.gpuEvidence } : {}),
      ...(gpuCollateralDir.length ? { gpuCollateralDir } : {}),
      ...(extraTrustedRoots.length ? { extraTrustedRoots } : {}),
    });
    parameters.onVerified?.();
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }

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

export type AttestationBody = {
  kind: EvidenceKind;
  evidence: Uint8Array;
  collateral?: Record<string, string>;
  gpuEvidence?: Uint8Array;
  gpuCollateral?: Record<string, string>;
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  nonce: Hex;
  receiptDomain: ContractDomain;
  programIds: Record<string, Hex>;
};

function malformed(what: string): TeezkError {
  return new TeezkError("SERVICE_UNREACHABLE", `The prover's attestation answer is not a teezk attestation: ${what}`);
}

export function readAttestationBody(value: unknown): AttestationBody {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed("not an object");
  const body = value as Record<string, unknown>;
  if (typeof body.kind !== "string" || !evidenceKinds.includes(body.kind as EvidenceKind)) throw malformed("unknown evidence kind");
  if (typeof body.enclaveAddress !== "string" || !isAddress(body.enclaveAddress, { strict: false })) throw malformed("enclaveAddress is not an address");
  if (typeof body.hpkePublicKey !== "string" || !new RegExp(`^0x[0-9a-fA-F]{${HPKE_PUBLIC_KEY_BYTES * 2}}$`).test(body.hpkePublicKey)) {
    throw malformed(`hpkePublicKey is not ${HPKE_PUBLIC_KEY_BYTES} bytes of 0x-hex`);
  }
  if (typeof body.nonce !== "string" || !bytes32.test(body.nonce)) throw malformed("nonce is not 32 bytes of 0x-hex");
  const domain = body.receiptDomain as Record<string, unknown> | undefined;
  if (
    typeof domain !== "object" ||
    domain === null ||
    typeof domain.chainId !== "number" ||
    !Number.isSafeInteger(domain.chainId) ||
    domain.chainId <= 0 ||
    typeof domain.verifyingContract !== "string" ||
    !isAddress(domain.verifyingContract, { strict: false })
  ) {
    throw malformed("receiptDomain is not {chainId, verifyingContract}");
  }
  const programIds = body.programIds;
  if (typeof programIds !== "object" || programIds === null || Array.isArray(programIds)) throw malformed("programIds is not an object");
  for (const id of Object.values(programIds)) if (typeof id !== "string" || !bytes32.test(id)) throw malformed("a programId is not 32 bytes of 0x-hex");
  return {
    kind: body.kind as EvidenceKind,
    evidence: readBase64(body.evidence, "evidence"),
    ...(body.collateral !== undefined ? { collateral: readFiles(body.collateral, "collateral") } : {}),
    ...(body.gpuEvidence !== undefined ? { gpuEvidence: readBase64(body.gpuEvidence, "gpuEvidence") } : {}),
    ...(body.gpuCollateral !== undefined ? { gpuCollateral: readFiles(body.gpuCollateral, "gpuCollateral") } : {}),
    enclaveAddress: body.enclaveAddress as Address,
    hpkePublicKey: body.hpkePublicKey.toLowerCase() as Hex,
    nonce: body.nonce.toLowerCase() as Hex,
    receiptDomain: { chainId: domain.chainId, verifyingContract: domain.verifyingContract as Address },
    programIds: programIds as Record<string, Hex>,
  };
}

function readBase64(value: unknown, field: string): Uint8Array {
  // Base64 is 4/3 of the bytes: refuse anything that could not decode under the evidence cap.
  if (typeof value !== "string" || value.length === 0 || value.length > Math.ceil(MAX_EVIDENCE_FILE_BYTES / 3) * 4 || !base64.test(value)) {
    throw malformed(`${field} is not base64 of at most ${MAX_EVIDENCE_FILE_BYTES} bytes`);
  }
  return new Uint8Array(Buffer.from(value, "base64"));
}

function readFiles(value: unknown, field: string): Record<string, string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed(`${field} is not an object of files`);
  const entries = Object.entries(value);
  if (entries.length > MAX_COLLATERAL_FILES) throw malformed(`${field} has more than ${MAX_COLLATERAL_FILES} files`);
  let total = 0;
  for (const [name, text] of entries) {
    // Names become paths in a temporary folder: no separators, no leading dot.
    if (!collateralName.test(name)) throw malformed(`${field} has a file name that is not a plain name`);
    if (typeof text !== "string") throw malformed(`${field}/${name} is not text`);
    total += text.length;
    if (total > MAX_COLLATERAL_BYTES) throw malformed(`${field} is larger than ${MAX_COLLATERAL_BYTES} bytes`);
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function writeFiles(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function listOf(folders: string | readonly string[] | undefined): string[] {
  return folders === undefined ? [] : typeof folders === "string" ? [folders] : [...folders];
}
