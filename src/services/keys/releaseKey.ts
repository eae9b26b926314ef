import type { Hex } from "viem";
import { sealForAttestedEnclave, type SealedMessage } from "../../channel/index.js";
import { claimsHash as hashClaims, computeBinding, type Claims } from "../../claims/index.js";
import type { CollateralRefresher } from "../../collateral/index.js";
import { isTeezkError, TeezkError, type ErrorCode } from "../../errors/index.js";
import { assessEvidence } from "../../assessment/index.js";
import type { Appraisal } from "../../policy/index.js";
import type { KeyReleaseResponseBody } from "../../protocol/index.js";
import type { Archive } from "../../store/index.js";
import type { PinnedRoot } from "../../util/x509.js";
import { assessWithServiceCollateral, type CollateralCache, type ServiceCollateral } from "../verifier/createCollateralCache.js";
import { keyReleaseChannelId } from "./constants.js";
import type { ChallengeTable } from "./createChallengeTable.js";
import type { ParseKeyReleaseRequestReturnType } from "./parseKeyReleaseRequest.js";
import { recordKeyReleaseDecision, type KeyReleaseDecisionRecord } from "./recordKeyReleaseDecision.js";
import type { ReleasableKey } from "./types.js";

export type ReleaseKeyParameters = {
  keys: ReadonlyMap<string, ReleasableKey>;
  challenges: ChallengeTable;
  collateralCache: CollateralCache;
  refresher: CollateralRefresher | undefined;
  archive?: Archive;
  extraTrustedRoots?: readonly PinnedRoot[];
  clock: () => Date;
};

export type ReleaseKey = (keyId: string, request: ParseKeyReleaseRequestReturnType) => Promise<KeyReleaseResponseBody>;

/** A refusal on its way out: the code the client sees and what the archive records about it. */
class Refusal {
  constructor(
    readonly error: TeezkError,
    readonly reasonCodes: string[],
    readonly record: KeyReleaseDecisionRecord,
  ) {}
}

/**
 * The key-release service's domain step (see createKeyReleaseService): spend the challenge, assess the evidence
 * against the key's policy with the binding as expected report data, seal the key to the attested HPKE key;
 * every decision, released or refused, archived before the answer (an archive that cannot be written means no
 * key: ARCHIVE_WRITE_FAILED).
 */
export function createReleaseKey(parameters: ReleaseKeyParameters): ReleaseKey {
  const { keys, challenges, archive, clock } = parameters;
  const record = (keyId: string, request: ParseKeyReleaseRequestReturnType, decision: "released" | "refused", reasonCodes: string[], reason: string | undefined, decided: KeyReleaseDecisionRecord) =>
    archive ? recordKeyReleaseDecision({ archive, keyId, request, decision, reasonCodes, reason, record: decided }) : undefined;

  /** The decision proper; every refusal leaves as a Refusal so the caller can archive it. */
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
    const decided = await assessForKey(parameters, key, request, binding, clock());
    const { claims, appraisal } = decided;
    if (!appraisal.ok) {
      throw new Refusal(
        new TeezkError("KEY_RELEASE_REFUSED", `Key "${id}" was not released: the evidence failed ${appraisal.failures.length} rule(s) of the key's policy`, {
          details: appraisal.failures.map((failure) => `${failure.rule} ${failure.code}: ${failure.message}`).join("; "),
        }),
        appraisal.failures.map((failure) => failure.code),
        decided,
      );
    }
    const sealed = await sealKey(key, request, binding, decided);
    // Recorded before the answer: an archive that cannot be written throws ARCHIVE_WRITE_FAILED and the sealed
    // key is dropped unsent.
    const archived = record(id, request, "released", [], undefined, decided);
    return { keyId: id, binding, claimsHash: hashClaims(claims), sealed, ...(archived ? { archived } : {}) };
  }

  return async (id, request) => {
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
      record(id, request, "refused", refusal.reasonCodes, refusal.error.shortMessage, refusal.record);
    }
    throw refusal.error;
  };
}

/** assessEvidence with the service's collateral as of `now`; evidence that does not verify is a Refusal naming its code. */
async function assessForKey(
  parameters: ReleaseKeyParameters,
  key: ReleasableKey,
  request: ParseKeyReleaseRequestReturnType,
  binding: Hex,
  now: Date,
): Promise<KeyReleaseDecisionRecord & { claims: Claims; appraisal: Appraisal }> {
  const { collateralCache, refresher, extraTrustedRoots } = parameters;
  let decoded: Uint8Array = request.evidenceBytes;
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
    const { claims, appraisal } = await assessWithServiceCollateral({ resolved, refresher, gpuEvidence: request.gpuEvidenceBytes, now, assess });
    return { binding, evidence: decoded, claims, appraisal };
  } catch (error) {
    const cause = isTeezkError(error) ? error : new TeezkError("INTERNAL", "verification failed unexpectedly");
    throw new Refusal(
      new TeezkError("KEY_RELEASE_REFUSED", `Key "${key.id}" was not released: the evidence did not verify (${cause.code})`, {
        details: `${cause.code}: ${cause.shortMessage}`,
      }),
      [cause.code],
      { binding, evidence: decoded },
    );
  }
}

/** The key HPKE-sealed to the attested key: info binds the binding, aad the key id and the nonce. */
async function sealKey(key: ReleasableKey, request: ParseKeyReleaseRequestReturnType, binding: Hex, decided: KeyReleaseDecisionRecord): Promise<SealedMessage> {
  try {
    return await sealForAttestedEnclave({
      hpkePublicKey: request.hpkePublicKey,
      binding,
      circuitId: keyReleaseChannelId(key.id),
      requestId: request.nonce,
      plaintext: key.material,
    });
  } catch (error) {
    // A low-order or invalid X25519 key: nothing was sealed.
    const code: ErrorCode = isTeezkError(error) ? error.code : "INTERNAL";
    throw new Refusal(isTeezkError(error) ? error : new TeezkError("INTERNAL", "sealing failed"), [code], decided);
  }
}
