import fc from "fast-check";
import { concat, encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import {
  buildReceiptBatch,
  getInclusionProof,
  hashBatch,
  hashReceipt,
  hashReceiptLeaf,
  recoverReceiptSigner,
  signBatch,
  signReceipt,
  verifyInclusionProof,
  type Receipt,
} from "../../src/receipts/index.js";

const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } as const;
const word = (n: number): Hex => keccak256(toHex(`word ${n}`));
const receiptOf = (n: number): Receipt => ({
  programId: word(0),
  inputDigest: word(3 * n + 1),
  outputDigest: word(3 * n + 2),
  proofDigest: word(3 * n + 3),
  issuedAt: 1_750_000_000n + BigInt(n),
  nonce: keccak256(toHex(`nonce ${n}`)),
});

/** EIP-712 digest written out from the spec, independently of viem's hashTypedData. */
function eip712Digest(name: string, typeString: string, fields: readonly { type: string; value: unknown }[]): Hex {
  const domainTypehash = keccak256(toHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  const separator = keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
      [domainTypehash, keccak256(toHex(name)), keccak256(toHex("1")), BigInt(domain.chainId), domain.verifyingContract],
    ),
  );
  const structHash = keccak256(
    encodeAbiParameters([{ type: "bytes32" }, ...fields.map((f) => ({ type: f.type }))], [keccak256(toHex(typeString)), ...fields.map((f) => f.value)]),
  );
  return keccak256(concat(["0x1901", separator, structHash]));
}

