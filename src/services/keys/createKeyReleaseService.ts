import { createHash } from "node:crypto";
import { Hono } from "hono";
import type { Hex } from "viem";
import { sealForAttestedEnclave } from "../../channel/index.js";
import { claimsHash as hashClaims, computeBinding, type Claims } from "../../claims/index.js";
import { isTeezkError, TeezkError, type ErrorCode } from "../../errors/index.js";
import { assessEvidence } from "../../assessment/index.js";
import type { Appraisal } from "../../policy/index.js";
import { MAX_ARCHIVED_EVIDENCE_BYTES, type Archive } from "../../store/index.js";
import { applyServiceLimits, createAdmissionGate, errorResponse, readJsonObject, type ServiceLimitOptions } from "../http/index.js";
import { DEFAULT_MAX_CONCURRENT_VERIFICATIONS } from "../verifier/constants.js";
import { assessWithServiceCollateral, createCollateralCache, serviceRefresher, type ServiceCollateral } from "../verifier/createCollateralCache.js";
import type { EvidenceTrustParameters } from "../verifier/types.js";
import type { CollateralRefreshReport } from "../../collateral/index.js";
import {
  DEFAULT_CHALLENGE_TTL_MS,
  DEFAULT_KEY_RELEASE_TIMEOUT_MS,
  DEFAULT_MAX_OUTSTANDING_CHALLENGES,
  KEY_ID_PATTERN,
  KEY_RELEASE_ARCHIVE_SOURCE,
  MAX_KEY_MATERIAL_BYTES,
  MAX_KEY_RELEASE_BODY_BYTES,
  keyReleaseChannelId,
} from "./constants.js";
import { createChallengeTable, type ChallengeTable } from "./createChallengeTable.js";
import { parseKeyReleaseRequest, type ParseKeyReleaseRequestReturnType } from "./parseKeyReleaseRequest.js";
import type { KeyChallengeBody, KeyReleaseResponseBody, ReleasableKey } from "./types.js";

/** `maxBodyBytes` defaults to MAX_KEY_RELEASE_BODY_BYTES, `timeoutMs` to DEFAULT_KEY_RELEASE_TIMEOUT_MS. */
export type CreateKeyReleaseServiceParameters = EvidenceTrustParameters & ServiceLimitOptions & {
  keys: readonly ReleasableKey[];
  /** When given, every release decision (released or refused, with its evidence and appraisal) is recorded. */
  archive?: Archive;
  challengeTtlMs?: number;
  /** Spent, unexpired challenges remembered (issued ones are stateless). Default DEFAULT_MAX_OUTSTANDING_CHALLENGES. */
  maxOutstandingChallenges?: number;
  /** Releases (each an evidence verification) in flight; more get SERVICE_BUSY. Default DEFAULT_MAX_CONCURRENT_VERIFICATIONS. */
  maxConcurrentReleases?: number;
  /** The service's clock (tests); default `() => new Date()`. Evidence is always verified as of this clock. */
  clock?: () => Date;
};

export type KeyReleaseService = {
  app: Hono;
  keyIds: string[];
  challenges: ChallengeTable;
  /** One background collateral refresh pass now (with collateralServices). */
  refreshCollateral: () => Promise<CollateralRefreshReport>;
  /** Stops the background collateral refresh timer. */
  close: () => void;
};
export type CreateKeyReleaseServiceReturnType = KeyReleaseService;
export type CreateKeyReleaseServiceErrorType = TeezkError;

/** What one decision leaves in the archive, written in one transaction. */
type DecisionRecord = { binding?: Hex; evidence?: Uint8Array; claims?: Claims; appraisal?: Appraisal };

/** A refusal on its way out: the code the client sees and what the archive records about it. */
class Refusal {
  constructor(
    readonly error: TeezkError,
    readonly reasonCodes: string[],
    readonly record: DecisionRecord,
  ) {}
}

/**
 * The attestation-gated key release pattern (AWS KMS RecipientAttestation, Azure Secure Key Release) as a
 * service. Each key has its own reference values. A requester asks for a challenge, has its TEE put
 * `computeBinding(enclaveAddress, hpkePublicKey, nonce)` in fresh evidence, and posts it: the service spends the
 * nonce (NONCE_REPLAYED unless it issued it for this key, unused and unexpired), assesses the evidence as of its own
 * clock (assessEvidence: CPU and any GPU half verified and appraised against the key's policy, that binding as the
 * expected report data; a GPU report on its own is GPU_NOT_AN_ENCLAVE), and
 * only then answers with the key HPKE-sealed (src/channel) to that public key — info binds the binding, aad the
 * key id and the nonce. Refusals are KEY_RELEASE_REFUSED (with the verifier's code or every failed rule in
 * `details`) and carry nothing about the key. Every decision is archived before the answer; an archive that
 * cannot be written means no key (ARCHIVE_WRITE_FAILED).
 *
 * @example
 * const service = createKeyReleaseService({ keys: [{ id: "witness-store", material, referenceValues }], archive });
 * const { url } = await serveApp(service.app);
 * const { key } = await requestKeyRelease(url, { keyId: "witness-store", enclaveAddress, keyPair, attest });
 */
