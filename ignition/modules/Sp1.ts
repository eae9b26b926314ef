import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The SP1 paths, for a chain that has an SP1 verifier gateway (Succinct's Groth16 SP1VerifierGateway where it is
 * deployed): Sp1AttestationVerifier (registration route 2, `attest` mode journals) and Sp1ReceiptVerifier (one-call
 * `receipt` mode journals, policy from the core module's MeasurementRegistry). One teezk SP1 program serves both
 * modes, so both take the same `programVKey` (`teezk-zk vkey`). Without a gateway, do not deploy this module:
 * nothing here can verify a proof without one, and a stand-in would accept what SP1 never proved.
 *
 * Deploying does not open route 2: the core module handed governance to the timelock, so adding it is a timelock
 * proposal, EnclaveRegistry.addRoute(2, sp1AttestationVerifier). Sp1ReceiptVerifier needs no wiring.
 *
 * Parameters (module "Sp1"): sp1Verifier (the gateway), programVKey (bytes32), measurementRegistry (the core
 * module's).
 */
export const Sp1Module = buildModule("Sp1", (m) => {
  const sp1Verifier = m.getParameter<string>("sp1Verifier");
  const programVKey = m.getParameter<string>("programVKey");
  const sp1AttestationVerifier = m.contract("Sp1AttestationVerifier", [sp1Verifier, programVKey]);
  const sp1ReceiptVerifier = m.contract("Sp1ReceiptVerifier", [
    sp1Verifier,
    programVKey,
    m.getParameter<string>("measurementRegistry"),
  ]);
  return { sp1AttestationVerifier, sp1ReceiptVerifier };
});

// Ignition loads a module file's default export (the same exception as hardhat.config.ts).
export default Sp1Module;
