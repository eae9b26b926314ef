import { Hono } from "hono";
import type { Address, LocalAccount } from "viem";
import { claimsToJson } from "../../claims/index.js";
import { isTeezkError, TeezkError } from "../../errors/index.js";
import type { EvidenceKind } from "../../evidence/detectEvidenceType.js";
import type { ReferenceValues } from "../../policy/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import type { Archive } from "../../store/index.js";
import { applyServiceLimits, createAdmissionGate, errorResponse, readJsonObject, type ServiceLimitOptions } from "../http/index.js";
import { createVerifierSigner, type VerifierSigner, type VerifierSignerRequest } from "../verifierSigner.js";
import { createArchiveBatcher } from "./createArchiveBatcher.js";
import { DEFAULT_MAX_CONCURRENT_VERIFICATIONS, DEFAULT_REQUEST_TIME_SKEW_MS, DEFAULT_VERIFY_TIMEOUT_MS, MAX_VERIFY_BODY_BYTES } from "./constants.js";
import { parseVerifyRequest, type ParseVerifyRequestReturnType } from "./parseVerifyRequest.js";
import { recordVerifierDecision } from "./recordVerifierDecision.js";
import { assessWithServiceCollateral, createCollateralCache, serviceRefresher } from "./createCollateralCache.js";
import type { CollateralRefreshReport } from "../../collateral/index.js";
import type { EvidenceTrustParameters, VerifierArchiveIds, VerifierHealthBody, VerifyResponseBody } from "./types.js";

/** `maxBodyBytes` defaults to MAX_VERIFY_BODY_BYTES, `timeoutMs` to DEFAULT_VERIFY_TIMEOUT_MS. */
export type CreateVerifierNodeParameters = EvidenceTrustParameters & ServiceLimitOptions & {
  /** The node's committee key; its address must be a CommitteeAttestationVerifier member. */
  account: LocalAccount;
  /** The CommitteeAttestationVerifier the verdicts are for (the EIP-712 domain). */
  committee: ContractDomain;
  /** What the node signs for: a verdict only when every rule passes. */
  referenceValues: ReferenceValues;
  /** When given, every decision (signed or refused) is recorded before the node answers. */
  archive?: Archive;
  /**
   * Accept any `at` in requests (verify as of a past time). Off by default: a committee member verifies as of
   * its own clock, or of an `at` within `requestTimeSkewMs` of it. Turn it on to re-verify archived or real
   * sample evidence whose certificates have since expired.
   */
  allowRequestTime?: boolean;
  /**
   * Without allowRequestTime, an `at` at most this far from the node's clock (ms, either way) is used as the
   * verification time, so committee members asked with one `at` sign the same claims (DEFAULT_REQUEST_TIME_SKEW_MS,
   * 120 s); a farther one is REQUEST_TIME_SKEWED. 0 accepts only the node's own current second.
   */
  requestTimeSkewMs?: number;
  /** Verifications in flight; more get SERVICE_BUSY before their body is read. Default DEFAULT_MAX_CONCURRENT_VERIFICATIONS. */
  maxConcurrentVerifications?: number;
  /** Verifications admitted per second on average (bursts of as many); default unbounded (CPU-bound anyway). */
  verificationsPerSecond?: number;
  /** The node's clock (tests); default `() => new Date()`. */
  clock?: () => Date;
};

export type VerifierNode = {
  /** Mount or serve it (`serveApp(node.app)`). */
  app: Hono;
  /** The committee member address verdicts recover to. */
  address: Address;
  committee: ContractDomain;
  /** The transport-free core the app wraps. */
  signer: VerifierSigner;
  /** One background collateral refresh pass now (with collateralServices; otherwise a pass with nothing due). */
  refreshCollateral: () => Promise<CollateralRefreshReport>;
  /** Stops the background collateral refresh timer. */
  close: () => void;
};
export type CreateVerifierNodeReturnType = VerifierNode;
export type CreateVerifierNodeErrorType = TeezkError;

