import type { Address, Hex } from "viem";

type RoleLog = { eventName: string; args: { role?: Hex; account?: Address } };

/**
 * Who holds each role now, from RoleGranted/RoleRevoked logs in chain order: AccessControl has no enumeration,
 * so the events are the only complete list.
 */
export function foldRoles(logs: readonly RoleLog[]): Map<Hex, Address[]> {
  const holders = new Map<Hex, Set<Address>>();
  for (const log of logs) {
    const { role, account } = log.args;
    if (!role || !account) continue;
    const set = holders.get(role) ?? new Set<Address>();
    if (log.eventName === "RoleGranted") set.add(account);
    if (log.eventName === "RoleRevoked") set.delete(account);
    holders.set(role, set);
  }
  return new Map([...holders].map(([role, set]) => [role, [...set]]));
}
