import type { Hex } from "viem";
import { reportConflict, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadRootSignaturesFile } from "./loadRootSignaturesFile.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RootsReportConflictParameters = TeezkClients & {
  deployment: ChainDeployment;
  epoch: bigint;
  /** The conflicting root: different from the epoch's finalized one. */
  root: Hex;
  /** Registered enclaves' signatures over (epoch, conflicting root): the evidence of equivocation. */
  signaturesFile: string;
};
export type RootsReportConflictErrorType = TeezkError;

/**
 * `teezk roots report-conflict`: anyone holding a registered enclave's signature over a second root for a
 * finalized epoch can halt MultiProverRoots and dispute the epoch; the signers are removed from the EnclaveRegistry
 * for good. Keys already removed or reported are skipped, and a conflict already reported for the same (epoch, root)
 * removes its new signers without halting again.
 */
export async function rootsReportConflict(parameters: RootsReportConflictParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, epoch, root } = parameters;
  const roots = requireAddress(deployment, "multiProverRoots");
  try {
    const chainId = await publicClient.getChainId();
    const signatures = await loadRootSignaturesFile({ path: parameters.signaturesFile, epoch, root, roots, chainId });
    const tx = await reportConflict({ publicClient, walletClient, roots, epoch, root, signatures });
    return transactionOutput(
      "roots report-conflict",
      `reported conflicting root ${root} for epoch ${epoch}: contract ${tx.halted ? "HALTED" : "not halted"}, ${tx.removed.length} enclave(s) removed`,
      tx,
      deployment,
      { epoch, root, halted: tx.halted, removed: tx.removed },
    );
  } catch (error) {
    throw explainChainError(error, "roots report-conflict");
  }
}
