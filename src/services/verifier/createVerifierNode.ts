import type { Hono } from "hono";
import type { Address, LocalAccount } from "viem";
import { TeezkError } from "../../errors/index.js";
import type { ReferenceValues } from "../../policy/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import type { Archive } from "../../store/index.js";
import { createAdmissionGate, type ServiceLimitOptions } from "../http/index.js";
import { createVerifierSigner, type VerifierSigner } from "../verifierSigner.js";
import { createArchiveBatcher } from "./createArchiveBatcher.js";
import { DEFAULT_MAX_CONCURRENT_VERIFICATIONS, DEFAULT_REQUEST_TIME_SKEW_MS, DEFAULT_VERIFY_TIMEOUT_MS, MAX_VERIFY_BODY_BYTES } from "./constants.js";
import { createCollateralCache, serviceRefresher } from "./createCollateralCache.js";
import { createVerifierApp } from "./createVerifierApp.js";
import { createVerifyAndSign } from "./verifyAndSign.js";
import type { CollateralRefreshReport } from "../../collateral/index.js";
import type { EvidenceTrustParameters } from "./types.js";

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
  const verifyGate = createAdmissionGate({
    what: "verifications",
    maxInFlight: parameters.maxConcurrentVerifications ?? DEFAULT_MAX_CONCURRENT_VERIFICATIONS,
    ...(parameters.verificationsPerSecond !== undefined ? { perSecond: parameters.verificationsPerSecond } : {}),
    clock,
  });
  // Verifications that arrive together share one commit: the batch waits for every one the gate let in.
  const batcher = archive ? createArchiveBatcher({ archive, pending: () => verifyGate.inFlight }) : undefined;

  const app = createVerifierApp({
    verifyAndSign: createVerifyAndSign({ signer, committee, collateralCache, refresher, batcher, clock }),
    health: () => ({
      ok: true,
      service: "verifier",
      address: signer.address,
      committee: { chainId: Number(committee.chainId), verifyingContract: committee.verifyingContract },
      collateralKinds: collateralCache.kinds,
      allowRequestTime,
      requestTimeSkewMs,
    }),
    maxBodyBytes: parameters.maxBodyBytes ?? MAX_VERIFY_BODY_BYTES,
    timeoutMs: parameters.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS,
    verifyGate,
    allowRequestTime,
    requestTimeSkewMs,
    clock,
  });

  return {
    app,
    address: signer.address,
    committee,
    signer,
    refreshCollateral: () => refresher?.refreshDue() ?? Promise.resolve({ due: 0, refreshed: 0, failed: [] }),
    close: () => refresher?.close(),
  };
}
