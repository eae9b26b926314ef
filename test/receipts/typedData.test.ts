import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodeAbiParameters, keccak256, toHex } from "viem";
import { describe, expect, it } from "vitest";
import {
  BATCH_RECEIPTS_DOMAIN,
  BATCH_TYPE,
  RECEIPT_LEAF_ENCODING,
  RECEIPT_TYPE,
  RECEIPT_VERIFIER_DOMAIN,
  batchTypes,
  receiptTypes,
} from "../../src/receipts/index.js";

const contracts = fileURLToPath(new URL("../../contracts/", import.meta.url));
const read = (path: string) => readFileSync(`${contracts}${path}`, "utf8");

/** The string literal assigned to `name` in Solidity source (a constant may wrap onto the next line). */
function solidityString(source: string, name: string): string {
  const match = new RegExp(`${name}\\s*=\\s*"([^"]*)"`).exec(source);
  if (!match) throw new Error(`${name} not found`);
  return match[1]!;
}

/** The EIP712("name", "version") constructor arguments of a contract. */
function eip712Arguments(source: string): { name: string; version: string } {
  const match = /EIP712\(\s*"([^"]*)"\s*,\s*"([^"]*)"\s*\)/.exec(source);
  if (!match) throw new Error("EIP712 constructor call not found");
  return { name: match[1]!, version: match[2]! };
}

describe("receipt EIP-712 types mirror contracts/receipts", () => {
  const receiptSol = read("receipts/Receipt.sol");

  it("type strings equal ReceiptTypes.RECEIPT_TYPE and BATCH_TYPE, so the type hashes match", () => {
    expect(RECEIPT_TYPE).toBe(solidityString(receiptSol, "RECEIPT_TYPE"));
    expect(BATCH_TYPE).toBe(solidityString(receiptSol, "BATCH_TYPE"));
    expect(keccak256(toHex(RECEIPT_TYPE))).toBe(keccak256(toHex(solidityString(receiptSol, "RECEIPT_TYPE"))));
    expect(keccak256(toHex(BATCH_TYPE))).toBe(keccak256(toHex(solidityString(receiptSol, "BATCH_TYPE"))));
  });

  it("the viem types encode back to the same type strings (what hashTypedData hashes)", () => {
    const encode = (name: string, fields: readonly { name: string; type: string }[]) =>
      `${name}(${fields.map((f) => `${f.type} ${f.name}`).join(",")})`;
    expect(encode("Receipt", receiptTypes.Receipt)).toBe(RECEIPT_TYPE);
    expect(encode("Batch", batchTypes.Batch)).toBe(BATCH_TYPE);
  });

  it("the struct fields follow the Solidity struct order", () => {
    const structFields = (name: string) => {
      const body = new RegExp(`struct ${name} \\{([^}]*)\\}`).exec(receiptSol)![1]!;
      return [...body.matchAll(/(\w+)\s+(\w+);/g)].map((m) => `${m[1]} ${m[2]}`);
    };
    expect(receiptTypes.Receipt.map((f) => `${f.type} ${f.name}`)).toEqual(structFields("Receipt"));
    expect(batchTypes.Batch.map((f) => `${f.type} ${f.name}`)).toEqual(structFields("Batch"));
  });

  it("domains equal the EIP712 constructor arguments of ReceiptVerifier and BatchReceipts", () => {
    expect(RECEIPT_VERIFIER_DOMAIN).toEqual(eip712Arguments(read("receipts/ReceiptVerifier.sol")));
    expect(BATCH_RECEIPTS_DOMAIN).toEqual(eip712Arguments(read("receipts/BatchReceipts.sol")));
  });

  it("the leaf encoding is batchLeaf's abi.encode field list", () => {
    const body = /function batchLeaf[\s\S]*?abi\.encode\(([\s\S]*?)\)\s*\)/.exec(receiptSol)![1]!;
    const fields = [...body.matchAll(/receipt\.(\w+)/g)].map((m) => m[1]);
    expect(fields).toEqual(receiptTypes.Receipt.map((f) => f.name));
    expect(RECEIPT_LEAF_ENCODING).toEqual(receiptTypes.Receipt.map((f) => f.type));
    // An encoding that cannot be ABI-encoded would throw here.
    encodeAbiParameters(RECEIPT_LEAF_ENCODING.map((type) => ({ type })), [`0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`, `0x${"33".repeat(32)}`, `0x${"44".repeat(32)}`, 5n, `0x${"55".repeat(32)}`]);
  });
});
