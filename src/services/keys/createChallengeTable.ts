import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { Hex } from "viem";
import { TeezkError } from "../../errors/index.js";

export type CreateChallengeTableParameters = {
  ttlMs: number;
  /**
   * Most spent challenges remembered while still inside their lifetime (what stops a second use). When that many
   * are spent and unexpired, consume is SERVICE_BUSY and spends nothing, until some expire.
   */
  maxOutstanding: number;
  clock: () => Date;
};

export type ChallengeTable = {
  /** A fresh 32-byte nonce for `keyId`, usable once until `expiresAt`. Stores nothing. */
  issue: (keyId: string) => { nonce: Hex; expiresAt: Date };
  /**
   * Spends `nonce` for `keyId`. Throws NONCE_REPLAYED when this service did not issue it for this key (or issued
   * it before a restart), it was already spent, or it has expired; SERVICE_BUSY when the spent set is full. A
   * nonce is spent by its first presentation, whatever the outcome of the release: a refused attempt cannot be
   * retried with the same challenge.
   */
  consume: (keyId: string, nonce: Hex) => void;
  /** Spent challenges remembered (the only state). */
  readonly size: number;
};

const TAG = "teezk/v1/key-release-challenge";
/** Nonce layout: issue time (ms, 6 bytes big-endian) ‖ random (10 bytes) ‖ HMAC tag (16 bytes). */
const TIME_BYTES = 6;
const BODY_BYTES = 16;

/**
 * The single-use challenges of a key-release service, stateless until spent: a challenge carries its issue time
 * and an HMAC under a per-process secret over (key id, issue time, randomness), so issuing stores nothing and
 * checking needs no table of outstanding challenges. Anyone may ask for challenges; since none is stored, a
 * flood can neither push an honest client's challenge out nor grow memory. Spent challenges are remembered until
 * they expire (that is what makes them single-use), at most `maxOutstanding` of them. The secret is per process:
 * after a restart, outstanding challenges stop verifying, which is required since the spent set is gone too.
 * Spending is synchronous, so two concurrent releases with one nonce cannot both pass.
 */
export function createChallengeTable({ ttlMs, maxOutstanding, clock }: CreateChallengeTableParameters): ChallengeTable {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new TeezkError("CONFIG_INVALID", "The challenge lifetime must be a positive number of ms");
  if (!Number.isSafeInteger(maxOutstanding) || maxOutstanding <= 0) throw new TeezkError("CONFIG_INVALID", "The challenge table bound must be a positive integer");
  const secret = randomBytes(32);
  const tagOf = (keyId: string, body: Buffer) => createHmac("sha256", secret).update(`${TAG}\0${keyId}\0`).update(body).digest().subarray(0, 32 - BODY_BYTES);
  /** Spent nonce → its expiry (ms). Spend order is not expiry order: pruning sweeps. */
  const spent = new Map<string, number>();
  const prune = (nowMs: number) => {
    for (const [nonce, expiresAt] of spent) if (expiresAt <= nowMs) spent.delete(nonce);
  };
  const refuse = (message: string, details?: string) =>
    new TeezkError("NONCE_REPLAYED", message, {
      ...(details ? { details } : {}),
      metaMessages: ["Ask for a new challenge (POST /v1/keys/<id>/challenge) and attest again with it."],
    });

  return {
    issue(keyId) {
      const nowMs = clock().getTime();
      const body = Buffer.alloc(BODY_BYTES);
      body.writeUIntBE(nowMs, 0, TIME_BYTES);
      randomBytes(BODY_BYTES - TIME_BYTES).copy(body, TIME_BYTES);
      const nonce = `0x${Buffer.concat([body, tagOf(keyId, body)]).toString("hex")}` as Hex;
      return { nonce, expiresAt: new Date(nowMs + ttlMs) };
    },
    consume(keyId, nonce) {
      const key = nonce.toLowerCase();
      const bytes = /^0x[0-9a-f]{64}$/.test(key) ? Buffer.from(key.slice(2), "hex") : Buffer.alloc(0);
      const body = bytes.subarray(0, BODY_BYTES);
      if (bytes.length !== 32 || !timingSafeEqual(bytes.subarray(BODY_BYTES), tagOf(keyId, body))) {
        throw refuse("The challenge was not issued by this service for this key (or before it restarted)");
      }
      const expiresAt = body.readUIntBE(0, TIME_BYTES) + ttlMs;
      const nowMs = clock().getTime();
      if (expiresAt <= nowMs) throw refuse("The challenge has expired", `expired at ${new Date(expiresAt).toISOString()}`);
      if (spent.has(key)) throw refuse("The challenge was already used");
      if (spent.size >= maxOutstanding) prune(nowMs);
      if (spent.size >= maxOutstanding) {
        throw new TeezkError("SERVICE_BUSY", `The service holds ${spent.size} spent, unexpired challenges, its limit; this one is not spent, retry shortly`);
      }
      spent.set(key, expiresAt);
    },
    get size() {
      return spent.size;
    },
  };
}
