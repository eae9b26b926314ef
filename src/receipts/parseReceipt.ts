import { isAddress, isHex, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { Batch, ContractDomain, Receipt } from "./types.js";

const UINT64_MAX = (1n << 64n) - 1n;
const UINT32_MAX = 2 ** 32 - 1;

function bytes32(value: unknown, field: string): Hex {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || value.length !== 66) {
    throw new TeezkError("RECEIPT_INVALID", `${field} must be 0x-prefixed 32-byte hex`, { details: `got ${String(value).slice(0, 80)}` });
  }
  return value.toLowerCase() as Hex;
}

function uint64(value: unknown, field: string): bigint {
  if (typeof value !== "bigint" || value < 0n || value > UINT64_MAX) {
    throw new TeezkError("RECEIPT_INVALID", `${field} must be a uint64 bigint`, { details: `got ${String(value).slice(0, 80)}` });
  }
  return value;
}

/** Checks every field of a receipt before it is hashed, signed or put in a tree; returns a normalized copy. */
export function parseReceipt(receipt: Receipt): Receipt {
  if (typeof receipt !== "object" || receipt === null) throw new TeezkError("RECEIPT_INVALID", "A receipt must be an object");
  return {
    programId: bytes32(receipt.programId, "programId"),
    inputDigest: bytes32(receipt.inputDigest, "inputDigest"),
    outputDigest: bytes32(receipt.outputDigest, "outputDigest"),
    proofDigest: bytes32(receipt.proofDigest, "proofDigest"),
    issuedAt: uint64(receipt.issuedAt, "issuedAt"),
    nonce: bytes32(receipt.nonce, "nonce"),
  };
}

export function parseBatch(batch: Batch): Batch {
  if (typeof batch !== "object" || batch === null) throw new TeezkError("RECEIPT_INVALID", "A batch must be an object");
  if (!Number.isInteger(batch.count) || batch.count < 1 || batch.count > UINT32_MAX) {
    throw new TeezkError("RECEIPT_INVALID", "A batch count must be an integer in [1, 2^32 - 1]", { details: `got ${String(batch.count)}` });
  }
  return { root: bytes32(batch.root, "root"), count: batch.count, issuedAt: uint64(batch.issuedAt, "issuedAt") };
}

export function parseContractDomain(domain: ContractDomain): ContractDomain {
  const raw = domain?.chainId;
  const valid = (typeof raw === "bigint" && raw > 0n) || (typeof raw === "number" && Number.isSafeInteger(raw) && raw > 0);
  if (!valid || typeof domain.verifyingContract !== "string" || !isAddress(domain.verifyingContract, { strict: false })) {
    throw new TeezkError("RECEIPT_INVALID", "The EIP-712 domain needs a positive chainId and the verifying contract's address");
  }
  return { chainId: raw, verifyingContract: domain.verifyingContract };
}
