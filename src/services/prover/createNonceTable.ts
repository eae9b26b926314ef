import type { Hex } from "viem";
import { TeezkError } from "../../errors/index.js";

export type CreateNonceTableParameters = {
  /** How long an issued nonce stays usable (ms). */
  ttlMs: number;
  /** Most nonces remembered, issued or used, until they expire; when full of live ones, issue is SERVICE_BUSY. */
  maxEntries: number;
};

/** The nonces one prover node has attested, each good for one prove. Times are ms since the epoch. */
export type NonceTable = {
  /**
   * Records an attested nonce. A nonce the table still remembers (issued or used) is NONCE_REPLAYED; a table
   * full of unexpired nonces is SERVICE_BUSY (nothing live is forgotten to make room).
   */
  issue(nonce: Hex, binding: Hex, now: number): void;
  /** The binding of an issued, unused, unexpired nonce; NONCE_REPLAYED otherwise. Does not use it up. */
  peek(nonce: Hex, now: number): Hex;
  /** Uses the nonce up (after `peek`, once the request proved it can open its message); NONCE_REPLAYED if raced. */
  consume(nonce: Hex, now: number): Hex;
  /** Forgets an issued nonce whose attestation failed, so its client can ask again. */
  forget(nonce: Hex): void;
  readonly size: number;
};

type Entry = { binding: Hex; expiresAt: number; used: boolean };

/**
 * A bounded, expiring table of attested nonces. Map insertion order is issue order, so expiry takes from the
 * front. Used nonces stay until they expire, so a replay inside the window is named as such. A full table refuses
 * new nonces instead of evicting the oldest: anyone may ask for attestations, and eviction let a flood push out
 * an honest client's nonce between its attestation and its prove (the node's attestation rate bound keeps the
 * table from filling at all).
 *
 * Bound: a nonce forgotten (expired) can be attested again; its old binding is gone, so a replayed prove request
 * still fails, and a fresh attestation means a fresh receipt.
 */
export function createNonceTable({ ttlMs, maxEntries }: CreateNonceTableParameters): NonceTable {
  const entries = new Map<string, Entry>();

  const sweep = (now: number) => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > now) break;
      entries.delete(key);
    }
  };

  const refuse = (nonce: Hex, why: string) =>
    new TeezkError("NONCE_REPLAYED", `The nonce ${why}`, {
      details: `nonce ${nonce}`,
      metaMessages: ["Request a fresh attestation (GET /v1/attestation with a new random nonce) and seal again."],
    });

  const live = (nonce: Hex, now: number): Entry => {
    sweep(now);
    const entry = entries.get(nonce.toLowerCase());
    if (!entry) throw refuse(nonce, "was never attested by this node, or its attestation expired");
    if (entry.used) throw refuse(nonce, "was already used for a proof");
    return entry;
  };

  return {
    issue(nonce, binding, now) {
      sweep(now);
      const key = nonce.toLowerCase();
      if (entries.has(key)) throw refuse(nonce, "was already attested by this node; each attestation needs a fresh nonce");
      if (entries.size >= maxEntries) {
        throw new TeezkError("SERVICE_BUSY", `The node remembers ${entries.size} unexpired nonces, its limit; retry shortly`);
      }
      entries.set(key, { binding, expiresAt: now + ttlMs, used: false });
    },
    peek(nonce, now) {
      return live(nonce, now).binding;
    },
    consume(nonce, now) {
      const entry = live(nonce, now);
      entry.used = true;
      return entry.binding;
    },
    forget(nonce) {
      const key = nonce.toLowerCase();
      if (entries.get(key)?.used === false) entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
