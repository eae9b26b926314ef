import type { TypedDataDomain } from "viem";
import type { ContractDomain } from "./types.js";

/**
 * The EIP-712 type strings, copied once from contracts/receipts/Receipt.sol (ReceiptTypes.RECEIPT_TYPE and
 * BATCH_TYPE); test/receipts/typedData.test.ts reads them back from the .sol file and from the chain.
 */
export const RECEIPT_TYPE =
  "Receipt(bytes32 programId,bytes32 inputDigest,bytes32 outputDigest,bytes32 proofDigest,uint64 issuedAt,bytes32 nonce)";
export const BATCH_TYPE = "Batch(bytes32 root,uint32 count,uint64 issuedAt)";

/** EIP712 constructor arguments of ReceiptVerifier and BatchReceipts. */
export const RECEIPT_VERIFIER_DOMAIN = { name: "teezk ReceiptVerifier", version: "1" } as const;
export const BATCH_RECEIPTS_DOMAIN = { name: "teezk BatchReceipts", version: "1" } as const;

/**
 * viem's `types` record for a one-struct EIP-712 type string, derived from the string so the field list is not
 * written a second time.
 */
export function typedDataFields(typeString: string): { name: string; type: string }[] {
  const match = /^[A-Za-z_]\w*\((.*)\)$/.exec(typeString);
  if (!match) throw new TypeError(`Not a one-struct EIP-712 type string: ${typeString}`);
  return match[1]!.split(",").map((member) => {
    const [type, name] = member.split(" ");
    return { type: type!, name: name! };
  });
}

export const receiptTypes = { Receipt: typedDataFields(RECEIPT_TYPE) } as const;
export const batchTypes = { Batch: typedDataFields(BATCH_TYPE) } as const;

/**
 * The leaf encoding of a batch tree (ReceiptTypes.batchLeaf): the Receipt's fields in struct order, without the
 * type hash, as a StandardMerkleTree leaf.
 */
export const RECEIPT_LEAF_ENCODING: string[] = typedDataFields(RECEIPT_TYPE).map((field) => field.type);

export function receiptVerifierDomain({ chainId, verifyingContract }: ContractDomain): TypedDataDomain {
  return { ...RECEIPT_VERIFIER_DOMAIN, chainId: Number(chainId), verifyingContract };
}

export function batchReceiptsDomain({ chainId, verifyingContract }: ContractDomain): TypedDataDomain {
  return { ...BATCH_RECEIPTS_DOMAIN, chainId: Number(chainId), verifyingContract };
}