/**
 * A committee member as an HTTP service (DESIGN §5): `POST /v1/verify` verifies evidence (src/evidence),
 * appraises its claims (src/policy) and answers with the claims and an EIP-712 verdict signed by the node;
 * `GET /v1/health` says who the node is. Refusals are JSON errors with stable codes: the verifier's own for
 * evidence that does not verify (CERT_EXPIRED, ROOT_NOT_TRUSTED, …), VERDICT_REFUSED listing the failed rules
 * for a failed appraisal. Bodies are capped, requests time out, verifications in flight (and optionally per
 * second) are bounded (SERVICE_BUSY), and when an archive is given every decision is recorded before the answer
 * is sent (an archive that cannot be written means no verdict: ARCHIVE_WRITE_FAILED) — a refusal by its
 * evidence's digest and code, not its body; decisions that arrive together are committed together
 * (createArchiveBatcher), one fsync per batch.
 *
 * @example
 * const node = createVerifierNode({ account, committee: { chainId, verifyingContract }, referenceValues });
 * const { url, close } = await serveApp(node.app);
 * const { verdict } = await requestVerdict(url, { evidence });
 */
export function createVerifierNode(parameters: CreateVerifierNodeParameters): CreateVerifierNodeReturnType {
  const { account, committee, referenceValues, archive } = parameters;
  const clock = parameters.clock ?? (() => new Date());
  const collateralCache = createCollateralCache({ collateral: parameters.collateral ?? {}, clock });
  const refresher = serviceRefresher(parameters, clock);
  const allowRequestTime = parameters.allowRequestTime ?? false;
  const requestTimeSkewMs = parameters.requestTimeSkewMs ?? DEFAULT_REQUEST_TIME_SKEW_MS;
  if (!Number.isSafeInteger(requestTimeSkewMs) || requestTimeSkewMs < 0) {
    throw new TeezkError("CONFIG_INVALID", `requestTimeSkewMs must be a whole number of ms, 0 or more; got ${requestTimeSkewMs}`);
  }
  const signer = createVerifierSigner({
    account,
    committee,
    referenceValues,
    ...(parameters.extraTrustedRoots ? { extraTrustedRoots: parameters.extraTrustedRoots } : {}),
  });

  const batcher = archive ? createArchiveBatcher({ archive }) : undefined;

  const app = new Hono();
  applyServiceLimits(app, { maxBodyBytes: parameters.maxBodyBytes ?? MAX_VERIFY_BODY_BYTES, timeoutMs: parameters.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS });
  // Inside the timeout: a timed-out verification keeps its slot until it has really finished (archived).
  const verifyGate = createAdmissionGate({
    what: "verifications",
    maxInFlight: parameters.maxConcurrentVerifications ?? DEFAULT_MAX_CONCURRENT_VERIFICATIONS,
    ...(parameters.verificationsPerSecond !== undefined ? { perSecond: parameters.verificationsPerSecond } : {}),
    clock,
  });
  app.use("/v1/verify", verifyGate.middleware);

  app.get("/v1/health", (context) => {
    const body: VerifierHealthBody = {
      ok: true,
      service: "verifier",
      address: signer.address,
      committee: { chainId: Number(committee.chainId), verifyingContract: committee.verifyingContract },
      collateralKinds: collateralCache.kinds,
      allowRequestTime,
      requestTimeSkewMs,
    };
    return context.json(body);
  });

  app.post("/v1/verify", async (context) => {
    try {
      const request = parseVerifyRequest(await readJsonObject(context));
      if (request.atDate && !allowRequestTime) checkRequestTime(request.atDate);
      return context.json(await decide(request));
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  /**
   * An `at` near the node's clock is how a committee agrees on one verification time; one farther away would
   * be a caller choosing when evidence is judged, which only a node started with allowRequestTime allows.
   */
  function checkRequestTime(at: Date): void {
    const own = clock();
    const offsetMs = at.getTime() - own.getTime();
    if (Math.abs(offsetMs) <= requestTimeSkewMs) return;
    throw new TeezkError(
      "REQUEST_TIME_SKEWED",
      `The requested time ${at.toISOString()} is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs < 0 ? "behind" : "ahead of"} this node's clock (${own.toISOString()}); it accepts at most ${requestTimeSkewMs / 1000} s either way`,
      {
        metaMessages: [
          "Check the requester's and the node's clocks (NTP), or omit `at` to verify as of the node's clock.",
          "To re-verify past evidence, start the node with --allow-request-time.",
        ],
      },
    );
  }

  /** One verification decision, archived before it is returned or thrown. */
  async function decide(request: ParseVerifyRequestReturnType): Promise<VerifyResponseBody> {
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
  }

  return {
    app,
    address: signer.address,
    committee,
    signer,
    refreshCollateral: () => refresher?.refreshDue() ?? Promise.resolve({ due: 0, refreshed: 0, failed: [] }),
    close: () => refresher?.close(),
  };
}
