import type { Hex } from "viem";
import { teeTypeName, type Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { parseReferenceValues, type ReferenceValues } from "../policy/index.js";
import { DEVNET_ACCEPTED_STATUSES, DEVNET_MAX_EVIDENCE_AGE } from "./allowClaims.js";

export type BuildDevReferenceValuesParameters = {
  /** Claims whose measurement and root are allowed (one probe per simulated vendor). */
  allowed: readonly Claims[];
  maxAgeSeconds?: number;
};
export type BuildDevReferenceValuesErrorType = TeezkError;

/**
 * Reference values that allow exactly the given measurements and roots, with the devnet's TCB statuses and
 * evidence age: what the verifier nodes and the delegating client appraise against, mirroring the on-chain
 * policy `allowClaims` sets, so off-chain and on-chain decisions agree.
 */
export function buildDevReferenceValues({ allowed, maxAgeSeconds = Number(DEVNET_MAX_EVIDENCE_AGE) }: BuildDevReferenceValuesParameters): ReferenceValues {
  const tee: Record<string, { allowedMeasurements: Hex[]; allowedRoots: Hex[]; acceptedTcbStatuses: string[] }> = {};
  for (const claims of allowed) {
    const name = teeTypeName(claims.teeType);
    if (!name) throw new TeezkError("CONFIG_INVALID", `Unknown TEE type ${claims.teeType}`);
    const entry = (tee[name] ??= { allowedMeasurements: [], allowedRoots: [], acceptedTcbStatuses: DEVNET_ACCEPTED_STATUSES });
    if (!entry.allowedMeasurements.includes(claims.measurement)) entry.allowedMeasurements.push(claims.measurement);
    if (!entry.allowedRoots.includes(claims.rootHash)) entry.allowedRoots.push(claims.rootHash);
  }
  return parseReferenceValues({ version: 1, maxAgeSeconds, tee });
}
