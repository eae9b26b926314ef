import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPrivateProofVerifierContext, submitPrivateProof } from "../../src/chain/index.js";
import { delegateProof, verifyAttestation, type DelegateProofReturnType } from "../../src/client/index.js";
import { registerThroughCommittee } from "../../src/devnet/registerThroughCommittee.js";
import { buildDevReferenceValues } from "../../src/devnet/buildDevReferenceValues.js";
import { createGroth16Prover } from "../../src/prover/index.js";
import { openArchive, type Archive } from "../../src/store/index.js";
import { getDevRoots, devRootPin } from "../../src/tee/simulated/index.js";
import { allowClaims, createNodes, deployTeezkSystem, PROGRAM_ID, probeSimulatedClaims, revertOf, type TeezkSystem } from "../chain/support/system.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { rejection, startTestProver, type TestProver } from "../services/proverSupport.js";

describe("a delegated proof accepted on-chain by PrivateProofVerifier (submitPrivateProof)", () => {
  const prover = createGroth16Prover();
  const fixture = membershipFixture();
  let system: TeezkSystem;
  let node: TestProver;
  let dir: string;
  let archive: Archive;
  let delegated: DelegateProofReturnType;

  beforeAll(async () => {
    system = await deployTeezkSystem();
    const claims = probeSimulatedClaims("tdx", await system.chainNow());
    await allowClaims(system, claims);
    const trustedRoot = devRootPin(getDevRoots(), "tdx");
    const committee = createNodes(system, [claims], [trustedRoot]);
    dir = mkdtempSync(join(tmpdir(), "teezk-submit-"));
    archive = openArchive(join(dir, "archive.sqlite"));
    node = await startTestProver({
      vendor: "tdx",
      prover,
      programIds: { membership: PROGRAM_ID },
      receiptDomain: { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier },
    });
    // The node registers through the committee path with evidence it serves for the registry's challenge.
    const referenceValues = buildDevReferenceValues({ allowed: [claims] });
    await registerThroughCommittee({
      devnet: system.devnet,
      attest: async (nonce) => {
        const answer = await (await fetch(`${node.url}/v1/attestation?nonce=${nonce}`)).json();
        const attested = verifyAttestation({ attestation: answer, nonce, referenceValues, trustedRoots: [trustedRoot], now: await system.chainNow() });
        const { evidence, collateral } = answer as { evidence: string; collateral: Record<string, string> };
        const collateralDir = mkdtempSync(join(dir, "collateral-"));
        for (const [name, text] of Object.entries(collateral)) writeFileSync(join(collateralDir, name), text);
        return { enclaveAddress: attested.enclaveAddress, hpkePublicKey: attested.hpkePublicKey, evidence: new Uint8Array(Buffer.from(evidence, "base64")), collateralDir };
      },
      collectVerdicts: ({ attestation, binding, now }) =>
        Promise.all(committee.map((member) => member.attest({ evidence: attestation.evidence, now, expectedBinding: binding, collateralDir: attestation.collateralDir! }))),
    });

    // The client reads what the contract expects first, so a node set up for another deployment gets nothing.
    const context = await getPrivateProofVerifierContext({ publicClient: system.clients.publicClient, privateProofVerifier: system.addresses.privateProofVerifier });
    expect(context.programId).toBe(PROGRAM_ID);
    delegated = await delegateProof({
      proverUrl: node.url,
      circuit: "membership",
      witnessInput: fixture.witnessInput,
      referenceValues,
      trustedRoots: [trustedRoot],
      programId: context.programId,
      receiptDomain: context.receiptDomain,
      verifier: prover,
    });
  });

  afterAll(async () => {
    await node?.close();
    await prover.close();
    archive?.close();
    await system?.devnet.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("is consumed once, signed by the registered enclave, and recorded; a second submission reverts", async () => {
    const submitted = await submitPrivateProof({ ...system.clients, privateProofVerifier: system.addresses.privateProofVerifier, proof: delegated });
    expect(submitted.enclave).toBe(node.node.enclaveAddress);
    expect(submitted.gasUsed).toBeGreaterThan(0n);
    // The library sends; the caller records what it sent in its own archive.
    const transaction = archive.recordTransaction({
      chainId: system.chainId,
      txHash: submitted.hash,
      kind: "consumePrivateProof",
      status: "confirmed",
      blockNumber: submitted.receipt.blockNumber,
      subjectId: "delegated-membership-proof",
    });
    expect(transaction).toMatchObject({ txHash: submitted.hash, kind: "consumePrivateProof", status: "confirmed", subjectId: "delegated-membership-proof" });
    expect(await revertOf(submitPrivateProof({ ...system.clients, privateProofVerifier: system.addresses.privateProofVerifier, proof: delegated }))).toMatch(
      /^PrivateProofAlreadyConsumed/,
    );
  });

  it("refuses, before sending, a receipt made for another program or another ReceiptVerifier", async () => {
    const base = { ...system.clients, privateProofVerifier: system.addresses.privateProofVerifier };
    const otherProgram = { ...delegated, receipt: { ...delegated.receipt, programId: `0x${"01".repeat(32)}` as Hex } };
    expect((await rejection(submitPrivateProof({ ...base, proof: otherProgram }))).code).toBe("RECEIPT_CONTEXT_MISMATCH");
    const otherDomain = { ...delegated, receiptDomain: { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts } };
    expect((await rejection(submitPrivateProof({ ...base, proof: otherDomain }))).code).toBe("RECEIPT_CONTEXT_MISMATCH");
  });
});