export function createKeyReleaseService(parameters: CreateKeyReleaseServiceParameters): CreateKeyReleaseServiceReturnType {
  const { archive, extraTrustedRoots } = parameters;
  const clock = parameters.clock ?? (() => new Date());
  const collateralCache = createCollateralCache({ collateral: parameters.collateral ?? {}, clock });
  const refresher = serviceRefresher(parameters, clock);
  const keys = new Map<string, ReleasableKey>();
  for (const key of parameters.keys) {
    if (typeof key.id !== "string" || !KEY_ID_PATTERN.test(key.id)) {
      throw new TeezkError("CONFIG_INVALID", `Key id ${JSON.stringify(key.id)} is not 1-64 characters of A-Za-z0-9._-`);
    }
    if (keys.has(key.id)) throw new TeezkError("CONFIG_INVALID", `Key id ${key.id} is listed twice`);
    if (!(key.material instanceof Uint8Array) || key.material.length === 0 || key.material.length > MAX_KEY_MATERIAL_BYTES) {
      throw new TeezkError("CONFIG_INVALID", `Key ${key.id} must be 1 to ${MAX_KEY_MATERIAL_BYTES} bytes`);
    }
    keys.set(key.id, { ...key, material: new Uint8Array(key.material) });
  }
  const challenges = createChallengeTable({
    ttlMs: parameters.challengeTtlMs ?? DEFAULT_CHALLENGE_TTL_MS,
    maxOutstanding: parameters.maxOutstandingChallenges ?? DEFAULT_MAX_OUTSTANDING_CHALLENGES,
    clock,
  });

  const app = new Hono();
  applyServiceLimits(app, { maxBodyBytes: parameters.maxBodyBytes ?? MAX_KEY_RELEASE_BODY_BYTES, timeoutMs: parameters.timeoutMs ?? DEFAULT_KEY_RELEASE_TIMEOUT_MS });
  // Challenges are free, so releases are too: each verifies evidence, so bound them before any body is read.
  const releaseGate = createAdmissionGate({ what: "releases", maxInFlight: parameters.maxConcurrentReleases ?? DEFAULT_MAX_CONCURRENT_VERIFICATIONS, clock });
  app.use("/v1/keys/:id/release", releaseGate.middleware);

  app.get("/v1/health", (context) => context.json({ ok: true, service: "keys", keys: [...keys.keys()] }));

  app.post("/v1/keys/:id/challenge", (context) => {
    try {
      const key = keyFor(context.req.param("id"));
      const { nonce, expiresAt } = challenges.issue(key.id);
      const body: KeyChallengeBody = { keyId: key.id, nonce, expiresAt: expiresAt.toISOString() };
      return context.json(body);
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  app.post("/v1/keys/:id/release", async (context) => {
    try {
      const id = context.req.param("id");
      if (!KEY_ID_PATTERN.test(id)) throw new TeezkError("REQUEST_INVALID", "A key id is 1-64 characters of A-Za-z0-9._-");
      const request = parseKeyReleaseRequest(await readJsonObject(context));
      return context.json(await release(id, request));
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  function keyFor(id: string): ReleasableKey {
    if (!KEY_ID_PATTERN.test(id)) throw new TeezkError("REQUEST_INVALID", "A key id is 1-64 characters of A-Za-z0-9._-");
    const key = keys.get(id);
    if (!key) throw new TeezkError("KEY_NOT_FOUND", `This service holds no key "${id}"`);
    return key;
  }

  async function release(id: string, request: ParseKeyReleaseRequestReturnType): Promise<KeyReleaseResponseBody> {
    let refusal: Refusal;
    try {
      return await decide(id, request);
    } catch (thrown) {
      refusal =
        thrown instanceof Refusal
          ? thrown
          : new Refusal(isTeezkError(thrown) ? thrown : new TeezkError("INTERNAL", "the key-release service failed while deciding"), [isTeezkError(thrown) ? thrown.code : "INTERNAL"], {});
    }
    if (refusal.error.code !== "ARCHIVE_WRITE_FAILED") {
      recordDecision(id, request, "refused", refusal.reasonCodes, refusal.error.shortMessage, refusal.record);
    }
    throw refusal.error;
  }

  /** The decision proper; every refusal leaves as a Refusal so `release` can archive it. */
  async function decide(id: string, request: ParseKeyReleaseRequestReturnType): Promise<KeyReleaseResponseBody> {
    const key = keys.get(id);
    if (!key) throw new Refusal(new TeezkError("KEY_NOT_FOUND", `This service holds no key "${id}"`), ["KEY_NOT_FOUND"], {});
    try {
      challenges.consume(id, request.nonce);
    } catch (error) {
      if (isTeezkError(error)) throw new Refusal(error, [error.code], {});
      throw error;
    }
    const binding = computeBinding({ enclaveAddress: request.enclaveAddress, hpkePublicKey: request.hpkePublicKey, nonce: request.nonce });
    const now = clock();

    let decoded: Uint8Array = request.evidenceBytes;
    let claims: Claims;
    let appraisal: Appraisal;
    try {
      const resolved = collateralCache.resolve(request.evidenceBytes, request.kind, request.gpuEvidenceBytes !== undefined);
      decoded = resolved.decoded;
      const assess = (collateral: ServiceCollateral) =>
        assessEvidence({
          // Already decoded once: verifyEvidence sees binary and does not scan or decode the text again.
          evidence: resolved.decoded,
          now,
          kind: resolved.kind,
          referenceValues: key.referenceValues,
          expectedBinding: binding,
          ...collateral,
          ...(request.gpuEvidenceBytes ? { gpuEvidence: request.gpuEvidenceBytes } : {}),
          ...(extraTrustedRoots ? { extraTrustedRoots } : {}),
        });
      ({ claims, appraisal } = await assessWithServiceCollateral({ resolved, refresher, gpuEvidence: request.gpuEvidenceBytes, now, assess }));
    } catch (error) {
      const cause = isTeezkError(error) ? error : new TeezkError("INTERNAL", "verification failed unexpectedly");
      throw new Refusal(
        new TeezkError("KEY_RELEASE_REFUSED", `Key "${id}" was not released: the evidence did not verify (${cause.code})`, {
          details: `${cause.code}: ${cause.shortMessage}`,
        }),
        [cause.code],
        { binding, evidence: decoded },
      );
    }

    const record: DecisionRecord = { binding, evidence: decoded, claims, appraisal };
    if (!appraisal.ok) {
      throw new Refusal(
        new TeezkError("KEY_RELEASE_REFUSED", `Key "${id}" was not released: the evidence failed ${appraisal.failures.length} rule(s) of the key's policy`, {
          details: appraisal.failures.map((failure) => `${failure.rule} ${failure.code}: ${failure.message}`).join("; "),
        }),
        appraisal.failures.map((failure) => failure.code),
        record,
      );
    }

    let sealed;
    try {
      sealed = await sealForAttestedEnclave({
        hpkePublicKey: request.hpkePublicKey,
        binding,
        circuitId: keyReleaseChannelId(id),
        requestId: request.nonce,
        plaintext: key.material,
      });
    } catch (error) {
      // A low-order or invalid X25519 key: nothing was sealed.
      const code: ErrorCode = isTeezkError(error) ? error.code : "INTERNAL";
      throw new Refusal(isTeezkError(error) ? error : new TeezkError("INTERNAL", "sealing failed"), [code], record);
    }
    // Recorded before the answer: an archive that cannot be written throws ARCHIVE_WRITE_FAILED and the sealed
    // key is dropped unsent.
    const archived = recordDecision(id, request, "released", [], undefined, record);
    return { keyId: id, binding, claimsHash: hashClaims(claims), sealed, ...(archived ? { archived } : {}) };
  }

  /**
   * Evidence, appraisal and the key-release row of one decision, in one archive transaction (one fsync). A
   * refusal keeps its evidence's sha256 and length in `reason`, not the evidence: challenges are free, so anyone
   * can have any body refused, and storing each (up to 1 MiB) let a caller fill the service's disk.
   */
  function recordDecision(
    id: string,
    request: ParseKeyReleaseRequestReturnType,
    decision: "released" | "refused",
    reasonCodes: string[],
    reason: string | undefined,
    record: DecisionRecord,
  ): KeyReleaseResponseBody["archived"] {
    if (!archive) return undefined;
    return archive.transaction(() => {
      const storable =
        decision === "released" && record.evidence !== undefined && record.evidence.length > 0 && record.evidence.length <= MAX_ARCHIVED_EVIDENCE_BYTES;
      const digest = decision === "refused" && record.evidence ? ` [evidence sha256 0x${createHash("sha256").update(record.evidence).digest("hex")}, ${record.evidence.length} bytes]` : "";
      const evidenceId = storable
        ? archive.recordEvidence({
            evidence: record.evidence!,
            source: KEY_RELEASE_ARCHIVE_SOURCE,
            ...(record.claims ? { claims: record.claims, teeType: record.claims.teeType } : {}),
          }).id
        : undefined;
      const appraisalId = record.appraisal ? archive.recordAppraisal({ appraisal: record.appraisal, ...(evidenceId ? { evidenceId } : {}) }).id : undefined;
      const row = archive.recordKeyRelease({
        decision,
        reasonCodes,
        ...(reason || digest ? { reason: `${(reason ?? "").slice(0, 1000 - digest.length)}${digest}` } : {}),
        requestId: request.nonce,
        circuitId: keyReleaseChannelId(id),
        enclaveAddress: request.enclaveAddress,
        ...(record.binding ? { binding: record.binding } : {}),
        ...(evidenceId ? { evidenceId } : {}),
        ...(appraisalId ? { appraisalId } : {}),
      });
      return { keyReleaseId: row.id, ...(evidenceId ? { evidenceId } : {}), ...(appraisalId ? { appraisalId } : {}) };
    });
  }

  return {
    app,
    keyIds: [...keys.keys()],
    challenges,
    refreshCollateral: () => refresher?.refreshDue() ?? Promise.resolve({ due: 0, refreshed: 0, failed: [] }),
    close: () => refresher?.close(),
  };
}
