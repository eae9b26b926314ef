import { keccak256, toHex, type LocalAccount } from "viem";
import { privateKeyToAccount } from "viem/accounts";

/**
 * A deterministic key derived from a label, so a devnet run (and any failure in it) reproduces with the same
 * addresses. Public by construction: never use one outside a devnet.
 */
export function devAccount(label: string): LocalAccount {
  return privateKeyToAccount(keccak256(toHex(`teezk dev key ${label}`)));
}
