import { encodeAbiParameters, type Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { formatGroth16Calldata, type Groth16Proof, type Prover } from "../prover/index.js";
import type { ApplyRollupBatchReturnType } from "./applyRollupBatch.js";

/** The rollup circuit's name under circuits/build. */
export const rollupCircuitName = "rollup";

export type ProveRollupBatchParameters = {
  prover: Prover<Groth16Proof>;
  /** What applyRollupBatch returned for the epoch. */
  applied: ApplyRollupBatchReturnType;
};
export type ProveRollupBatchReturnType = {
  /** abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c): RollupRootProofVerifier's proof bytes. */
  zkProof: Hex;
  /** [newRoot, prevRoot, epoch] as decimal strings. */
  publicSignals: string[];
  ms: number;
  peakRssMiB?: number;
};
export type ProveRollupBatchErrorType = TeezkError;

const proofAbi = [{ type: "uint256[2]" }, { type: "uint256[2][2]" }, { type: "uint256[2]" }] as const;

/**
 * Proves one batch's state transition with the rollup circuit and encodes the proof for the roots contract.
 * @throws TeezkError WITNESS_INVALID when the circuit refuses the witness; PROVER_FAILED, CIRCUIT_NOT_BUILT.
 */
export async function proveRollupBatch({ prover, applied }: ProveRollupBatchParameters): Promise<ProveRollupBatchReturnType> {
  const proved = await prover.prove({ circuit: rollupCircuitName, witnessInput: applied.witnessInput });
  const { a, b, c } = formatGroth16Calldata(proved.proof, proved.publicSignals);
  const zkProof = encodeAbiParameters(proofAbi, [
    [a[0], a[1]],
    [
      [b[0][0], b[0][1]],
      [b[1][0], b[1][1]],
    ],
    [c[0], c[1]],
  ]);
  return { zkProof, publicSignals: proved.publicSignals, ms: proved.timings.ms, ...(proved.peakRssMiB !== undefined ? { peakRssMiB: proved.peakRssMiB } : {}) };
}
