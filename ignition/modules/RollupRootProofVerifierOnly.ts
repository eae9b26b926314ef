import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * RollupRootProofVerifier alone, over a generated rollup Groth16 verifier already deployed (by
 * RollupRootProofVerifierModule): the ZK leg of a second roots contract for the same rollup, such as the devnet's
 * TeeAndZkQuorumRoots beside its TeeQuorumRoots. The Groth16 verifier is stateless, so both legs share it; each
 * roots contract gets its own RollupRootProofVerifier so that neither's program or genesis is tied to the other's.
 *
 * Parameters: groth16Verifier, programId (the roots contract's), genesisRoot (the rollup's state root before epoch 1).
 */
export const RollupRootProofVerifierOnlyModule = buildModule("RollupRootProofVerifierOnly", (m) => {
  const rootProofVerifier = m.contract("RollupRootProofVerifier", [
    m.getParameter<string>("groth16Verifier"),
    m.getParameter<string>("programId"),
    m.getParameter<string>("genesisRoot"),
  ]);
  return { rootProofVerifier };
});

// Ignition loads a module file's default export (the same exception as hardhat.config.ts).
export default RollupRootProofVerifierOnlyModule;
