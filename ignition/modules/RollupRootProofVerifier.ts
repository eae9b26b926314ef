import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The rollup's ZK leg for a MultiProverRoots: the generated lean Groth16 verifier of circuits/rollup.circom and
 * RollupRootProofVerifier over it, which binds each proof to its epoch and to the previous finalized root. Pass
 * `rootProofVerifier` as the roots module's `rootProofVerifier` parameter.
 *
 * Parameters: programId (the roots contract's), genesisRoot (the rollup's state root before epoch 1).
 */
export const RollupRootProofVerifierModule = buildModule("RollupRootProofVerifier", (m) => {
  const groth16Verifier = m.contract("RollupGroth16VerifierLean");
  const rootProofVerifier = m.contract("RollupRootProofVerifier", [groth16Verifier, m.getParameter<string>("programId"), m.getParameter<string>("genesisRoot")]);
  return { groth16Verifier, rootProofVerifier };
});

// Ignition loads a module file's default export (the same exception as hardhat.config.ts).
export default RollupRootProofVerifierModule;
