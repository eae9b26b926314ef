import { encodeAbiParameters, getAddress, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { Verdict } from "./signVerdict.js";
import { COMMITTEE_PATH } from "./types.js";

export type EncodeCommitteeProofErrorType = TeezkError;

/**
 * The committee route's proof: `abi.encode(bytes[] signatures)` ordered by signer address, strictly ascending,
 * as CommitteeAttestationVerifier requires (which is how it rejects a member counted twice).
 */
export function encodeCommitteeProof(verdicts: readonly Verdict[]): Hex {
  const sorted = sortBySigner(verdicts);
  return encodeAbiParameters([{ type: "bytes[]" }], [sorted.map((v) => v.signature)]);
}

/** How a registration is vouched for: committee verdicts (route 1), or another route's own proof. */
export type RouteProof = { verdicts: readonly Verdict[]; path?: typeof COMMITTEE_PATH } | { proof: Hex; path: number };

/** The (route id, proof bytes) EnclaveRegistry.register and registerComposite take for `vouched`. */
export function routeAndProof(vouched: RouteProof): readonly [number, Hex] {
  return "verdicts" in vouched ? [COMMITTEE_PATH, encodeCommitteeProof(vouched.verdicts)] : [vouched.path, vouched.proof];
}

/** Verdicts (or root signatures) ascending by signer; a signer present twice is CONFIG_INVALID. */
export function sortBySigner<T extends { signer: Hex }>(items: readonly T[]): T[] {
  const sorted = [...items].sort((a, b) => (BigInt(a.signer) < BigInt(b.signer) ? -1 : BigInt(a.signer) > BigInt(b.signer) ? 1 : 0));
  for (let i = 1; i < sorted.length; i++) {
    if (getAddress(sorted[i]!.signer) === getAddress(sorted[i - 1]!.signer)) {
      throw new TeezkError("CONFIG_INVALID", `Signer ${sorted[i]!.signer} appears twice; the contracts count each signer once`);
    }
  }
  return sorted;
}
