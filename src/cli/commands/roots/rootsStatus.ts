import { multiProverRootsAbi, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { isoTime, viewOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RootsStatusParameters = Pick<TeezkClients, "publicClient"> & { deployment: ChainDeployment; epoch?: bigint };
export type RootsStatusErrorType = TeezkError;

const ZERO32 = `0x${"00".repeat(32)}`;

/**
 * `teezk roots status`: what a rollup operator needs before acting: halted or not, the quorum rule (fixed at
 * deployment: distinct vendors, not TEE types), when the ZK escape hatch opens, and with --epoch the epoch's
 * finalized root, or the disputed pair when a conflict was reported against it.
 */
export async function rootsStatus({ publicClient, deployment, epoch }: RootsStatusParameters): Promise<ChainCommandOutput> {
  const address = requireAddress(deployment, "multiProverRoots");
  const read = <T>(functionName: string, args: readonly unknown[] = []) =>
    publicClient.readContract({ address, abi: multiProverRootsAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
  try {
    const [halted, minVendors, zkRequired, programId, lastQuorumAt, escapeDelay, escapeOpensAt, block] = await Promise.all([
      read<boolean>("halted"),
      read<bigint>("minVendors"),
      read<boolean>("zkRequired"),
      read<`0x${string}`>("programId"),
      read<bigint>("lastQuorumAt"),
      read<bigint>("escapeDelay"),
      read<bigint>("escapeOpensAt"),
      publicClient.getBlock(),
    ]);
    const escapeOpen = halted || block.timestamp >= escapeOpensAt;
    const lines = [
      `MultiProverRoots ${address}: ${halted ? "HALTED (only roots submit-zk finalizes until governance resumes)" : "running"}; ` +
        `quorum ${minVendors} distinct vendors${zkRequired ? " + ZK proof" : ""} (Intel, AMD, AWS: TDX and SGX are both Intel; a GPU never counts); program ${programId}`,
      `  last TEE quorum ${isoTime(lastQuorumAt)}; ZK escape hatch ${escapeOpen ? "OPEN" : `opens ${isoTime(escapeOpensAt)}`} (delay ${escapeDelay} s)`,
    ];
    const fields: Record<string, unknown> = { address, halted, minVendors, zkRequired, programId, lastQuorumAt, escapeDelay, escapeOpensAt, escapeOpen };
    if (epoch !== undefined) {
      const [root, [disputedRoot, conflictingRoot]] = await Promise.all([
        read<`0x${string}`>("finalizedRoot", [epoch]),
        read<readonly [`0x${string}`, `0x${string}`]>("disputedRoots", [epoch]),
      ]);
      const finalized = root !== ZERO32;
      const disputed = conflictingRoot !== ZERO32;
      fields.epoch = { epoch, finalized, root: finalized ? root : null, ...(disputed ? { disputed: { root: disputedRoot, conflictingRoot } } : {}) };
      lines.push(
        `  epoch ${epoch}: ${
          disputed
            ? `DISPUTED: ${disputedRoot} finalized, ${conflictingRoot} signed against it; not final until a ZK proof settles it (roots submit-zk)`
            : finalized
              ? `finalized ${root}`
              : "not finalized"
        }`,
      );
    }
    return viewOutput("roots status", lines.join("\n"), fields);
  } catch (error) {
    throw explainChainError(error, "roots status");
  }
}
