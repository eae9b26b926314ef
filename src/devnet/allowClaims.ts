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
  claims: Claims;
  maxEvidenceAge?: bigint;
};
export type AllowClaimsErrorType = TeezkError;

/**
 * One timelock proposal allowing `claims`' measurement for the devnet's program, the TEE type's policy, and the
 * root that anchored the claims (on a devnet, a simulated TEE's dev root: never allow one on a real deployment).
 */
export async function allowClaims({ devnet, claims, maxEvidenceAge = DEVNET_MAX_EVIDENCE_AGE }: AllowClaimsParameters): Promise<GovernReturnType> {
  return await devnet.govern(
    buildAllowMeasurementCalls({
      measurementRegistry: devnet.addresses.measurementRegistry,
      programId: devnet.programId,
      teeType: claims.teeType,
      measurement: claims.measurement,
      policy: { acceptedTcbStatuses: tcbStatusBitmap(DEVNET_ACCEPTED_STATUSES), minSvn: 0, maxEvidenceAge },
      allowRootHashes: [claims.rootHash],
    }),
  );
}
