import { encodeFunctionData, type Address, type Hex } from "viem";
import {
  batchReceiptsAbi,
  consumeReceipt,
  enclaveRegistryAbi,
  measurementRegistryAbi,
  proposeRoot,
  receiptVerifierAbi,
  refreshBatchLiveness,
  reportConflict,
  signRoot,
  submitBatch,
} from "../src/chain/index.js";
import { buildReceiptBatch, getInclusionProof, signBatch, signReceipt, type Receipt } from "../src/receipts/index.js";
import {
  PROGRAM_ID,
  allowSimulatedVendors,
  chainNowSeconds,
  deployTeezkSystem,
  labelledReceipt,
  registerSimulatedEnclave,
  testAccount,
  word,
  type TeezkSystem,
} from "../test/chain/support/system.js";
import { TeezkError } from "../src/errors/index.js";
import type { BenchRow, BenchSuite } from "./types.js";

/**
 * Gas a transaction spent in the EVM beyond its intrinsic and calldata cost (the contract's own work, what an
 * integrating contract pays when it makes the same call), from the EDR's opcode trace. Not gasUsed − 21,000 −
 * calldata: since EIP-7623 (Prague) a calldata-heavy call with little execution pays the calldata floor instead,
 * which would count part of the calldata as execution (a 10-node inclusion proof call is one).
 */
async function executionOf(system: TeezkSystem, hash: Hex): Promise<bigint> {
  const trace = (await system.connection.provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableStorage: true, disableMemory: true, disableStack: true }],
  })) as { structLogs: Array<{ gas: number; gasCost: number; depth: number }> };
  const first = trace.structLogs[0];
  const last = trace.structLogs.at(-1);
  if (!first || !last) return 0n;
  return BigInt(first.gas - last.gas + last.gasCost);
}

/**
 * Gas of the contract paths, from real transactions on the in-process Hardhat chain (EDR, osaka): the contracts
 * deployed by the production Ignition modules, enclaves registered from simulated Nitro and TDX evidence by three
 * TypeScript verifier nodes. Transactions report receipt.gasUsed (what the sender pays: the whole transaction,
 * 21,000 intrinsic and calldata included) with their execution share in the anchor. Views (verifyReceipt,
 * verifyIncluded) are called by a real transaction sent straight to the view function; their row is that
 * transaction's execution gas (from its opcode trace, see executionOf), the figure an integrating contract pays
 * when it calls the view (plus its own call overhead).
 *
 * Liveness is answered from the EnclaveRegistry's cache while the MeasurementRegistry's liveness epoch stands
 * (the main rows), and by the full check after any revocation, rotation or removal until each key re-attests
 * (the `full_check` rows, measured after the guardian revokes a measurement no bench enclave runs). Batch
 * inclusion has its own cache in BatchReceipts (per batch and program, under the epoch the MeasurementRegistry
 * pushes to it), refreshed by BatchReceipts.refreshBatchLiveness.
 */