describe("receipts", () => {
  it("hashReceipt is the EIP-712 digest of the Receipt struct under the ReceiptVerifier domain", () => {
    const r = receiptOf(1);
    const expected = eip712Digest(
      "teezk ReceiptVerifier",
      "Receipt(bytes32 programId,bytes32 inputDigest,bytes32 outputDigest,bytes32 proofDigest,uint64 issuedAt,bytes32 nonce)",
      [
        { type: "bytes32", value: r.programId },
        { type: "bytes32", value: r.inputDigest },
        { type: "bytes32", value: r.outputDigest },
        { type: "bytes32", value: r.proofDigest },
        { type: "uint64", value: r.issuedAt },
        { type: "bytes32", value: r.nonce },
      ],
    );
    expect(hashReceipt({ receipt: r, domain })).toBe(expected);
    expect(hashReceipt({ receipt: { ...r, issuedAt: r.issuedAt + 1n }, domain })).not.toBe(expected);
    expect(hashReceipt({ receipt: r, domain: { ...domain, chainId: 1 } })).not.toBe(expected);
  });

  it("signReceipt signs that digest; recoverReceiptSigner returns the enclave address", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const receipt = receiptOf(2);
    const signature = await signReceipt({ account, receipt, domain });
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    expect(await account.sign({ hash: hashReceipt({ receipt, domain }) })).toBe(signature);
    expect(await recoverReceiptSigner({ receipt, signature, domain })).toBe(account.address);
    expect(await recoverReceiptSigner({ receipt: receiptOf(3), signature, domain })).not.toBe(account.address);
  });

  it("hashBatch is the EIP-712 digest of Batch under the BatchReceipts domain; signBatch signs it", async () => {
    const batch = { root: word(99), count: 7, issuedAt: 1_750_000_123n };
    const expected = eip712Digest("teezk BatchReceipts", "Batch(bytes32 root,uint32 count,uint64 issuedAt)", [
      { type: "bytes32", value: batch.root },
      { type: "uint32", value: batch.count },
      { type: "uint64", value: batch.issuedAt },
    ]);
    expect(hashBatch({ batch, domain })).toBe(expected);
    const account = privateKeyToAccount(generatePrivateKey());
    expect(await signBatch({ account, batch, domain })).toBe(await account.sign({ hash: expected }));
  });

  it("batch leaves are keccak256(keccak256(abi.encode(fields))) and every proof leads to the root", () => {
    const receipts = Array.from({ length: 37 }, (_, i) => receiptOf(i));
    const built = buildReceiptBatch({ receipts, issuedAt: 1_750_000_500n });
    expect(built.batch.count).toBe(37);
    for (const index of [0, 1, 17, 36]) {
      const { receipt, leaf, proof } = getInclusionProof({ batch: built, index });
      const r = receipts[index]!;
      const manual = keccak256(
        keccak256(
          encodeAbiParameters(
            [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint64" }, { type: "bytes32" }],
            [r.programId, r.inputDigest, r.outputDigest, r.proofDigest, r.issuedAt, r.nonce],
          ),
        ),
      );
      expect(leaf).toBe(manual);
      expect(hashReceiptLeaf(receipt)).toBe(manual);
      // Walk the proof with OZ MerkleProof's sorted-pair rule, independently of the library's verify.
      let node = leaf;
      for (const sibling of proof) node = keccak256(node < sibling ? concat([node, sibling]) : concat([sibling, node]));
      expect(node).toBe(built.batch.root);
      verifyInclusionProof({ receipt, root: built.batch.root, proof });
    }
  });

  it("a proof for one receipt does not include another, a wrong root or a tampered field", () => {
    const built = buildReceiptBatch({ receipts: Array.from({ length: 8 }, (_, i) => receiptOf(i)), issuedAt: 1n });
    const { proof } = getInclusionProof({ batch: built, index: 3 });
    const reject = (receipt: Receipt, root: Hex) => {
      try {
        verifyInclusionProof({ receipt, root, proof });
        return "accepted";
      } catch (error) {
        return isTeezkError(error) ? error.code : "crash";
      }
    };
    expect(reject(receiptOf(4), built.batch.root)).toBe("RECEIPT_NOT_IN_BATCH");
    expect(reject(receiptOf(3), word(1))).toBe("RECEIPT_NOT_IN_BATCH");
    expect(reject({ ...receiptOf(3), issuedAt: 4n }, built.batch.root)).toBe("RECEIPT_NOT_IN_BATCH");
    expect(reject(receiptOf(3), built.batch.root)).toBe("accepted");
    expect(() => getInclusionProof({ batch: built, index: 8 })).toThrow(/RECEIPT_NOT_IN_BATCH/);
  });

  it("hostile inclusion proofs are rejected with a code, never a crash (fuzzed)", () => {
    const built = buildReceiptBatch({ receipts: Array.from({ length: 5 }, (_, i) => receiptOf(i)), issuedAt: 1n });
    const node = fc.oneof(
      fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => toHex(b)),
      fc.string({ maxLength: 70 }) as fc.Arbitrary<Hex>,
    );
    fc.assert(
      fc.property(fc.array(node, { maxLength: 80 }), fc.nat(4), (proof, index) => {
        try {
          verifyInclusionProof({ receipt: receiptOf(index), root: built.batch.root, proof });
          // Only the genuine proof may pass.
          return JSON.stringify(proof) === JSON.stringify(getInclusionProof({ batch: built, index }).proof);
        } catch (error) {
          return isTeezkError(error, "RECEIPT_NOT_IN_BATCH") || isTeezkError(error, "RECEIPT_INVALID");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("refuses empty batches and duplicate receipts", () => {
    expect(() => buildReceiptBatch({ receipts: [], issuedAt: 1n })).toThrow(/RECEIPT_INVALID/);
    expect(() => buildReceiptBatch({ receipts: [receiptOf(1), receiptOf(2), receiptOf(1)], issuedAt: 1n })).toThrow(/repeats/);
  });

  it("malformed fields are RECEIPT_INVALID, never a crash (fuzzed)", () => {
    const badWord = fc.oneof(
      fc.string({ maxLength: 70 }),
      fc.constant("0x" + "0".repeat(63)),
      fc.constant("0x" + "g".repeat(64)),
      fc.integer().map(String),
    );
    const field = fc.constantFrom("programId", "inputDigest", "outputDigest", "proofDigest", "nonce", "issuedAt");
    const badIssuedAt = fc.oneof(fc.constant(-1n), fc.constant(1n << 64n), fc.constant(5 as unknown as bigint), fc.constant(undefined as unknown as bigint));
    fc.assert(
      fc.property(field, badWord, badIssuedAt, (name, w, t) => {
        const receipt = { ...receiptOf(1), [name]: name === "issuedAt" ? t : w } as Receipt;
        for (const run of [() => hashReceipt({ receipt, domain }), () => buildReceiptBatch({ receipts: [receipt], issuedAt: 1n })]) {
          try {
            run();
            return false;
          } catch (error) {
            if (!isTeezkError(error, "RECEIPT_INVALID")) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
    expect(() => hashBatch({ batch: { root: word(1), count: 0, issuedAt: 1n }, domain })).toThrow(/RECEIPT_INVALID/);
    expect(() => hashBatch({ batch: { root: word(1), count: 2 ** 32, issuedAt: 1n }, domain })).toThrow(/RECEIPT_INVALID/);
    expect(() => hashReceipt({ receipt: receiptOf(1), domain: { chainId: 0, verifyingContract: domain.verifyingContract } })).toThrow(/RECEIPT_INVALID/);
  });
});
