import type { TeezkError } from "../../../errors/index.js";
import { IntelJsonReader } from "./intelJsonFields.js";
import type { EnclaveIdentity } from "./types.js";

const ENCLAVE_IDS = ["QE", "TD_QE", "QVE"] as const;
const MAX_TCB_LEVELS = 256;

export type ParseEnclaveIdentityErrorType = TeezkError;

/**
 * Validates and normalises an Intel PCS enclave identity v2 body (the value of `enclaveIdentity`).
 * MISCSELECT and its mask are hex byte arrays in report byte order, so they become the same little-endian
 * number the report's MISCSELECT field reads as. Anything else is COLLATERAL_INVALID.
 */
export function parseEnclaveIdentity(json: unknown, source: string): EnclaveIdentity {
  const read = new IntelJsonReader(source);
  const body = read.object(json, "");
  const id = read.oneOf(body.id, "id", ENCLAVE_IDS);
  if (body.version !== 2) read.fail("version", "expected 2");
  return {
    id,
    version: 2,
    issueDate: read.date(body.issueDate, "issueDate"),
    nextUpdate: read.date(body.nextUpdate, "nextUpdate"),
    tcbEvaluationDataNumber: read.integer(body.tcbEvaluationDataNumber, "tcbEvaluationDataNumber", 0),
    miscselect: littleEndian32(read.hex(body.miscselect, "miscselect", 4)),
    miscselectMask: littleEndian32(read.hex(body.miscselectMask, "miscselectMask", 4)),
    attributes: read.hex(body.attributes, "attributes", 16),
    attributesMask: read.hex(body.attributesMask, "attributesMask", 16),
    mrsigner: read.hex(body.mrsigner, "mrsigner", 32),
    isvProdId: read.integer(body.isvprodid, "isvprodid", 0, 0xffff),
    tcbLevels: read.enclaveTcbLevels(body.tcbLevels, "tcbLevels", MAX_TCB_LEVELS),
  };
}

function littleEndian32(bytes: Uint8Array): number {
  return (bytes[0]! | (bytes[1]! << 8) | (bytes[2]! << 16) | (bytes[3]! << 24)) >>> 0;
}