export const contractsBench: BenchSuite = {
  name: "contracts",
  run: async () => {
    const system = await deployTeezkSystem();
    const { nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]);
    const nitro = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("bench nitro"));
    const tdx = await registerSimulatedEnclave(system, nodes, "tdx", testAccount("bench tdx"));
    const spare = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("bench nitro 2"));
    const rows: BenchRow[] = [];
    const { publicClient, walletClient } = system.clients;
    const account = walletClient.account;

    rows.push({
      name: "gas.register.committee3",
      value: Number(tdx.gasUsed),
      unit: "gas",
      anchor: `EnclaveRegistry.register, whole tx incl. 21,000 intrinsic + calldata (execution ${await executionOf(system, tdx.hash)}), 3-of-3 committee verdicts, issued-challenge nonce, first registration of the key (1 new storage word; the challenge's word rewritten)`,
      target: "≤ 120000",
    });

    const reattested = await registerSimulatedEnclave(system, nodes, "tdx", tdx.account);
    rows.push({
      name: "gas.register.committee3_reattest",
      value: Number(reattested.gasUsed),
      unit: "gas",
      anchor: `the same key re-attested with new evidence and a new challenge, whole tx (execution ${await executionOf(system, reattested.hash)}): record word already non-zero`,
    });

    const now = await chainNowSeconds(system);
    const receiptOf = (n: number): Receipt => labelledReceipt(n, now);
    const receipt = receiptOf(0);
    const signature = await signReceipt({ account: nitro.account, receipt, domain: { chainId: system.chainId, verifyingContract: system.addresses.receiptVerifier } });
    /** Sends a transaction straight to a view function and returns its gasUsed and execution gas. */
    const viewTx = async (to: Address, data: Hex) => {
      const hash = await walletClient.sendTransaction({ to, data, account, chain: walletClient.chain });
      const { gasUsed, status } = await publicClient.waitForTransactionReceipt({ hash });
      if (status !== "success") throw new Error(`view call to ${to} reverted`);
      return { gasUsed, execution: await executionOf(system, hash) };
    };
    /** The same signed receipt checked by the verifyReceipt view, in its own transaction. */
    const verifyReceiptTx = () =>
      viewTx(
        system.addresses.receiptVerifier,
        encodeFunctionData({ abi: receiptVerifierAbi, functionName: "verifyReceipt", args: [receipt, signature] }),
      );
    const verify = await verifyReceiptTx();
    rows.push({
      name: "gas.receipt.verify",
      value: Number(verify.execution),
      unit: "gas",
      anchor: `execution of a tx calling the verifyReceipt view, liveness from the cache (tx gasUsed ${verify.gasUsed} incl. 21000 intrinsic + calldata)`,
      target: "≤ 35000",
    });
    const consumed = await consumeReceipt({ ...system.clients, receiptVerifier: system.addresses.receiptVerifier, receipt, signature });
    rows.push({
      name: "gas.receipt.consume",
      value: Number(consumed.gasUsed),
      unit: "gas",
      anchor: `ReceiptVerifier.consumeReceipt, whole tx (execution ${await executionOf(system, consumed.hash)}): verify + replay slot + event`,
    });

    const built = buildReceiptBatch({ receipts: Array.from({ length: 1024 }, (_, i) => receiptOf(1 + i)), issuedAt: now });
    const batchSignature = await signBatch({ account: nitro.account, batch: built.batch, domain: { chainId: system.chainId, verifyingContract: system.addresses.batchReceipts } });
    const submitted = await submitBatch({ ...system.clients, batchReceipts: system.addresses.batchReceipts, batch: built.batch, signature: batchSignature, programId: PROGRAM_ID });
    rows.push({
      name: "gas.batch.submit_per_receipt_1024",
      value: Number(submitted.gasUsed) / 1024,
      unit: "gas/receipt",
      anchor: `BatchReceipts.submitBatch tx gasUsed ${submitted.gasUsed} / 1024 receipts: one record word keyed by (root, signer), the signer's full liveness for one program checked at submission and cached in a second word (the inclusion fast path)`,
      target: "≤ 150",
    });
    /** The worst of three inclusion checks (first, middle, last leaf), each in its own transaction. */
    const worstInclusion = async () => {
      const inclusions: { gasUsed: bigint; execution: bigint }[] = [];
      for (const index of [0, 511, 1023]) {
        const { receipt: included, proof } = getInclusionProof({ batch: built, index });
        inclusions.push(
          await viewTx(
            system.addresses.batchReceipts,
            encodeFunctionData({ abi: batchReceiptsAbi, functionName: "verifyIncluded", args: [included, built.batch.root, nitro.account.address, proof] }),
          ),
        );
      }
      return inclusions.reduce((a, b) => (a.execution > b.execution ? a : b));
    };
    const worst = await worstInclusion();
    rows.push({
      name: "gas.batch.inclusion_1024",
      value: Number(worst.execution),
      unit: "gas",
      anchor: `max over 3 leaves of the execution of a tx calling the verifyIncluded view with the batch's (root, signer), 10-node OZ MerkleProof, signer liveness from the batch's cache: its (root, signer, program) word and the pushed epoch copy, no external call (tx gasUsed ${worst.gasUsed}, the EIP-7623 calldata floor)`,
      target: "≤ 8000",
    });

    const roots = { chainId: system.chainId, verifyingContract: system.addresses.multiProverRoots };
    const root = word("bench root 1");
    const finalized = await proposeRoot({
      ...system.clients,
      roots: system.addresses.multiProverRoots,
      epoch: 1n,
      root,
      signatures: [await signRoot({ account: nitro.account, epoch: 1n, root, roots }), await signRoot({ account: tdx.account, epoch: 1n, root, roots })],
    });
    rows.push({
      name: "gas.root.finalize_2vendors",
      value: Number(finalized.gasUsed),
      unit: "gas",
      anchor: `MultiProverRoots.submitRoot, whole tx incl. 21,000 intrinsic + calldata (execution ${await executionOf(system, finalized.hash)}), Nitro + TDX signatures, no ZK proof, a new epoch's root slot, signers' liveness from the cache`,
      target: "≤ 90000",
    });

    // The full check: the guardian revokes a measurement no bench enclave runs, which advances the liveness epoch,
    // so every key's cache is stale until it re-attests.
    const [, guardian] = await system.connection.viem.getWalletClients();
    if (!guardian) throw new TeezkError("INTERNAL", "the in-process chain has no guardian account");
    const revoked = await guardian.writeContract({
      address: system.addresses.measurementRegistry,
      abi: measurementRegistryAbi,
      functionName: "revokeMeasurement",
      args: [5, word("bench: a measurement nobody runs")],
    });
    const revokeReceipt = await publicClient.waitForTransactionReceipt({ hash: revoked });
    if (revokeReceipt.status !== "success") throw new TeezkError("INTERNAL", "the guardian's revocation reverted");
    const verifyFull = await verifyReceiptTx();
    rows.push({
      name: "gas.receipt.verify_full_check",
      value: Number(verifyFull.execution),
      unit: "gas",
      anchor: `as gas.receipt.verify after a liveness-epoch change: record word, removed flag, entry measurement, window, revocation (tx gasUsed ${verifyFull.gasUsed})`,
      target: "≤ 35000",
    });
    const worstFull = await worstInclusion();
    rows.push({
      name: "gas.batch.inclusion_1024_full_check",
      value: Number(worstFull.execution),
      unit: "gas",
      anchor: `as gas.batch.inclusion_1024 after a liveness-epoch change: the batch's cache is stale, so record word + EnclaveRegistry full check (tx gasUsed ${worstFull.gasUsed})`,
    });
    rows.push({
      name: "gas.measurement.revoke",
      value: Number(revokeReceipt.gasUsed),
      unit: "gas",
      anchor: `MeasurementRegistry.revokeMeasurement by the guardian, whole tx (execution ${await executionOf(system, revoked)}): revoked flag, liveness epoch, and the new epoch pushed to 1 liveness sink (BatchReceipts)`,
    });
    const refreshedBatch = await refreshBatchLiveness({
      ...system.clients,
      batchReceipts: system.addresses.batchReceipts,
      root: built.batch.root,
      signer: nitro.account.address,
      programId: PROGRAM_ID,
    });
    rows.push({
      name: "gas.batch.refresh_liveness",
      value: Number(refreshedBatch.gasUsed),
      unit: "gas",
      anchor: `BatchReceipts.refreshBatchLiveness, whole tx (execution ${await executionOf(system, refreshedBatch.hash)}): record word, EnclaveRegistry full check, the batch's cache word under the new epoch (anyone may pay it, once per batch and program)`,
    });
    const worstRefreshed = await worstInclusion();
    rows.push({
      name: "gas.batch.inclusion_1024_after_refresh",
      value: Number(worstRefreshed.execution),
      unit: "gas",
      anchor: `as gas.batch.inclusion_1024 after refresh_liveness: back on the cached path (tx gasUsed ${worstRefreshed.gasUsed})`,
      target: "≤ 8000",
    });
    const root2 = word("bench root 2");
    const finalizedFull = await proposeRoot({
      ...system.clients,
      roots: system.addresses.multiProverRoots,
      epoch: 2n,
      root: root2,
      signatures: [await signRoot({ account: nitro.account, epoch: 2n, root: root2, roots }), await signRoot({ account: tdx.account, epoch: 2n, root: root2, roots })],
    });
    rows.push({
      name: "gas.root.finalize_2vendors_full_check",
      value: Number(finalizedFull.gasUsed),
      unit: "gas",
      anchor: `as gas.root.finalize_2vendors after a liveness-epoch change, whole tx (execution ${await executionOf(system, finalizedFull.hash)}); EnclaveRegistry.refreshLiveness brings a key back to the cached path`,
    });
    const refreshHash = await walletClient.writeContract({
      address: system.addresses.enclaveRegistry,
      abi: enclaveRegistryAbi,
      functionName: "refreshLiveness",
      args: [tdx.account.address, PROGRAM_ID],
      account,
      chain: walletClient.chain,
    });
    const refreshed = await publicClient.waitForTransactionReceipt({ hash: refreshHash });
    if (refreshed.status !== "success") throw new TeezkError("INTERNAL", "refreshLiveness reverted");
    rows.push({
      name: "gas.register.refresh_liveness",
      value: Number(refreshed.gasUsed),
      unit: "gas",
      anchor: `EnclaveRegistry.refreshLiveness, whole tx (execution ${await executionOf(system, refreshHash)}): full check, then the key's cache under the new epoch (anyone may pay it)`,
    });
    const forged = word("bench forged root 1");
    const halted = await reportConflict({
      ...system.clients,
      roots: system.addresses.multiProverRoots,
      epoch: 1n,
      root: forged,
      signatures: [await signRoot({ account: spare.account, epoch: 1n, root: forged, roots })],
    });
    rows.push({
      name: "gas.root.halt",
      value: Number(halted.gasUsed),
      unit: "gas",
      anchor: `MultiProverRoots.reportConflict, whole tx (execution ${await executionOf(system, halted.hash)}), 1 signer: halt, the epoch's dispute, the judged (epoch, root) and the reported key (three new words) + removal from the EnclaveRegistry (which advances the liveness epoch and pushes it to the sink), given a fixed 200k allowance the reporter must be able to pay`,
    });
    // Last: it ends every live TDX key. The governor disallows the root the TDX enclave's evidence chains to.
    const disallowed = await system.devnet.govern([
      {
        target: system.addresses.measurementRegistry,
        value: 0n,
        data: encodeFunctionData({ abi: measurementRegistryAbi, functionName: "setRootHashAllowed", args: [tdx.claims.teeType, tdx.claims.rootHash, false] }),
      },
    ]);
    const disallowReceipt = await publicClient.waitForTransactionReceipt({ hash: disallowed.executeHash });
    const tdxLive = await publicClient.readContract({ address: system.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "isLive", args: [tdx.account.address, PROGRAM_ID] });
    if (tdxLive) throw new TeezkError("INTERNAL", "a key anchored by a disallowed root is still live");
    rows.push({
      name: "gas.policy.disallow_root",
      value: Number(disallowReceipt.gasUsed),
      unit: "gas",
      anchor: `the timelock's execute of MeasurementRegistry.setRootHashAllowed(tdx, root, false), whole tx (execution ${await executionOf(system, disallowed.executeHash)}): root flag, the type's tightened-at time, liveness epoch pushed to 1 sink; every key of the type stops being live at once (a tightening setTeePolicy costs the same on top of its policy write)`,
    });
    return rows;
  },
};
