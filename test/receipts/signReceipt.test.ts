import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { hashReceipt, recoverReceiptSigner, signReceipt } from "../../src/receipts/index.js";
import { domain, receiptOf } from "./receiptSamples.js";

describe("signReceipt", () => {
  it("signReceipt signs that digest; recoverReceiptSigner returns the enclave address", async () => {
    const account = privateKeyToAccount(generatePrivateKey());
    const receipt = receiptOf(2);
    const signature = await signReceipt({ account, receipt, domain });
    expect(signature).toMatch(/^0x[0-9a-f]{130}$/);
    expect(await account.sign({ hash: hashReceipt({ receipt, domain }) })).toBe(signature);
    expect(await recoverReceiptSigner({ receipt, signature, domain })).toBe(account.address);
    expect(await recoverReceiptSigner({ receipt: receiptOf(3), signature, domain })).not.toBe(account.address);
  });
});
