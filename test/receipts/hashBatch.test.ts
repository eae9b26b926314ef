import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { hashBatch, signBatch } from "../../src/receipts/index.js";
import { domain, word, eip712Digest } from "./receiptSamples.js";

describe("hashBatch", () => {
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
});
