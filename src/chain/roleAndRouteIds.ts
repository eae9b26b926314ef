import { keccak256, toHex, type Hex } from "viem";

/**
 * The AccessControl roles the teezk contracts and their TimelockController check, as `keccak256(name)` exactly
 * like the contracts' `bytes32 public constant X_ROLE = keccak256("X_ROLE")`. The one TypeScript copy: deploy/,
 * ignition/, the devnet, the chain helpers and error decoding all read it (test/chain checks it against the
 * deployed contracts' constants).
 */
export const ROLE_NAMES = [
  "GOVERNOR_ROLE",
  "GUARDIAN_ROLE",
  "ENCLAVE_REMOVER_ROLE",
  "LIVENESS_EPOCH_ROLE",
  "PROPOSER_ROLE",
  "EXECUTOR_ROLE",
  "CANCELLER_ROLE",
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const ROLE_IDS = Object.fromEntries(ROLE_NAMES.map((name) => [name, keccak256(toHex(name))])) as Record<RoleName, Hex>;

/** OpenZeppelin's admin role is the zero word, not a hash. */
export const DEFAULT_ADMIN_ROLE: Hex = `0x${"00".repeat(32)}`;

/** The role's name for a role id read from a revert or event (undefined for a role teezk does not use). */
export function roleNameOf(roleId: string): RoleName | "DEFAULT_ADMIN_ROLE" | undefined {
  const id = roleId.toLowerCase();
  if (id === DEFAULT_ADMIN_ROLE) return "DEFAULT_ADMIN_ROLE";
  return ROLE_NAMES.find((name) => ROLE_IDS[name] === id);
}

/**
 * EnclaveRegistry attestation route ids (`addRoute(id, verifier)`, `register(…, path, proof)`): the committee
 * path, wired at deployment, and the SP1 path, wired when an SP1 verifier is given.
 */
export const ROUTE_IDS = { committee: 1, sp1: 2, dcap: 3 } as const;
