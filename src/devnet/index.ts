export type { Devnet, DevnetAddresses, GovernReturnType, HardhatConnection } from "./types.js";
export {
  startDevnet,
  DEVNET_TIMELOCK_DELAY,
  DEVNET_ESCAPE_DELAY,
  ENCLAVE_REMOVER_ROLE,
  type StartDevnetParameters,
  type StartDevnetReturnType,
  type StartDevnetErrorType,
} from "./startDevnet.js";
export {
  deployDevnetToNode,
  type DeployDevnetToNodeParameters,
  type DeployDevnetToNodeReturnType,
  type DeployDevnetToNodeErrorType,
} from "./deployDevnetToNode.js";
export { devAccount } from "./devAccount.js";
export { allowClaims, DEVNET_ACCEPTED_STATUSES, DEVNET_MAX_EVIDENCE_AGE, type AllowClaimsParameters, type AllowClaimsErrorType } from "./allowClaims.js";
export { buildDevReferenceValues, type BuildDevReferenceValuesParameters, type BuildDevReferenceValuesErrorType } from "./buildDevReferenceValues.js";
export {
  probeSimulatedClaims,
  type ProbeSimulatedClaimsParameters,
  type ProbeSimulatedClaimsReturnType,
  type ProbeSimulatedClaimsErrorType,
} from "./probeSimulatedClaims.js";
export {
  writeCollateralFolder,
  type WriteCollateralFolderParameters,
  type WriteCollateralFolderReturnType,
  type WriteCollateralFolderErrorType,
} from "../tee/simulated/writeCollateralFolder.js";
export {
  simulateAttestation,
  type SimulateAttestationParameters,
  type SimulateAttestationReturnType,
  type SimulateAttestationErrorType,
} from "./simulateAttestation.js";
export {
  registerThroughCommittee,
  type EnclaveAttestation,
  type CommitteeVerdict,
  type RegisterThroughCommitteeParameters,
  type RegisterThroughCommitteeReturnType,
  type RegisterThroughCommitteeErrorType,
} from "./registerThroughCommittee.js";
export {
  createSimulatedEnclave,
  type SimulatedEnclave,
  type CreateSimulatedEnclaveParameters,
  type CreateSimulatedEnclaveReturnType,
  type CreateSimulatedEnclaveErrorType,
} from "./createSimulatedEnclave.js";
export { addDcapRoute, type AddDcapRouteParameters, type AddDcapRouteReturnType } from "./addDcapRoute.js";
