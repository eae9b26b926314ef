import { Writable } from "node:stream";
import { isAddressEqual, keccak256, parseAbi, parseEventLogs, type Address, type Hex } from "viem";
import { expect, it } from "vitest";
import { enclaveRegistryAbi, multiProverRootsAbi, verifyPrivateProof, verifyReceipt } from "../../../src/chain/index.js";
import type { DemoContext, RunDemoFlowReturnType } from "../../../src/demo/runDemoFlow.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { DEMO_ROLLUP_BALANCES, DEMO_ROLLUP_BATCHES } from "../../../src/demo/demoRollup.js";
import { proofDigest, type Groth16Calldata } from "../../../src/prover/index.js";
import { applyRollupBatch, createRollupState, rootToHex } from "../../../src/rollup/index.js";
import { signReceipt, type Receipt } from "../../../src/receipts/index.js";

/** RollupRootProofVerifier's getters: a RootProofVerifierTestDouble has neither, so reading them tells the two apart. */
const rollupRootProofVerifierGetters = parseAbi(["function genesisRoot() view returns (bytes32)", "function groth16Verifier() view returns (address)"]);

/** The decoded custom error of a refused chain call, or "accepted". */
async function refusal(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (isTeezkError(error, "CHAIN_CALL_FAILED")) return error.details ?? "";
    throw error;
  }
  return "accepted";
}

/** The main job's steps, in order, as `npm run demo` runs them. */
export const EXPECTED_STEPS = [
  "deploy",
  "govern",
  "verifier-nodes",
  "prover-nodes",
  "register-tdx",
  "register-sevsnp",
  "register-nitro",
  "register-rollup",
  "delegate",
  "private-proof",
  "tampered-proof",
  "batch",
  "tee-and-zk-roots",
  "root-finalized",
  "conflict-halts",
  "zk-while-halted",
  "resume",
  "escape-hatch",
  "expired-enclave",
  "dcap-route",
  "register-tdx-dcap",
] as const;

export type DemoRun = { result: RunDemoFlowReturnType; context: DemoContext };

/** A kept-open run as the suite reads it; a flow that stopped before its network was up fails with its last step. */
export function demoRunOf(result: RunDemoFlowReturnType): DemoRun {
  if (!result.context) throw new Error(`the flow stopped early: ${JSON.stringify(result.steps.at(-1), (_, v) => (typeof v === "bigint" ? String(v) : v))}`);
  return { result, context: result.context };
}
export type DemoOutcomeTestsParameters = {
  /** The run, once beforeAll has made it. */
  run: () => DemoRun;
  expectedSteps: readonly string[];
  /** Proofs the prover nodes made (the demo's one, plus any a test step delegated). */
  delegations: number;
};

/**
 * What the main job must leave behind, on whichever chain it ran: every step passed with the gas of its own
 * transactions, the enclaves registered through verdicts over HTTP, the roots scenario's outcome on chain, the
 * refusals, and the archive. One suite for the in-process chain and a separate node.
 */
