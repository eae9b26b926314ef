import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The on-chain DCAP route (issue 14): DcapCollateralStore, pinned to a root certificate by its SHA-256, and
 * DcapAttestationVerifier over it (registration route 3). Production pins Intel's SGX Root CA
 * (44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3, fixtures/roots/intel-sgx); only a dev
 * deployment pins the simulated TEEs' dev root. Neither contract is governed: the pin is the only trust.
 *
 * Deploying this module does not open route 3: adding it is a timelock proposal, EnclaveRegistry.addRoute(3,
 * dcapVerifier) (deploy/deploy.ts, by contrast, adds it before the timelock takes over),
 * and collateral goes in with `teezk collateral push` (anyone may upload; the store checks every item).
 *
 * Parameters (module "Dcap"): pinnedRootHash (bytes32), rootDer (the root certificate's DER, hex).
 */
export const DcapModule = buildModule("Dcap", (m) => {
  const dcapCollateralStore = m.contract("DcapCollateralStore", [m.getParameter<string>("pinnedRootHash"), m.getParameter<string>("rootDer")]);
  const dcapVerifier = m.contract("DcapAttestationVerifier", [dcapCollateralStore]);
  return { dcapCollateralStore, dcapVerifier };
});

// Ignition loads a module file's default export (the same exception as hardhat.config.ts).
export default DcapModule;
