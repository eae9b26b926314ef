import type { Hex, LocalAccount } from "viem";
import { signRoot, type RootSignature } from "../chain/index.js";
import { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { applyRollupBatch, type RollupTransfer } from "./applyRollupBatch.js";
import { rootToHex } from "./rootHex.js";
import type { RollupState } from "./rollupState.js";

export type CreateRollupSequencerParameters = {
  /** The enclave's key, registered through the committee route for the roots contract's program. */
  account: LocalAccount;
  /** The state the enclave starts from (the genesis, before epoch 1). */
  genesis: RollupState;
};

export type ExecuteEpochParameters = {
  epoch: bigint;
  /** The previous epoch's finalized root as the chain has it (the genesis root for epoch 1). */
  previousRoot: Hex;
  batch: readonly RollupTransfer[];
};

export type RollupSequencer = {
  readonly address: Hex;
  /** The root of the state the enclave holds now. */
  stateRoot: () => Hex;
  /**
   * Applies the next epoch's batch to the enclave's own state and remembers the root it computed.
   * @throws TeezkError ROLLUP_BATCH_INVALID for an epoch other than the next one; ROLLUP_PREVIOUS_ROOT_MISMATCH when
   * `previousRoot` is not the enclave's state; applyRollupBatch's refusals.
   */
  execute: (parameters: ExecuteEpochParameters) => { epoch: bigint; previousRoot: Hex; root: Hex };
  /**
   * Signs EIP-712 Root(epoch, root) for the roots contract, only for the root this enclave computed for that epoch.
   * @throws TeezkError ROLLUP_ROOT_NOT_COMPUTED for any other root or an epoch it did not execute.
   */
  signRoot: (parameters: { epoch: bigint; root: Hex; roots: ContractDomain }) => Promise<RootSignature>;
};

export type CreateRollupSequencerErrorType = TeezkError;

/**
 * A rollup sequencer enclave's logic: it executes each batch itself and signs only what it computed, so its key
 * cannot be talked into endorsing a root (a conflicting one included) that its own execution did not produce.
 * Epochs run in order from 1, each on the previous one's state, so it never computes two roots for one epoch.
 */
export function createRollupSequencer({ account, genesis }: CreateRollupSequencerParameters): RollupSequencer {
  let state = genesis;
  let lastEpoch = 0n;
  const computed = new Map<bigint, Hex>();
  return {
    address: account.address,
    stateRoot: () => rootToHex(state.root),
    execute({ epoch, previousRoot, batch }) {
      if (epoch !== lastEpoch + 1n) {
        throw new TeezkError("ROLLUP_BATCH_INVALID", `epoch ${epoch} is not this sequencer's next epoch ${lastEpoch + 1n}`);
      }
      const held = rootToHex(state.root);
      if (typeof previousRoot !== "string" || previousRoot.toLowerCase() !== held) {
        throw new TeezkError("ROLLUP_PREVIOUS_ROOT_MISMATCH", `epoch ${epoch} is built on ${String(previousRoot).slice(0, 66)}, but this sequencer holds ${held}`);
      }
      const applied = applyRollupBatch({ state, batch, epoch });
      state = applied.state;
      lastEpoch = epoch;
      const root = rootToHex(applied.newRoot);
      computed.set(epoch, root);
      return { epoch, previousRoot: held, root };
    },
    async signRoot({ epoch, root, roots }) {
      const own = computed.get(epoch);
      if (own === undefined || typeof root !== "string" || root.toLowerCase() !== own) {
        throw new TeezkError("ROLLUP_ROOT_NOT_COMPUTED", `refusing to sign ${String(root).slice(0, 66)} for epoch ${epoch}: this sequencer computed ${own ?? "no root"} for it`);
      }
      return signRoot({ account, epoch, root: own, roots });
    },
  };
}
