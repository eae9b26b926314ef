import { keccak256, toBytes, type Hex } from "viem";

/**
 * A signal (or scope) as a field element, Semaphore's way: keccak256 of its bytes shifted right by 8 bits,
 * so any 32-byte hash fits below the BN254 scalar field. Contracts compute `uint256(keccak256(x)) >> 8`.
 */
export function hashSignal(signal: Hex | Uint8Array | string): bigint {
  const bytes = signal instanceof Uint8Array ? signal : toBytes(signal);
  return BigInt(keccak256(bytes)) >> 8n;
}
