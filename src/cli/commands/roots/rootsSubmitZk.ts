import { parseEventLogs, type Hex } from "viem";
import { multiProverRootsAbi, submitZkRoot, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RootsSubmitZkParameters = TeezkClients & { deployment: ChainDeployment; epoch: bigint; root: Hex; zkProof: Hex };
export type RootsSubmitZkErrorType = TeezkError;

/**
 * `teezk roots submit-zk`: the escape hatch. A ZK proof alone finalizes (epoch, root) while the contract is
 * halted or once no TEE quorum has finalized for escapeDelay, and settles a disputed epoch at any time: liveness
 * never depends on the TEE vendors alone.
 */
export async function rootsSubmitZk({ deployment, epoch, root, zkProof, ...clients }: RootsSubmitZkParameters): Promise<ChainCommandOutput> {
  const roots = requireAddress(deployment, "multiProverRoots");
  try {
    const tx = await submitZkRoot({ ...clients, roots, epoch, root, zkProof });
    const [event] = parseEventLogs({ abi: multiProverRootsAbi, eventName: "RootFinalized", logs: tx.receipt.logs });
    return transactionOutput("roots submit-zk", `finalized epoch ${epoch} root ${root} by ZK proof (escape hatch)`, tx, deployment, {
      epoch,
      root,
      finalized: event !== undefined,
      escape: event?.args.escape ?? null,
    });
  } catch (error) {
    throw explainChainError(error, "roots submit-zk");
  }
}
