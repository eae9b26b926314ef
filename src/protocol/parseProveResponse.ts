import { isHex, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { Groth16Proof } from "../prover/index.js";
import type { Receipt } from "../receipts/types.js";
import type { ProverArchiveIds, ProverTimings } from "./proverTypes.js";

/** A `POST /v1/prove` answer with the fields a client checks, shape-checked; the node's calldata field is ignored. */
export type ProveResponse = {
  proof: Groth16Proof;
  publicSignals: string[];
  receipt: Receipt;
  signature: Hex;
  enclaveAddress: Address;
  requestId: string;
  timings?: ProverTimings;
  archived?: ProverArchiveIds;
};

function malformed(what: string): TeezkError {
  return new TeezkError("SERVICE_UNREACHABLE", `The prover's answer is not a teezk proof: ${what}`);
}

/**
 * Checks the shape of a prover node's `POST /v1/prove` (or `/v1/prove-stored`) answer; a malformed one is
 * SERVICE_UNREACHABLE. The proof's own shape and field range are formatGroth16Calldata's (PROOF_MALFORMED), and
 * every value is checked against the request by `checkProveResponse`.
 */
export function parseProveResponse(value: unknown): ProveResponse {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw malformed("not an object");
  const body = value as Record<string, unknown>;
  if (typeof body.enclaveAddress !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(body.enclaveAddress)) throw malformed("enclaveAddress is not an address");
  if (typeof body.signature !== "string" || !isHex(body.signature, { strict: true }) || body.signature.length !== 132) {
    throw malformed("signature is not 65 bytes of 0x-hex");
  }
  if (!Array.isArray(body.publicSignals) || !body.publicSignals.every((signal) => typeof signal === "string")) {
    throw malformed("publicSignals is not an array of decimal strings");
  }
  const receipt = body.receipt as Record<string, unknown> | null;
  if (typeof receipt !== "object" || receipt === null || typeof receipt.issuedAt !== "string" || !/^[0-9]{1,20}$/.test(receipt.issuedAt)) {
    throw malformed("receipt is not a receipt with a decimal issuedAt");
  }
  if (typeof body.requestId !== "string") throw malformed("requestId is missing");
  return {
    // Shape and field range are checked by formatGroth16Calldata (PROOF_MALFORMED).
    proof: body.proof as Groth16Proof,
    publicSignals: body.publicSignals as string[],
    receipt: { ...(receipt as Omit<Receipt, "issuedAt">), issuedAt: BigInt(receipt.issuedAt) },
    signature: body.signature as Hex,
    enclaveAddress: body.enclaveAddress as Address,
    requestId: body.requestId,
    ...(isObject(body.timings) ? { timings: body.timings as ProverTimings } : {}),
    ...(isObject(body.archived) ? { archived: body.archived as ProverArchiveIds } : {}),
  };
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
