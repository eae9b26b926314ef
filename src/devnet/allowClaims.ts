import { buildAllowMeasurementCalls, tcbStatusBitmap } from "../chain/index.js";
import type { Claims, TcbStatusName } from "../claims/index.js";
import type { TeezkError } from "../errors/index.js";
import type { Devnet, GovernReturnType } from "./types.js";

/** TCB statuses the devnet's on-chain policy and its nodes' reference values accept. */
export const DEVNET_ACCEPTED_STATUSES: TcbStatusName[] = ["UP_TO_DATE", "NOT_APPLICABLE"];
/** Evidence older than this (seconds) is refused on-chain and by the nodes. */
export const DEVNET_MAX_EVIDENCE_AGE = 3600n;

export type AllowClaimsParameters = {
  devnet: Devnet;
  /** One entry per measurement to allow; all go in one timelock operation. */
  claims: readonly Claims[];
  maxEvidenceAge?: bigint;
};
export type AllowClaimsErrorType = TeezkError;

/**
 * One timelock proposal allowing each claims' measurement for the devnet's program, its TEE type's policy, and
 * the root that anchored it (on a devnet, a simulated TEE's dev root: never allow one on a real deployment).
 */
export async function allowClaims({ devnet, claims, maxEvidenceAge = DEVNET_MAX_EVIDENCE_AGE }: AllowClaimsParameters): Promise<GovernReturnType> {
  // A root allowed twice in one operation reverts (RootHashUnchanged), so each (TEE type, root) goes in once.
  const rootsAllowed = new Set<string>();
  return await devnet.govern(
    claims.flatMap((entry) => {
      const key = `${entry.teeType} ${entry.rootHash}`;
      const allowRootHashes = rootsAllowed.has(key) ? [] : [entry.rootHash];
      rootsAllowed.add(key);
      return buildAllowMeasurementCalls({
        measurementRegistry: devnet.addresses.measurementRegistry,
        programId: devnet.programId,
        teeType: entry.teeType,
        measurement: entry.measurement,
        policy: { acceptedTcbStatuses: tcbStatusBitmap(DEVNET_ACCEPTED_STATUSES), minSvn: 0, maxEvidenceAge },
        allowRootHashes,
      });
    }),
  );
}
