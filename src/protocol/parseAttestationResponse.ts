import { isAddress, type Address, type Hex } from "viem";
import { HPKE_PUBLIC_KEY_BYTES } from "../channel/index.js";
import { TeezkError } from "../errors/index.js";
import { evidenceKinds, type EvidenceKind } from "../evidence/detectEvidenceType.js";
import { MAX_EVIDENCE_FILE_BYTES } from "../evidence/verifyEvidence.js";
import type { ContractDomain } from "../receipts/types.js";

const MAX_COLLATERAL_FILES = 32;
const MAX_COLLATERAL_BYTES = 4 * 1024 * 1024;
const collateralName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;
const bytes32 = /^0x[0-9a-fA-F]{64}$/;

/** A `GET /v1/attestation` answer, checked and decoded (evidence as bytes); nothing in it is trusted yet. */
export type AttestationResponse = {
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

/**
 * Checks the shape of a prover node's `GET /v1/attestation` answer and decodes its evidence, bounded (evidence
 * under the evidence cap, at most 32 collateral files and 4 MiB of collateral text, plain file names). A
 * malformed answer is SERVICE_UNREACHABLE: the node did not speak the protocol. Whether the evidence is any good
 * is `verifyAttestation`'s question.
 */
export function parseAttestationResponse(value: unknown): AttestationResponse {
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
