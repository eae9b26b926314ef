import { claimsToJson } from "../../claims/index.js";
import { isTeezkError, TeezkError } from "../../errors/index.js";
import type { CollateralRefresher } from "../../collateral/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import type { VerifierSigner, VerifierSignerRequest } from "../verifierSigner.js";
import type { ArchiveBatcher } from "./createArchiveBatcher.js";
import { assessWithServiceCollateral, type CollateralCache } from "./createCollateralCache.js";
import type { ParseVerifyRequestReturnType } from "./parseVerifyRequest.js";
import { recordVerifierDecision } from "./recordVerifierDecision.js";
import type { VerifierArchiveIds, VerifyResponseBody } from "./types.js";

export type VerifyAndSignParameters = {
  signer: VerifierSigner;
  committee: ContractDomain;
  collateralCache: CollateralCache;
  refresher: CollateralRefresher | undefined;
  /** When given, every decision is committed to the archive before it is returned or thrown. */
  batcher: ArchiveBatcher | undefined;
  clock: () => Date;
};

export type VerifyAndSign = (request: ParseVerifyRequestReturnType) => Promise<VerifyResponseBody>;

/**
 * The verifier node's domain step: one decision on one request — the evidence assessed with the service's
 * collateral as of the request's time (or the node's clock), a verdict signed only when every rule passed — and
 * archived before it is returned or thrown: a refusal by its evidence's digest and code, a signed verdict with
 * its evidence, claims and appraisal. A failed appraisal is VERDICT_REFUSED listing every failed rule.
 */
export function createVerifyAndSign({ signer, committee, collateralCache, refresher, batcher, clock }: VerifyAndSignParameters): VerifyAndSign {
  return async (request) => {
    const now = request.atDate ?? clock();
    let archived: Uint8Array = request.evidenceBytes;
    let assessment: Awaited<ReturnType<VerifierSigner["assess"]>>;
    try {
      const resolved = collateralCache.resolve(request.evidenceBytes, request.kind, request.gpuEvidenceBytes !== undefined);
      archived = resolved.decoded;
      const signerRequest: VerifierSignerRequest = {
        // Already decoded once: verifyEvidence sees binary and does not scan or decode the text again.
        evidence: resolved.decoded,
        now,
        kind: resolved.kind,
        ...(request.gpuEvidenceBytes ? { gpuEvidence: request.gpuEvidenceBytes } : {}),
        ...(request.expectedBinding ? { expectedBinding: request.expectedBinding } : {}),
      };
      assessment = await assessWithServiceCollateral({
        resolved,
        refresher,
        gpuEvidence: request.gpuEvidenceBytes,
        now,
        assess: (collateral) => signer.assess({ ...signerRequest, ...collateral }),
      });
    } catch (error) {
      const refusal = isTeezkError(error) ? error : new TeezkError("INTERNAL", "the verifier failed while verifying the evidence", { cause: error });
      await batcher?.record((into) =>
        recordVerifierDecision({ archive: into, verifier: signer.address, committee, evidence: archived, refusal: { code: refusal.code, message: refusal.shortMessage } }),
      );
      throw refusal;
    }

    const { kind, claims, gpuClaims, encodedClaims, claimsHash, appraisal, verdict } = assessment;
    const ids: VerifierArchiveIds | undefined = await batcher?.record((into) =>
      recordVerifierDecision({
        archive: into,
        verifier: signer.address,
        committee,
        evidence: archived,
        teeType: claims.teeType,
        claims,
        ...(gpuClaims ? { gpuClaims } : {}),
        claimsHash,
        appraisal,
        ...(verdict ? { verdict } : {}),
      }),
    );
    if (!verdict) {
      throw new TeezkError("VERDICT_REFUSED", `The ${kind} evidence verified but failed ${appraisal.failures.length} policy rule(s)`, {
        details: appraisal.failures.map((failure) => `${failure.rule} ${failure.code}: ${failure.message}`).join("; "),
      });
    }
    return {
      kind,
      claims: claimsToJson(claims),
      ...(gpuClaims ? { gpuClaims: gpuClaims.map(claimsToJson) } : {}),
      encodedClaims,
      claimsHash,
      appraisal,
      verdict: { signer: verdict.signer, signature: verdict.signature },
      at: now.toISOString(),
      ...(ids ? { archived: ids } : {}),
    };
  };
}
