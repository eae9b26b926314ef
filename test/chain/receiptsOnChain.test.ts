import { randomInt } from "node:crypto";
import { keccak256, toHex, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { batchReceiptsAbi, consumeReceipt, submitBatch, verifyInclusion, verifyReceipt } from "../../src/chain/index.js";
import { buildReceiptBatch, getInclusionProof, signBatch, signReceipt, type Receipt } from "../../src/receipts/index.js";
import {
  PROGRAM_ID,
  allowClaims,
  createNodes,
  deployTeezkSystem,
  probeSimulatedClaims,
  registerSimulatedEnclave,
  simulate,
  testAccount,
  type RegisteredEnclave,
  type TeezkSystem,
  revertOf,
  word,
} from "./support/system.js";



describe("receipts signed in TypeScript, verified on-chain", () => {
  let system: TeezkSystem;
  let enclave: RegisteredEnclave;
  let now: bigint;
  const receiptOf = (n: number, programId: Hex = PROGRAM_ID): Receipt => ({
    programId,
    inputDigest: word(`in ${n}`),
    outputDigest: word(`out ${n}`),
    proofDigest: word(`proof ${n}`),
    issuedAt: now,
    nonce: word(`nonce ${n}`),
  });

  beforeAll(async () => {
    system = await deployTeezkSystem();
    const at = await system.chainNow();
    const probe = probeSimulatedClaims("nitro", at);
    await allowClaims(system, probe);
    const nodes = createNodes(system, [probe], [simulate("nitro", probe.reportData, at).trustedRoot]);
    enclave = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("receipt enclave"));
    now = BigInt(Math.floor((await system.chainNow()).getTime() / 1000));
  });

  it("verifyReceipt returns the live enclave; consumeReceipt records it once per consumer", async () => {
    const receipt = receiptOf(1);
    const domain = { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier };
    const signature = await signReceipt({ account: enclave.account, receipt, domain });
    const base = { ...system.clients, receiptVerifier: system.addresses.receiptVerifier, receipt, signature };
    expect(await verifyReceipt(base)).toBe(enclave.account.address);
    const consumed = await consumeReceipt(base);
    expect(consumed.enclave).toBe(enclave.account.address);
    expect(await revertOf(consumeReceipt(base))).toMatch(/^ReceiptAlreadyConsumed\(/);
    // The view still answers: consumption is the integrator's replay guard, not a revocation.
    expect(await verifyReceipt(base)).toBe(enclave.account.address);
  });

  it("refuses an unregistered signer, another program, a tampered field and a receipt from the future", async () => {
    const domain = { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier };
    const base = { ...system.clients, receiptVerifier: system.addresses.receiptVerifier };
    const stranger = testAccount("not an enclave");
    const receipt = receiptOf(2);
    const strangerSig = await signReceipt({ account: stranger, receipt, domain });
    expect(await revertOf(verifyReceipt({ ...base, receipt, signature: strangerSig }))).toBe(`EnclaveNotLive(${stranger.address}, ${PROGRAM_ID})`);
    const other = receiptOf(2, word("another program"));
    expect(await revertOf(verifyReceipt({ ...base, receipt: other, signature: await signReceipt({ account: enclave.account, receipt: other, domain }) }))).toMatch(
      /^EnclaveNotLive\(/,
    );
    const signature = await signReceipt({ account: enclave.account, receipt, domain });
    expect(await revertOf(verifyReceipt({ ...base, receipt: { ...receipt, outputDigest: word("forged") }, signature }))).toMatch(/^EnclaveNotLive\(/);
    const future = { ...receipt, issuedAt: now + 3600n };
    expect(await revertOf(verifyReceipt({ ...base, receipt: future, signature: await signReceipt({ account: enclave.account, receipt: future, domain }) }))).toMatch(
      /^ReceiptFromFuture\(/,
    );
  });

  it("a batch of 1,024 receipts: one submission, then three random inclusions verify on-chain", async () => {
    const receipts = Array.from({ length: 1024 }, (_, i) => receiptOf(1000 + i));
    const built = buildReceiptBatch({ receipts, issuedAt: now });
    const domain = { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts };
    const signature = await signBatch({ account: enclave.account, batch: built.batch, domain });
    const submitted = await submitBatch({ ...system.clients, batchReceipts: system.addresses.batchReceipts, batch: built.batch, signature });
    expect(submitted.enclave).toBe(enclave.account.address);
    const record = (await system.clients.publicClient.readContract({
      address: system.addresses.batchReceipts,
      abi: batchReceiptsAbi,
      functionName: "batchRecord",
      args: [built.batch.root],
    })) as { enclave: string; count: number };
    expect(record).toMatchObject({ enclave: enclave.account.address, count: 1024 });

    const indices = new Set<number>();
    while (indices.size < 3) indices.add(randomInt(1024));
    const base = { publicClient: system.clients.publicClient, batchReceipts: system.addresses.batchReceipts, root: built.batch.root };
    for (const index of indices) {
      const { receipt, proof } = getInclusionProof({ batch: built, index });
      expect(proof.length, `index ${index}`).toBe(10);
      expect(await verifyInclusion({ ...base, receipt, proof }), `index ${index}`).toBe(enclave.account.address);
      const neighbour = receipts[(index + 1) % 1024]!;
      expect(await revertOf(verifyInclusion({ ...base, receipt: neighbour, proof })), `index ${index}`).toMatch(/^ReceiptNotInBatch\(/);
    }
    expect(await revertOf(submitBatch({ ...system.clients, batchReceipts: system.addresses.batchReceipts, batch: built.batch, signature }))).toMatch(
      /^BatchAlreadySubmitted\(/,
    );
  });
});
