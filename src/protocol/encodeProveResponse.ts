import type { Address, Hex } from "viem";
import type { Groth16Calldata, Groth16Proof } from "../prover/index.js";
import type { ContractDomain, Receipt } from "../receipts/types.js";
import type { ProveResponseBody, ProverArchiveIds, ProverTimings } from "./proverTypes.js";

export type EncodeProveResponseParameters = {
  circuit: string;
  requestId: string;
  proof: Groth16Proof;
  publicSignals: string[];
  calldata: Groth16Calldata;
  receipt: Receipt;
  signature: Hex;
  enclaveAddress: Address;
  receiptDomain: ContractDomain;
  archived?: ProverArchiveIds;
  timings: ProverTimings;
};

/** A prover node's `POST /v1/prove` answer in JSON form: bigints as decimal strings (`parseProveResponse` reads it back). */
export function encodeProveResponse(parameters: EncodeProveResponseParameters): ProveResponseBody {
  const { calldata, receipt, archived } = parameters;
  return {
    circuit: parameters.circuit,
    requestId: parameters.requestId,
    proof: parameters.proof,
    publicSignals: parameters.publicSignals,
    calldata: {
      a: [calldata.a[0].toString(), calldata.a[1].toString()],
      b: [
        [calldata.b[0][0].toString(), calldata.b[0][1].toString()],
        [calldata.b[1][0].toString(), calldata.b[1][1].toString()],
      ],
      c: [calldata.c[0].toString(), calldata.c[1].toString()],
      pubSignals: calldata.pubSignals.map((signal) => signal.toString()),
    },
    receipt: { ...receipt, issuedAt: receipt.issuedAt.toString() },
    signature: parameters.signature,
    enclaveAddress: parameters.enclaveAddress,
    receiptDomain: encodeContractDomain(parameters.receiptDomain),
    ...(archived ? { archived } : {}),
    timings: parameters.timings,
  };
}

/** A contract domain as the wire carries it: the chain id as a JSON number. */
export function encodeContractDomain(domain: ContractDomain): { chainId: number; verifyingContract: Address } {
  return { chainId: Number(domain.chainId), verifyingContract: domain.verifyingContract as Address };
}
