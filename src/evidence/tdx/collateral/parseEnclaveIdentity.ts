import { z } from "zod";
import type { TeezkError } from "../../../errors/index.js";
import { check, date, enclaveTcbLevelSchema, hex, hexOf, toEnclaveTcbLevel } from "./collateralSchema.js";
import type { EnclaveIdentity } from "./types.js";


const enclaveIdentityV2 = z.object({
  id: z.enum(["QE", "TD_QE", "QVE"]),
  version: z.literal(2),
  issueDate: date,
  nextUpdate: date,
  tcbEvaluationDataNumber: z.number().int().min(0),
  miscselect: hexOf(4),
  miscselectMask: hexOf(4),
  attributes: hexOf(16),
  attributesMask: hexOf(16),
  mrsigner: hexOf(32),
  isvprodid: z.number().int().min(0).max(0xffff),
  tcbLevels: z.array(enclaveTcbLevelSchema).min(1).max(256),
});

export type ParseEnclaveIdentityErrorType = TeezkError;

/**
 * Validates and normalises an Intel PCS enclave identity v2 body (the value of `enclaveIdentity`).
 * MISCSELECT and its mask are hex byte arrays in report byte order, so they become the same little-endian
 * number the report's MISCSELECT field reads as.
 */
export function parseEnclaveIdentity(json: unknown, source: string): EnclaveIdentity {
  const body = check(enclaveIdentityV2, json, source);
  return {
    id: body.id,
    version: body.version,
    issueDate: new Date(body.issueDate),
    nextUpdate: new Date(body.nextUpdate),
    tcbEvaluationDataNumber: body.tcbEvaluationDataNumber,
    miscselect: Buffer.from(body.miscselect, "hex").readUInt32LE(0),
    miscselectMask: Buffer.from(body.miscselectMask, "hex").readUInt32LE(0),
    attributes: hex(body.attributes),
    attributesMask: hex(body.attributesMask),
    mrsigner: hex(body.mrsigner),
    isvProdId: body.isvprodid,
    tcbLevels: body.tcbLevels.map(toEnclaveTcbLevel),
  };
}
