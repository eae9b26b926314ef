import { randomInt } from "node:crypto";
import { keccak256, toHex, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  batchReceiptsAbi,
  consumeReceipt,
  enclaveRegistryAbi,
  measurementRegistryAbi,
  refreshLiveness,
  submitBatch,
  verifyInclusion,
  verifyReceipt,
} from "../../src/chain/index.js";
import { buildReceiptBatch, getInclusionProof, signBatch, signReceipt, type Receipt } from "../../src/receipts/index.js";
import {
  PROGRAM_ID,
  allowSimulatedVendors,
  chainNowSeconds,
  deployTeezkSystem,
  labelledReceipt,
  registerSimulatedEnclave,
  revertOf,
  testAccount,
  word,
  type RegisteredEnclave,
  type TeezkSystem,
} from "./support/system.js";

describe("receipts signed in TypeScript, verified on-chain", () => {
  let system: TeezkSystem;
  let enclave: RegisteredEnclave;
  let now: bigint;
  const receiptOf = (n: number, programId: Hex = PROGRAM_ID): Receipt => labelledReceipt(n, now, programId);

  beforeAll(async () => {
    system = await deployTeezkSystem();
    const { nodes } = await allowSimulatedVendors(system, ["nitro"]);
    enclave = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("receipt enclave"));
    now = await chainNowSeconds(system);
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
    const submission = { ...system.clients, batchReceipts: system.addresses.batchReceipts, batch: built.batch, signature, programId: PROGRAM_ID };
    const submitted = await submitBatch(submission);
    expect(submitted.enclave).toBe(enclave.account.address);
    // The deployment wires BatchReceipts as a liveness sink, so the signer's liveness is cached for the batch.
    const epoch = await system.clients.publicClient.readContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessEpoch" });
    expect(submitted.livenessCache).toMatchObject({ programId: PROGRAM_ID, epoch });
    const recordOf = (signer: Hex) =>
      system.clients.publicClient.readContract({ address: system.addresses.batchReceipts, abi: batchReceiptsAbi, functionName: "batchRecord", args: [built.batch.root, signer] });
    expect(await recordOf(enclave.account.address)).toMatchObject({ count: 1024, issuedAt: now });
    expect(await recordOf(testAccount("not an enclave").address)).toMatchObject({ count: 0 });

    const indices = new Set<number>();
    while (indices.size < 3) indices.add(randomInt(1024));
    const base = { publicClient: system.clients.publicClient, batchReceipts: system.addresses.batchReceipts, root: built.batch.root, signer: enclave.account.address };
    for (const index of indices) {
      const { receipt, proof } = getInclusionProof({ batch: built, index });
      expect(proof.length, `index ${index}`).toBe(10);
      await expect(verifyInclusion({ ...base, receipt, proof }), `index ${index}`).resolves.toBeUndefined();
      const neighbour = receipts[(index + 1) % 1024]!;
      expect(await revertOf(verifyInclusion({ ...base, receipt: neighbour, proof })), `index ${index}`).toMatch(/^ReceiptNotInBatch\(/);
    }
    const { receipt, proof } = getInclusionProof({ batch: built, index: 7 });
    const stranger = testAccount("not an enclave").address;
    expect(await revertOf(verifyInclusion({ ...base, signer: stranger, receipt, proof }))).toBe(`BatchNotFound(${built.batch.root}, ${stranger})`);
    expect(await revertOf(submitBatch(submission))).toBe(`BatchAlreadySubmitted(${built.batch.root}, ${enclave.account.address})`);
  });

  it("a front-run of the root with a junk signature is refused and does not block the enclave's own submission", async () => {
    const built = buildReceiptBatch({ receipts: [receiptOf(3000), receiptOf(3001), receiptOf(3002)], issuedAt: now });
    const domain = { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts };
    const submission = { ...system.clients, batchReceipts: system.addresses.batchReceipts, batch: built.batch, programId: PROGRAM_ID };
    // A well-formed signature over another batch: it recovers to an address no enclave holds.
    const junk = await signBatch({ account: enclave.account, batch: { ...built.batch, count: 4 }, domain });
    expect(await revertOf(submitBatch({ ...submission, signature: junk }))).toMatch(/^EnclaveNotLive\(0x[0-9a-fA-F]{40}, /);
    // A stranger's own signature over the real batch: refused at submission too (not a live enclave).
    const stranger = testAccount("front-runner");
    const strangerSig = await signBatch({ account: stranger, batch: built.batch, domain });
    expect(await revertOf(submitBatch({ ...submission, signature: strangerSig }))).toBe(`EnclaveNotLive(${stranger.address}, ${PROGRAM_ID})`);

    const submitted = await submitBatch({ ...submission, signature: await signBatch({ account: enclave.account, batch: built.batch, domain }) });
    expect(submitted.enclave).toBe(enclave.account.address);
    const { receipt, proof } = getInclusionProof({ batch: built, index: 2 });
    await verifyInclusion({ publicClient: system.clients.publicClient, batchReceipts: system.addresses.batchReceipts, root: built.batch.root, signer: enclave.account.address, receipt, proof });
  });

  it("refreshLiveness re-caches a live key under the current epoch and refuses a key that is not live", async () => {
    const refreshed = await refreshLiveness({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, enclave: enclave.account.address, programId: PROGRAM_ID });
    const epoch = await system.clients.publicClient.readContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessEpoch" });
    const info = await system.clients.publicClient.readContract({
      address: system.addresses.enclaveRegistry,
      abi: enclaveRegistryAbi,
      functionName: "enclaveInfo",
      args: [enclave.account.address, PROGRAM_ID],
    });
    expect(refreshed.epoch).toBe(epoch);
    expect(refreshed.liveUntil).toBe(info.expiresAt);
    expect(refreshed.receipt.status).toBe("success");
    const stranger = testAccount("never registered").address;
    expect(await revertOf(refreshLiveness({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, enclave: stranger, programId: PROGRAM_ID }))).toBe(
      `EnclaveNotLive(${stranger}, ${PROGRAM_ID})`,
    );
  });
});

describe("a guardian revocation ends an enclave's receipts at once, single and batched", () => {
  it("revoking the Nitro measurement refuses its receipts and inclusions in the next block; the TDX key still answers", async () => {
    const system = await deployTeezkSystem();
    const { probes, nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]);
    const nitro = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("revoked nitro"));
    const tdx = await registerSimulatedEnclave(system, nodes, "tdx", testAccount("surviving tdx"));
    const now = await chainNowSeconds(system);
    const receipt = (label: string): Receipt => labelledReceipt(label, now);
    const receiptDomain = { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier };
    const single = (account: RegisteredEnclave["account"], r: Receipt) =>
      signReceipt({ account, receipt: r, domain: receiptDomain }).then((signature) => ({
        publicClient: system.clients.publicClient,
        receiptVerifier: system.addresses.receiptVerifier,
        receipt: r,
        signature,
      }));
    const built = buildReceiptBatch({ receipts: [receipt("b0"), receipt("b1"), receipt("b2")], issuedAt: now });
    const batchSignature = await signBatch({
      account: nitro.account,
      batch: built.batch,
      domain: { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts },
    });
    await submitBatch({ ...system.clients, batchReceipts: system.addresses.batchReceipts, batch: built.batch, signature: batchSignature, programId: PROGRAM_ID });
    const inclusion = {
      publicClient: system.clients.publicClient,
      batchReceipts: system.addresses.batchReceipts,
      root: built.batch.root,
      signer: nitro.account.address,
      ...getInclusionProof({ batch: built, index: 1 }),
    };
    const nitroReceipt = await single(nitro.account, receipt("n"));
    const tdxReceipt = await single(tdx.account, receipt("t"));
    expect(await verifyReceipt(nitroReceipt)).toBe(nitro.account.address);
    await expect(verifyInclusion(inclusion)).resolves.toBeUndefined();

    const { publicClient } = system.clients;
    const registry = system.addresses.measurementRegistry;
    const epochBefore = await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "livenessEpoch" });
    const [, guardian] = await system.connection.viem.getWalletClients();
    const hash = await guardian!.writeContract({
      address: registry,
      abi: measurementRegistryAbi,
      functionName: "revokeMeasurement",
      args: [probes[0]!.teeType, probes[0]!.measurement],
    });
    expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe("success");
    expect(await publicClient.readContract({ address: registry, abi: measurementRegistryAbi, functionName: "livenessEpoch" })).toBe(epochBefore + 1n);

    expect(await revertOf(verifyReceipt(nitroReceipt))).toMatch(/^EnclaveNotLive\(/);
    expect(await revertOf(verifyInclusion(inclusion))).toMatch(/^EnclaveNotLive\(/);
    expect(await revertOf(consumeReceipt({ ...system.clients, receiptVerifier: system.addresses.receiptVerifier, receipt: nitroReceipt.receipt, signature: nitroReceipt.signature }))).toMatch(
      /^EnclaveNotLive\(/,
    );
    // The TDX key's cache predates the new epoch, so it is answered by the full check, which still says live.
    expect(await verifyReceipt(tdxReceipt)).toBe(tdx.account.address);
    expect(
      await publicClient.readContract({ address: system.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "liveTeeType", args: [tdx.account.address, PROGRAM_ID] }),
    ).toBe(probes[1]!.teeType);

    // refreshLiveness re-caches the surviving key under the new epoch; the revoked key cannot be refreshed.
    const refreshed = await refreshLiveness({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, enclave: tdx.account.address, programId: PROGRAM_ID });
    expect(refreshed.epoch).toBe(epochBefore + 1n);
    expect(await revertOf(refreshLiveness({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, enclave: nitro.account.address, programId: PROGRAM_ID }))).toBe(
      `EnclaveNotLive(${nitro.account.address}, ${PROGRAM_ID})`,
    );
  });
});
