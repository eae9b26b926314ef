import type { Hex } from "viem";
import { proposeRoot, type TeezkClients } from "../../../chain/index.js";
import { teeTypeName, teeTypesOfBitmap } from "../../../claims/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadRootSignaturesFile } from "./loadRootSignaturesFile.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RootsProposeParameters = TeezkClients & {
  deployment: ChainDeployment;
  epoch: bigint;
  root: Hex;
  /** Enclave signatures over (epoch, root); see loadRootSignaturesFile. */
  signaturesFile: string;
  /** For deployments that require ZK (TeeAndZkQuorumRoots), or to add one anyway. */
  zkProof?: Hex;
};
export type RootsProposeErrorType = TeezkError;

/**
 * `teezk roots propose`: submits (epoch, root) with enclave signatures to MultiProverRoots; it finalizes in this
 * transaction only when live enclaves of at least minVendors distinct vendors signed (TDX and SGX are both Intel;
 * an NVIDIA GPU never counts), plus the ZK proof where the deployment requires one; otherwise the call reverts
 * and nothing is recorded.
 */
export async function rootsPropose(parameters: RootsProposeParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, epoch, root } = parameters;
  const roots = requireAddress(deployment, "multiProverRoots");
  try {
    const chainId = await publicClient.getChainId();
    const signatures = await loadRootSignaturesFile({ path: parameters.signaturesFile, epoch, root, roots, chainId });
    const tx = await proposeRoot({ publicClient, walletClient, roots, epoch, root, signatures, ...(parameters.zkProof ? { zkProof: parameters.zkProof } : {}) });
    const types = teeTypesOfBitmap(tx.teeTypes).map((t) => teeTypeName(t) ?? String(t));
    const vendors = tx.vendors;
    const signedBy = `${types.join(" + ")} (vendors ${vendors.join(" + ")})`;
    return transactionOutput("roots propose", `finalized epoch ${epoch} root ${root}, signed by ${signedBy}${parameters.zkProof ? " with a ZK proof" : ""}`, tx, deployment, {
      epoch,
      root,
      teeTypes: types,
      vendors,
      signers: signatures.map((s) => s.signer),
      finalized: true,
    });
  } catch (error) {
    throw explainChainError(error, "roots propose");
  }
}
