import { encodeAbiParameters, keccak256, type Hex } from "viem";
import type { Groth16Calldata } from "./formatGroth16Calldata.js";

const proofDigestParameters = [
  { type: "uint256[2]" },
  { type: "uint256[2][2]" },
  { type: "uint256[2]" },
  { type: "uint256[]" },
] as const;

/**
 * The commitment a receipt's `proofDigest` carries for a Groth16 proof:
 * `keccak256(abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c, uint256[] pubSignals))`, over the
 * calldata form (G2 pairs already swapped), so PrivateProofVerifier recomputes it from its own arguments.
 */
export function proofDigest(calldata: Groth16Calldata): Hex {
  return keccak256(
    encodeAbiParameters(proofDigestParameters, [
      [calldata.a[0], calldata.a[1]],
      [
        [calldata.b[0][0], calldata.b[0][1]],
        [calldata.b[1][0], calldata.b[1][1]],
      ],
      [calldata.c[0], calldata.c[1]],
      [...calldata.pubSignals],
    ]),
  );
}
