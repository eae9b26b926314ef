import { readFileSync } from "node:fs";
import type { Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { measurementRegistryAbi } from "../../src/chain/index.js";
import { receiptsBatchRefreshLiveness } from "../../src/cli/commands/receipts/receiptsBatchRefreshLiveness.js";
import { receiptsBatchSubmit } from "../../src/cli/commands/receipts/receiptsBatchSubmit.js";
import { receiptsBatchVerifyInclusion } from "../../src/cli/commands/receipts/receiptsBatchVerifyInclusion.js";
import { receiptsConsume } from "../../src/cli/commands/receipts/receiptsConsume.js";
import { receiptsVerify } from "../../src/cli/commands/receipts/receiptsVerify.js";
import type { ChainDeployment } from "../../src/cli/support/resolveDeployment.js";
import { buildReceiptBatch, getInclusionProof, signBatch, signReceipt, type Receipt } from "../../src/receipts/index.js";
import {
  PROGRAM_ID,
  allowSimulatedVendors,
  chainNowSeconds,
  deployTeezkSystem,
  labelledReceipt,
  registerSimulatedEnclave,
  testAccount,
  type RegisteredEnclave,
  type TeezkSystem,
} from "../chain/support/system.js";
import { deploymentOf, tempDir, writeTemp } from "./support/chainCli.js";
import { rejection } from "../support/rejection.js";

describe("teezk receipts … on the in-process chain", () => {
  let system: TeezkSystem;
  let deployment: ChainDeployment;
  let enclave: RegisteredEnclave;
  let now: bigint;
  const dir = tempDir();
  const receiptOf = (label: string): Receipt => labelledReceipt(label, now);
  const jsonl = (receipts: readonly Receipt[]) => receipts.map((r) => JSON.stringify({ receipt: { ...r, issuedAt: Number(r.issuedAt) } })).join("\n") + "\n";

  beforeAll(async () => {
    system = await deployTeezkSystem();
    deployment = deploymentOf(system);
    const { nodes } = await allowSimulatedVendors(system, ["nitro"]);
    enclave = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("cli receipts enclave"));
    now = await chainNowSeconds(system);
  });

  it("verify (a view) names the live enclave; consume records it once; a second consume is refused with a hint", async () => {
    const receipt = receiptOf("single");
    const signature = await signReceipt({ account: enclave.account, receipt, domain: { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier } });
    // As a prover node returns it: issuedAt as a decimal string, extra members ignored.
    const receiptFile = writeTemp(dir, "receipt.json", { receipt: { ...receipt, issuedAt: receipt.issuedAt.toString() }, signature, proof: { ignored: true } });

    const verified = await receiptsVerify({ ...system.clients, deployment, receiptFile });
    expect(verified.json).toEqual({ ok: true, command: "receipts verify", valid: true, enclave: enclave.account.address, signer: enclave.account.address, programId: PROGRAM_ID });

    const consumed = await receiptsConsume({ ...system.clients, deployment, receiptFile });
    expect(consumed.json).toMatchObject({ enclave: enclave.account.address, consumer: system.clients.walletClient.account.address });
    const event = (consumed.json.events as { contract: string; name: string; args: Record<string, unknown> }[])[0];
    expect(event).toMatchObject({ contract: "receiptVerifier", name: "ReceiptConsumed", args: { programId: PROGRAM_ID, enclave: enclave.account.address } });

    const replay = await rejection(receiptsConsume({ ...system.clients, deployment, receiptFile }));
    expect(replay.details).toMatch(/^ReceiptAlreadyConsumed\(/);
    expect(replay.metaMessages.join(" ")).toContain("one-time");
  });

  it("verify refuses a receipt signed by a key that never registered, with the decoded reason and a hint", async () => {
    const receipt = receiptOf("stranger");
    const stranger = testAccount("never registered");
    const signature = await signReceipt({ account: stranger, receipt, domain: { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier } });
    const error = await rejection(receiptsVerify({ ...system.clients, deployment, receiptFile: writeTemp(dir, "stranger.json", { receipt, signature }) }));
    expect(error.code).toBe("CHAIN_CALL_FAILED");
    expect(error.details).toBe(`EnclaveNotLive(${stranger.address}, ${PROGRAM_ID})`);
    expect(error.metaMessages.join(" ")).toContain("registry register");
  });

  it("batch submit rebuilds the root from a JSON lines file; verify-inclusion by index and by explicit proof", async () => {
    const receipts = Array.from({ length: 16 }, (_, i) => receiptOf(`batch ${i}`));
    const built = buildReceiptBatch({ receipts, issuedAt: now });
    const signature = await signBatch({ account: enclave.account, batch: built.batch, domain: { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts } });
    const receiptsFile = writeTemp(dir, "batch.jsonl", jsonl(receipts));

    const submitted = await receiptsBatchSubmit({ ...system.clients, deployment, receiptsFile, signature, issuedAt: now });
    expect(submitted.json).toMatchObject({ root: built.batch.root, count: 16, enclave: enclave.account.address });
    const event = (submitted.json.events as { name: string; args: Record<string, unknown> }[])[0];
    expect(event).toMatchObject({ name: "BatchSubmitted", args: { root: built.batch.root, enclave: enclave.account.address, count: 16, issuedAt: now.toString() } });
    expect(submitted.text).toContain("gas per receipt");
    expect(submitted.text).toContain(`--signer ${enclave.account.address}`);
    expect(submitted.text).toContain("liveness cached for its program");
    expect(submitted.json).toMatchObject({ livenessCachedFor: [PROGRAM_ID], livenessUncachedFor: [] });

    const signer = enclave.account.address;
    const byIndex = await receiptsBatchVerifyInclusion({ ...system.clients, deployment, signer, receiptsFile, index: 11 });
    expect(byIndex.json).toMatchObject({ included: true, root: built.batch.root, index: 11, enclave: enclave.account.address });

    const { receipt, proof } = getInclusionProof({ batch: built, index: 5 });
    const receiptFile = writeTemp(dir, "member.json", { ...receipt, issuedAt: Number(receipt.issuedAt) });
    const byProof = await receiptsBatchVerifyInclusion({ ...system.clients, deployment, signer, receiptFile, root: built.batch.root, proof });
    expect(byProof.json).toMatchObject({ included: true, enclave: enclave.account.address, proof });

    // A proof for another leaf is caught locally, before the chain is asked.
    const wrong = await rejection(
      receiptsBatchVerifyInclusion({ ...system.clients, deployment, signer, receiptFile, root: built.batch.root, proof: getInclusionProof({ batch: built, index: 6 }).proof }),
    );
    expect(wrong.code).toBe("RECEIPT_NOT_IN_BATCH");

    const again = await rejection(receiptsBatchSubmit({ ...system.clients, deployment, receiptsFile, signature, issuedAt: now }));
    expect(again.details).toBe(`BatchAlreadySubmitted(${built.batch.root}, ${signer})`);
    expect(again.metaMessages.join(" ")).toContain(`--signer ${signer}`);

    // Naming a signer that never submitted this root: BatchNotFound for that (root, signer), with a hint.
    const stranger = testAccount("never submitted").address;
    const unknown = await rejection(receiptsBatchVerifyInclusion({ ...system.clients, deployment, signer: stranger, receiptsFile, index: 11 }));
    expect(unknown.details).toBe(`BatchNotFound(${built.batch.root}, ${stranger})`);
    expect(unknown.metaMessages.join(" ")).toContain("--signer");
  });

  it("batch refresh-liveness caches a live signer again after a revocation elsewhere, and refuses a program it is not live for", async () => {
    const receipts = Array.from({ length: 4 }, (_, i) => receiptOf(`refresh ${i}`));
    const built = buildReceiptBatch({ receipts, issuedAt: now });
    const signature = await signBatch({ account: enclave.account, batch: built.batch, domain: { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts } });
    await receiptsBatchSubmit({ ...system.clients, deployment, receiptsFile: writeTemp(dir, "refresh.jsonl", jsonl(receipts)), signature, issuedAt: now });
    const signer = enclave.account.address;

    // The guardian revokes a measurement nobody here runs: the liveness epoch advances, the batch's cache is stale.
    const [, guardian] = await system.connection.viem.getWalletClients();
    const revoked = await guardian!.writeContract({
      address: system.addresses.measurementRegistry,
      abi: measurementRegistryAbi,
      functionName: "revokeMeasurement",
      args: [5, `0x${"ab".repeat(32)}`],
    });
    await system.clients.publicClient.waitForTransactionReceipt({ hash: revoked });
    const epoch = await system.clients.publicClient.readContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessEpoch" });

    const refreshed = await receiptsBatchRefreshLiveness({ ...system.clients, deployment, root: built.batch.root, signer, programId: PROGRAM_ID });
    expect(refreshed.json).toMatchObject({ root: built.batch.root, signer, programId: PROGRAM_ID, epoch: epoch.toString() });
    expect(refreshed.text).toContain(`under liveness epoch ${epoch}`);

    const otherProgram: Hex = `0x${"cd".repeat(32)}`;
    const notLive = await rejection(receiptsBatchRefreshLiveness({ ...system.clients, deployment, root: built.batch.root, signer, programId: otherProgram }));
    expect(notLive.details).toBe(`EnclaveNotLive(${signer}, ${otherProgram})`);
    expect(notLive.metaMessages.join(" ")).toContain("registry register");
  });

  it("refuses a batch signed over another issuedAt, a batch never submitted, and a malformed receipts line", async () => {
    const receipts = Array.from({ length: 3 }, (_, i) => receiptOf(`unsubmitted ${i}`));
    const built = buildReceiptBatch({ receipts, issuedAt: now });
    const signature = await signBatch({ account: enclave.account, batch: built.batch, domain: { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts } });
    const receiptsFile = writeTemp(dir, "unsubmitted.jsonl", jsonl(receipts));
    // Signed for `now`, claimed for `now - 1`: the signature recovers to some other address, which is no enclave;
    // the CLI refuses before sending (the contract would refuse it too).
    const shifted = await rejection(receiptsBatchSubmit({ ...system.clients, deployment, receiptsFile, signature, issuedAt: now - 1n }));
    expect(shifted.code).toBe("SIGNATURE_INVALID");
    expect(shifted.shortMessage).toContain(`not a live enclave for program ${PROGRAM_ID}`);
    const dropped = await rejection(receiptsBatchSubmit({ ...system.clients, deployment, receiptsFile: writeTemp(dir, "dropped.jsonl", jsonl(receipts.slice(1))), signature, issuedAt: now }));
    expect(dropped.code).toBe("SIGNATURE_INVALID");

    const missing = await rejection(receiptsBatchVerifyInclusion({ ...system.clients, deployment, signer: enclave.account.address, receiptsFile, index: 0 }));
    expect(missing.details).toBe(`BatchNotFound(${built.batch.root}, ${enclave.account.address})`);
    expect(missing.metaMessages.join(" ")).toContain("receipts batch submit");

    const lines = readFileSync(receiptsFile, "utf8").split("\n");
    lines[1] = lines[1]!.replace(/"nonce":"0x[0-9a-f]+"/, '"nonce":"0x1234"');
    const malformed = await rejection(
      receiptsBatchVerifyInclusion({ ...system.clients, deployment, signer: enclave.account.address, receiptsFile: writeTemp(dir, "malformed.jsonl", lines.join("\n")), index: 0 }),
    );
    expect(malformed.code).toBe("RECEIPT_INVALID");
    expect(malformed.shortMessage).toContain("malformed.jsonl:2");
  });
});
