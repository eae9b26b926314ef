import { getAddress, type Address, type Hex } from "viem";
import { z } from "zod";
import { TeezkError } from "../../errors/index.js";
import { bytes32Schema, evidenceRequestBytes, evidenceRequestFields } from "../verifier/parseVerifyRequest.js";
import type { KeyReleaseRequestBody } from "./types.js";

export const keyReleaseRequestSchema = z
  .object({
    ...evidenceRequestFields,
    enclaveAddress: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 20-byte 0x address"),
    hpkePublicKey: bytes32Schema,
    nonce: bytes32Schema,
  })
  .strict();

export type ParseKeyReleaseRequestReturnType = Omit<KeyReleaseRequestBody, "enclaveAddress" | "hpkePublicKey" | "nonce"> & {
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  nonce: Hex;
  evidenceBytes: Uint8Array;
  gpuEvidenceBytes?: Uint8Array;
};

/** Validates a release body; unknown fields are refused (a client cannot think it sent a policy or a time). */
export function parseKeyReleaseRequest(body: unknown): ParseKeyReleaseRequestReturnType {
  const parsed = keyReleaseRequestSchema.safeParse(body);
  if (!parsed.success) {
    throw new TeezkError("REQUEST_INVALID", "The key release request does not match the schema", {
      details: parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; "),
    });
  }
  const value = parsed.data;
  return {
    evidence: value.evidence,
    ...(value.kind ? { kind: value.kind } : {}),
    ...(value.gpuEvidence ? { gpuEvidence: value.gpuEvidence } : {}),
    enclaveAddress: getAddress(value.enclaveAddress.toLowerCase()),
    hpkePublicKey: value.hpkePublicKey.toLowerCase() as Hex,
    nonce: value.nonce.toLowerCase() as Hex,
    ...evidenceRequestBytes(value),
  };
}
