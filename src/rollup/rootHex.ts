import { numberToHex, type Hex } from "viem";

/** A state root (a BN254 field element) as the bytes32 MultiProverRoots stores. */
export function rootToHex(root: bigint): Hex {
  return numberToHex(root, { size: 32 });
}
