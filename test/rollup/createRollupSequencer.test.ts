import { privateKeyToAccount } from "viem/accounts";
import { keccak256, recoverTypedDataAddress, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { multiProverRootsDomain, rootTypes } from "../../src/chain/typedData.js";
import { applyRollupBatch, createRollupSequencer, createRollupState, rootToHex, type RollupTransfer } from "../../src/rollup/index.js";

const account = privateKeyToAccount(keccak256(toHex("teezk test rollup sequencer")));
const roots = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000000000aa" } as const;
const genesis = createRollupState({ balances: [100n, 100n, 100n, 100n] });
const batch: RollupTransfer[] = [0, 1, 2, 3].map((i) => ({ from: i, to: (i + 1) % 4, amount: 10n, nonce: 0 }));
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return "accepted";
};

describe("createRollupSequencer: a TEE sequencer signs only the root it computed", () => {
  it("executes the batch itself and signs that root for that epoch", async () => {
    const sequencer = createRollupSequencer({ account, genesis });
    const { root } = sequencer.execute({ epoch: 1n, previousRoot: rootToHex(genesis.root), batch });
    expect(root).toBe(rootToHex(applyRollupBatch({ state: genesis, batch, epoch: 1n }).newRoot));
    const { signer, signature } = await sequencer.signRoot({ epoch: 1n, root, roots });
    const recovered = await recoverTypedDataAddress({ domain: multiProverRootsDomain(roots), types: rootTypes, primaryType: "Root", message: { epoch: 1n, root }, signature });
    expect([signer, recovered]).toEqual([account.address, account.address]);
  });

  it("refuses to sign a root it did not compute: another root, another epoch's root, an epoch it never ran", async () => {
    const sequencer = createRollupSequencer({ account, genesis });
    const { root } = sequencer.execute({ epoch: 1n, previousRoot: rootToHex(genesis.root), batch });
    const otherBatch = batch.map((t, i) => (i === 0 ? { ...t, amount: 11n } : t));
    const otherRoot = rootToHex(applyRollupBatch({ state: genesis, batch: otherBatch, epoch: 1n }).newRoot);
    await expect(sequencer.signRoot({ epoch: 1n, root: otherRoot, roots })).rejects.toMatchObject({ code: "ROLLUP_ROOT_NOT_COMPUTED" });
    await expect(sequencer.signRoot({ epoch: 2n, root, roots })).rejects.toMatchObject({ code: "ROLLUP_ROOT_NOT_COMPUTED" });
    await expect(sequencer.signRoot({ epoch: 1n, root: root.toUpperCase().replace("0X", "0x") as `0x${string}`, roots })).resolves.toBeDefined();
  });

  it("never computes two roots for one epoch: epochs run in order, each on the previous finalized root", () => {
    const sequencer = createRollupSequencer({ account, genesis });
    const previousRoot = rootToHex(genesis.root);
    expect(code(() => sequencer.execute({ epoch: 2n, previousRoot, batch }))).toBe("ROLLUP_BATCH_INVALID");
    expect(code(() => sequencer.execute({ epoch: 1n, previousRoot: rootToHex(genesis.root + 1n), batch }))).toBe("ROLLUP_PREVIOUS_ROOT_MISMATCH");
    sequencer.execute({ epoch: 1n, previousRoot, batch });
    const again = batch.map((t, i) => (i === 0 ? { ...t, amount: 11n } : t));
    expect(code(() => sequencer.execute({ epoch: 1n, previousRoot, batch: again }))).toBe("ROLLUP_BATCH_INVALID");
  });

  it("a refused batch leaves the sequencer's state as it was", () => {
    const sequencer = createRollupSequencer({ account, genesis });
    const overdraft = batch.map((t, i) => (i === 3 ? { ...t, amount: 1000n } : t));
    expect(code(() => sequencer.execute({ epoch: 1n, previousRoot: rootToHex(genesis.root), batch: overdraft }))).toBe("ROLLUP_TRANSFER_REFUSED");
    expect(sequencer.stateRoot()).toBe(rootToHex(genesis.root));
    expect(code(() => sequencer.execute({ epoch: 1n, previousRoot: rootToHex(genesis.root), batch }))).toBe("accepted");
  });
});
