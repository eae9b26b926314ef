import { randomBytes } from "node:crypto";
import type { Hex } from "viem";
import { TeezkError } from "../../errors/index.js";

export type CreateChallengeTableParameters = {
  ttlMs: number;
  maxOutstanding: number;
  clock: () => Date;
};

export type ChallengeTable = {
  /** A fresh random 32-byte nonce for `keyId`, usable once until `expiresAt`. */
  issue: (keyId: string) => { nonce: Hex; expiresAt: Date };
  /**
   * Spends `nonce` for `keyId`. Throws NONCE_REPLAYED when it was never issued (or was forgotten), was issued
   * for another key, was already spent, or has expired. A nonce is spent by its first presentation, whatever the
   * outcome of the release: a refused attempt cannot be retried with the same challenge.
   */
  consume: (keyId: string, nonce: Hex) => void;
  readonly size: number;
};

/**
 * The single-use challenges of a key-release service, in memory and bounded: at most `maxOutstanding` entries;
 * issuing past the bound first drops expired entries, then the oldest. Entries are kept in issue order, which
 * with one TTL is also expiry order, so pruning only looks at the front. Spending is synchronous, so two
 * concurrent releases with one nonce cannot both pass.
 */
export function createChallengeTable({ ttlMs, maxOutstanding, clock }: CreateChallengeTableParameters): ChallengeTable {
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0) throw new TeezkError("CONFIG_INVALID", "The challenge lifetime must be a positive number of ms");
  if (!Number.isSafeInteger(maxOutstanding) || maxOutstanding <= 0) throw new TeezkError("CONFIG_INVALID", "The challenge table bound must be a positive integer");
  const entries = new Map<string, { keyId: string; expiresAt: number }>();
  const prune = (nowMs: number) => {
    for (const [nonce, entry] of entries) {
      if (entry.expiresAt > nowMs) break;
      entries.delete(nonce);
    }
  };
  return {
    issue(keyId) {
      const nowMs = clock().getTime();
      prune(nowMs);
      while (entries.size >= maxOutstanding) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      const nonce = `0x${randomBytes(32).toString("hex")}` as Hex;
      const expiresAt = nowMs + ttlMs;
      entries.set(nonce, { keyId, expiresAt });
      return { nonce, expiresAt: new Date(expiresAt) };
    },
    consume(keyId, nonce) {
      const key = nonce.toLowerCase();
      const entry = entries.get(key);
      entries.delete(key);
      if (!entry) {
        throw new TeezkError("NONCE_REPLAYED", "The challenge was not issued by this service, was already used, or was dropped", {
          metaMessages: ["Ask for a new challenge (POST /v1/keys/<id>/challenge) and attest again with it."],
        });
      }
      if (entry.keyId !== keyId) {
        throw new TeezkError("NONCE_REPLAYED", "The challenge was issued for another key", {
          metaMessages: ["Ask for a challenge for this key id and attest again with it."],
        });
      }
      if (entry.expiresAt <= clock().getTime()) {
        throw new TeezkError("NONCE_REPLAYED", "The challenge has expired", {
          details: `expired at ${new Date(entry.expiresAt).toISOString()}`,
          metaMessages: ["Ask for a new challenge and attest again with it."],
        });
      }
    },
    get size() {
      return entries.size;
    },
  };
}
