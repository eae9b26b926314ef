import type { Address, Hex } from "viem";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import type { ContractDomain } from "../receipts/types.js";
import { encodeContractDomain } from "./encodeProveResponse.js";
import type { AttestationResponseBody } from "./proverTypes.js";

export type EncodeAttestationResponseParameters = {
  kind: EvidenceKind;
  evidence: Uint8Array;
  collateral?: Readonly<Record<string, string>>;
  gpuEvidence?: Uint8Array;
  gpuCollateral?: Readonly<Record<string, string>>;
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  nonce: Hex;
  binding: Hex;
  receiptDomain: ContractDomain;
  programIds: Readonly<Record<string, Hex>>;
};

/** A prover node's `GET /v1/attestation` answer in JSON form: binary evidence as base64 (`parseAttestationResponse` reads it back). */
export function encodeAttestationResponse(parameters: EncodeAttestationResponseParameters): AttestationResponseBody {
  const { collateral, gpuEvidence, gpuCollateral } = parameters;
  return {
    kind: parameters.kind,
    evidence: Buffer.from(parameters.evidence).toString("base64"),
    ...(collateral ? { collateral: { ...collateral } } : {}),
    ...(gpuEvidence ? { gpuEvidence: Buffer.from(gpuEvidence).toString("base64") } : {}),
    ...(gpuCollateral ? { gpuCollateral: { ...gpuCollateral } } : {}),
    enclaveAddress: parameters.enclaveAddress,
    hpkePublicKey: parameters.hpkePublicKey,
    nonce: parameters.nonce,
    binding: parameters.binding,
    receiptDomain: encodeContractDomain(parameters.receiptDomain),
    programIds: { ...parameters.programIds },
  };
}
