import type { Hex } from "viem";
import { measurementRegistryAbi, type TeezkClients } from "../../../chain/index.js";
import { sendContractTransaction } from "../../../chain/sendContractTransaction.js";
import { teeTypeName } from "../../../claims/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RegistryRevokeParameters = TeezkClients & { deployment: ChainDeployment; teeType: number; measurement: Hex };
export type RegistryRevokeErrorType = TeezkError;

/**
 * `teezk registry revoke`: the guardian's MeasurementRegistry.revokeMeasurement, effective in this block and for
 * good, with no timelock: a compromised image must stop being accepted before a governance delay could pass.
 * Every enclave key of that measurement stops being live at once.
 */
export async function registryRevoke({ deployment, teeType, measurement, ...clients }: RegistryRevokeParameters): Promise<ChainCommandOutput> {
  const measurementRegistry = requireAddress(deployment, "measurementRegistry");
  try {
    const tx = await sendContractTransaction(clients, { address: measurementRegistry, abi: measurementRegistryAbi, functionName: "revokeMeasurement", args: [teeType, measurement] });
    const tee = teeTypeName(teeType) ?? String(teeType);
    return transactionOutput("registry revoke", `revoked ${tee} measurement ${measurement} (permanent)`, tx, deployment, { teeType, measurement });
  } catch (error) {
    throw explainChainError(error, "registry revoke");
  }
}
