import { keccak256, toHex, type Hex } from "viem";

/** A 32-byte value named by a label, so the demo's roots, ids and digests read as what they stand for. */
export const word = (label: string): Hex => keccak256(toHex(label));