export function demoOutcomeTests({ run, expectedSteps, delegations }: DemoOutcomeTestsParameters): void {
  it("every step passes, in order; steps that transact report the gas of their blocks", () => {
    const { result } = run();
    const failed = result.steps.filter((step) => !step.ok).map((step) => `${step.id}: ${step.error}`);
    expect(failed).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.steps.map((step) => step.id)).toEqual(expectedSteps);
    for (const step of result.steps) expect(step.gasUsed > 0n, step.id).toBe(step.transactions > 0);
    const byId = Object.fromEntries(result.steps.map((step) => [step.id, step]));
    // Registration = issueChallenge + register; the rollup step registers three enclaves.
    for (const id of ["register-tdx", "register-sevsnp", "register-nitro"]) expect(byId[id]!.transactions, id).toBe(2);
    expect(byId["register-rollup"]!.transactions).toBe(6);
    expect(byId["delegate"]!.transactions).toBe(0);
  });

  it("each of the six enclaves was registered through 3 verdicts fetched over HTTP, with its vendor's allowed measurement", async () => {
    const { context } = run();
    const committee = context.devnet.committee.map((a) => a.toLowerCase()).sort();
    const enclaves = [
      ...Object.values(context.registered).map((r) => ({ address: r.enclave, verdicts: r.verdicts, claims: r.claims })),
    ];
    expect(enclaves).toHaveLength(3);
    for (const enclave of enclaves) {
      expect(enclave.verdicts.map((v) => v.verdict.signer.toLowerCase()).sort()).toEqual(committee);
    }
    const vendors = ["tdx", "sevsnp", "nitro"] as const;
    const addresses: Address[] = [...vendors.map((v) => context.registered[v].enclave), ...vendors.map((v) => context.rollupSigners[v].address)];
    expect(new Set(addresses).size).toBe(6);
    for (const [i, address] of addresses.entries()) {
      const vendor = vendors[i % 3]!;
      const info = (await context.devnet.clients.publicClient.readContract({
        address: context.devnet.addresses.enclaveRegistry,
        abi: enclaveRegistryAbi,
        functionName: "enclaveInfo",
        args: [address, context.devnet.programId],
      })) as { teeType: number; measurement: Hex; expiresAt: bigint };
      expect(info.teeType, address).toBe(context.allowed[vendor].teeType);
      expect(info.measurement, address).toBe(context.allowed[vendor].measurement);
      expect(info.expiresAt > 0n, address).toBe(true);
    }
    // Three different TEE types: what a two-vendor quorum needs.
    expect(new Set(vendors.map((v) => context.allowed[v].teeType)).size).toBe(3);
  });

  it("the delegated proof came from the registered TDX node: its attested keys, a receipt committing to the proof", () => {
    const { context } = run();
    const delegated = context.delegated!;
    const tdx = context.registered.tdx;
    expect(delegated.kind).toBe("tdx");
    expect(isAddressEqual(delegated.enclaveAddress, tdx.enclave)).toBe(true);
    // The witness was sealed to the key whose hash the registry stored at registration.
    expect(keccak256(delegated.hpkePublicKey)).toBe(tdx.hpkeKeyHash);
    expect(delegated.receipt.programId).toBe(context.devnet.programId);
    expect(delegated.receipt.proofDigest).toBe(proofDigest(delegated.calldata));
    expect(delegated.publicSignals).toHaveLength(4);
  });

  it("roots: epoch 1 by the two-vendor quorum, disputed by the SEV-SNP signer (removed) and settled by ZK; epochs 2 and 3 by ZK; resumed", async () => {
    const { context } = run();
    const { publicClient } = context.devnet.clients;
    const roots = (functionName: string, args: readonly unknown[] = []) =>
      publicClient.readContract({ address: context.devnet.addresses.multiProverRoots, abi: multiProverRootsAbi, functionName: functionName as never, args: args as never });
    // Each finalized root is the rollup's honest state after that epoch's batch, recomputed here from the batches.
    let state = createRollupState({ balances: DEMO_ROLLUP_BALANCES });
    for (const [i, batch] of DEMO_ROLLUP_BATCHES.entries()) {
      const epoch = BigInt(i + 1);
      state = applyRollupBatch({ state, batch, epoch }).state;
      expect(await roots("finalizedRoot", [epoch]), `epoch ${epoch}`).toBe(rootToHex(state.root));
    }
    expect(await roots("disputedRoots", [1n]), "the ZK proof settled epoch 1's dispute").toEqual([`0x${"00".repeat(32)}`, `0x${"00".repeat(32)}`]);
    expect(await roots("halted")).toBe(false);
    // The ZK leg that settled them is the rollup circuit's, from the demo rollup's opening state (no double).
    const zkLeg = (await roots("rootProofVerifier")) as Address;
    expect(isAddressEqual(zkLeg, context.devnet.addresses.rootProofVerifier)).toBe(true);
    const rollupVerifier = (functionName: "genesisRoot" | "groth16Verifier") =>
      publicClient.readContract({ address: zkLeg, abi: rollupRootProofVerifierGetters, functionName });
    expect(await rollupVerifier("genesisRoot")).toBe(rootToHex(createRollupState({ balances: DEMO_ROLLUP_BALANCES }).root));
    expect((await publicClient.getCode({ address: await rollupVerifier("groth16Verifier") }))?.length ?? 0).toBeGreaterThan(2);
    const removed = (address: Address) =>
      publicClient.readContract({ address: context.devnet.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "isRemoved", args: [address] });
    expect(await removed(context.rollupSigners.sevsnp.address)).toBe(true);
    expect(await removed(context.rollupSigners.tdx.address)).toBe(false);
    expect(await removed(context.rollupSigners.nitro.address)).toBe(false);
  });

  it("TEE + ZK roots: the TeeAndZkQuorumRoots contract finalized epochs 1 and 2, each by TDX + Nitro signatures and the rollup proof in one transaction", async () => {
    const { result, context } = run();
    const { publicClient } = context.devnet.clients;
    const teeAndZk = context.devnet.addresses.teeAndZkRoots;
    const roots = (functionName: string, args: readonly unknown[] = []) =>
      publicClient.readContract({ address: teeAndZk, abi: multiProverRootsAbi, functionName: functionName as never, args: args as never });
    expect(await roots("zkRequired")).toBe(true);
    expect(await roots("minVendors")).toBe(2n);
    // Its own ZK leg: the rollup's verifier from the same genesis, over the same generated Groth16 verifier.
    const zkLeg = (await roots("rootProofVerifier")) as Address;
    expect(isAddressEqual(zkLeg, context.devnet.addresses.teeAndZkRootProofVerifier)).toBe(true);
    expect(isAddressEqual(zkLeg, context.devnet.addresses.rootProofVerifier)).toBe(false);
    const rollupVerifier = (address: Address, functionName: "genesisRoot" | "groth16Verifier") =>
      publicClient.readContract({ address, abi: rollupRootProofVerifierGetters, functionName });
    expect(await rollupVerifier(zkLeg, "genesisRoot")).toBe(rootToHex(createRollupState({ balances: DEMO_ROLLUP_BALANCES }).root));
    expect(await rollupVerifier(zkLeg, "groth16Verifier")).toBe(await rollupVerifier(context.devnet.addresses.rootProofVerifier, "groth16Verifier"));
    // The roots, recomputed here from the batches; epoch 3 was never submitted to this contract.
    let state = createRollupState({ balances: DEMO_ROLLUP_BALANCES });
    const expected: Hex[] = [];
    for (const [i, batch] of DEMO_ROLLUP_BATCHES.slice(0, 2).entries()) {
      state = applyRollupBatch({ state, batch, epoch: BigInt(i + 1) }).state;
      expected.push(rootToHex(state.root));
      expect(await roots("finalizedRoot", [BigInt(i + 1)]), `epoch ${i + 1}`).toBe(rootToHex(state.root));
    }
    expect(await roots("finalizedRoot", [3n])).toBe(`0x${"00".repeat(32)}`);
    // The archive's transactions of the step are exactly the two finalizations (the refusals sent nothing), and
    // their receipts say TEE types TDX and Nitro with a verified proof, not through the escape hatch.
    const step = result.steps.find((s) => s.id === "tee-and-zk-roots")!;
    const archived = context.archive.list("transactions", { limit: 1000 }).filter((tx) => tx.kind === step.id);
    expect(archived).toHaveLength(2);
    const bitmap = (1n << BigInt(context.allowed.tdx.teeType)) | (1n << BigInt(context.allowed.nitro.teeType));
    const finalized = [];
    for (const tx of archived) {
      const receipt = await publicClient.getTransactionReceipt({ hash: tx.txHash as Hex });
      expect(isAddressEqual(receipt.to!, teeAndZk)).toBe(true);
      finalized.push(...parseEventLogs({ abi: multiProverRootsAbi, eventName: "RootFinalized", logs: receipt.logs }).map((event) => event.args));
    }
    expect(finalized).toEqual(expected.map((root, i) => ({ epoch: BigInt(i + 1), root, teeTypes: bitmap, zkProven: true, escape: false })));
  });

  it("a receipt from an expired enclave is rejected on-chain (the registration lapsed while the chain advanced 7 days)", async () => {
    const { context } = run();
    const { publicClient } = context.devnet.clients;
    const delegated = context.delegated!;
    const enclave = context.registered.tdx.enclave;
    const info = (await publicClient.readContract({
      address: context.devnet.addresses.enclaveRegistry,
      abi: enclaveRegistryAbi,
      functionName: "enclaveInfo",
      args: [enclave, context.devnet.programId],
    })) as { expiresAt: bigint };
    const now = BigInt(Math.floor((await context.devnet.chainNow()).getTime() / 1000));
    expect(info.expiresAt).toBe(context.registered.tdx.expiresAt);
    expect(info.expiresAt < now).toBe(true);
    expect(await publicClient.readContract({ address: context.devnet.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "isLive", args: [enclave, context.devnet.programId] })).toBe(false);
    const base = { receipt: delegated.receipt, signature: delegated.signature };
    expect(await refusal(verifyReceipt({ publicClient, receiptVerifier: context.devnet.addresses.receiptVerifier, ...base }))).toBe(`EnclaveNotLive(${enclave}, ${context.devnet.programId})`);
    expect(await refusal(verifyPrivateProof({ publicClient, privateProofVerifier: context.devnet.addresses.privateProofVerifier, calldata: delegated.calldata, ...base }))).toBe(
      `EnclaveNotLive(${enclave}, ${context.devnet.programId})`,
    );
  });

  it("a tampered proof is rejected by PrivateProofVerifier's own checks, before and regardless of the signer's liveness", async () => {
    const { context } = run();
    const { publicClient } = context.devnet.clients;
    const delegated = context.delegated!;
    const base = { publicClient, privateProofVerifier: context.devnet.addresses.privateProofVerifier };
    const domain = { chainId: context.devnet.chainId, verifyingContract: context.devnet.addresses.receiptVerifier };
    const tamperings: [string, Groth16Calldata][] = [
      ["a.x + 1", { ...delegated.calldata, a: [delegated.calldata.a[0] + 1n, delegated.calldata.a[1]] }],
      ["c swapped", { ...delegated.calldata, c: [delegated.calldata.c[1], delegated.calldata.c[0]] }],
      ["signal changed", { ...delegated.calldata, pubSignals: [delegated.calldata.pubSignals[0]!, delegated.calldata.pubSignals[1]!, 12345n, delegated.calldata.pubSignals[3]!] }],
    ];
    for (const [name, calldata] of tamperings) {
      // With the node's own receipt: it commits to another proof.
      expect(await refusal(verifyPrivateProof({ ...base, calldata, receipt: delegated.receipt, signature: delegated.signature })), name).toMatch(/^ProofDigestMismatch\(/);
      // With a receipt signed over exactly this tampered proof: the Groth16 check refuses it.
      const receipt: Receipt = { ...delegated.receipt, proofDigest: proofDigest(calldata) };
      const signature = await signReceipt({ account: context.rollupSigners.nitro.account, receipt, domain });
      expect(await refusal(verifyPrivateProof({ ...base, calldata, receipt, signature })), name).toBe("InvalidGroth16Proof()");
    }
    // Control: the genuine proof under such a receipt passes the Groth16 check and stops only at liveness.
    const signature = await signReceipt({ account: context.rollupSigners.nitro.account, receipt: delegated.receipt, domain });
    expect(await refusal(verifyPrivateProof({ ...base, calldata: delegated.calldata, receipt: delegated.receipt, signature }))).toMatch(/^EnclaveNotLive\(/);
  });

  it("the archive holds every verdict, the proof, the receipt and each transaction under its step — and no witness", async () => {
    const { result, context } = run();
    const { archive } = context;
    expect(archive.count("verdicts")).toBe(6 * 3);
    expect(archive.count("evidence")).toBe(6 * 3);
    expect(archive.count("proofs")).toBe(delegations);
    const receipt = archive.list("receipts").find((stored) => stored.signature === context.delegated!.signature);
    expect(receipt?.signature).toBe(context.delegated!.signature);
    expect(receipt?.proofDigest).toBe(context.delegated!.receipt.proofDigest);
    const transactions = archive.list("transactions", { limit: 1000 });
    expect(transactions).toHaveLength(result.steps.reduce((sum, step) => sum + step.transactions, 0));
    for (const step of result.steps) expect(transactions.filter((tx) => tx.kind === step.id), step.id).toHaveLength(step.transactions);
    expect(transactions.every((tx) => tx.status === "confirmed")).toBe(true);

    // The member's secrets (src/demo/delegateMembershipProof.ts: the fourth identity) appear nowhere.
    const chunks: Buffer[] = [];
    await archive.exportJsonLines(new Writable({ write: (chunk, _encoding, done) => (chunks.push(Buffer.from(chunk)), done()) }));
    const exported = Buffer.concat(chunks).toString("utf8");
    expect(exported.length).toBeGreaterThan(10_000);
    for (const secret of [44n * 1_000_003n, 44n * 7_000_019n]) expect(exported.includes(secret.toString())).toBe(false);
  });
}
