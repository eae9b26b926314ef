import type { Hono } from "hono";
import { TeezkError } from "../../errors/index.js";
import type { Archive } from "../../store/index.js";
import type { ServiceLimitOptions } from "../http/index.js";
import { DEFAULT_MAX_CONCURRENT_VERIFICATIONS } from "../verifier/constants.js";
import { createCollateralCache, serviceRefresher } from "../verifier/createCollateralCache.js";
import type { EvidenceTrustParameters } from "../verifier/types.js";
import type { CollateralRefreshReport } from "../../collateral/index.js";
import {
  DEFAULT_CHALLENGE_TTL_MS,
  DEFAULT_KEY_RELEASE_TIMEOUT_MS,
  DEFAULT_MAX_OUTSTANDING_CHALLENGES,
  KEY_ID_PATTERN,
  MAX_KEY_MATERIAL_BYTES,
  MAX_KEY_RELEASE_BODY_BYTES,
} from "./constants.js";
import { createChallengeTable, type ChallengeTable } from "./createChallengeTable.js";
import { createKeyReleaseApp } from "./createKeyReleaseApp.js";
import { createReleaseKey } from "./releaseKey.js";
import type { ReleasableKey } from "./types.js";

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

  const releaseKey = createReleaseKey({
    keys,
    challenges,
    collateralCache,
    refresher,
    clock,
    ...(archive ? { archive } : {}),
    ...(extraTrustedRoots ? { extraTrustedRoots } : {}),
  });

  const app = createKeyReleaseApp({
    keys,
    challenges,
    releaseKey,
    maxBodyBytes: parameters.maxBodyBytes ?? MAX_KEY_RELEASE_BODY_BYTES,
    timeoutMs: parameters.timeoutMs ?? DEFAULT_KEY_RELEASE_TIMEOUT_MS,
    maxConcurrentReleases: parameters.maxConcurrentReleases ?? DEFAULT_MAX_CONCURRENT_VERIFICATIONS,
    clock,
  });

  return {
    app,
    keyIds: [...keys.keys()],
    challenges,
    refreshCollateral: () => refresher?.refreshDue() ?? Promise.resolve({ due: 0, refreshed: 0, failed: [] }),
    close: () => refresher?.close(),
  };
}
