import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { DEPLOYMENT_DEFAULTS } from "../../deploy/coreWiring.js";

/**
 * A MultiProverRoots deployment governed by the core module's timelock. Whether ZK is required is the contract
 * type (TeeQuorumRoots or TeeAndZkQuorumRoots), chosen by the module file, never a parameter. After deployment a
 * timelock proposal must grant it ENCLAVE_REMOVER_ROLE on the EnclaveRegistry, so that conflicts also remove the
 * conflicting enclaves (a conflict halts without it).
 *
 * Parameters: governor (the timelock), enclaveRegistry, rootProofVerifier, programId, minVendors (distinct
 * vendors per root, 1..3), escapeDelay.
 */
export function multiProverModule(contractName: "TeeQuorumRoots" | "TeeAndZkQuorumRoots") {
  return buildModule(contractName, (m) => {
    const roots = m.contract(contractName, [
      m.getParameter<string>("governor"),
      m.getParameter<string>("enclaveRegistry"),
      m.getParameter<string>("rootProofVerifier"),
      m.getParameter<string>("programId"),
      m.getParameter("minVendors", DEPLOYMENT_DEFAULTS.minVendors),
      m.getParameter("escapeDelay", DEPLOYMENT_DEFAULTS.escapeDelay),
    ]);
    return { roots };
  });
}
