import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { TeezkError } from "../errors/index.js";
import type { StoredResponse } from "./types.js";

/** A cached answer is a fetched body (≤ 1 MiB) in base64 plus a few headers. */
const MAX_ENTRY_BYTES = 2 << 20;

/** `$TEEZK_CACHE_DIR`, else `$TEEZK_HOME/collateral-cache`, else `~/.teezk/collateral-cache`. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.TEEZK_CACHE_DIR) return resolve(env.TEEZK_CACHE_DIR);
  return join(env.TEEZK_HOME ? resolve(env.TEEZK_HOME) : join(homedir(), ".teezk"), "collateral-cache");
}

type CacheFile = { key: string; fetchedAt: string; headers: Record<string, string>; body: string };

/**
 * Fetched answers on disk, one JSON file per item key (named by the key's SHA-256, the key inside). The cache is not
 * trusted: an entry is re-parsed on every read (its dates come from the signed bytes, not from the file), the
 * verifier checks every item on use, and an unreadable or malformed entry reads as absent. Entries are written
 * only after the evidence verified with them, by rename so a reader never sees half a file.
 */
export class CollateralCache {
  constructor(readonly dir: string) {}

  read(key: string): StoredResponse | undefined {
    const path = this.path(key);
    try {
      if (statSync(path).size > MAX_ENTRY_BYTES) return undefined;
      const entry = JSON.parse(readFileSync(path, "utf8")) as CacheFile;
      if (entry.key !== key || typeof entry.body !== "string" || typeof entry.headers !== "object" || entry.headers === null) return undefined;
      return { body: new Uint8Array(Buffer.from(entry.body, "base64")), headers: { ...entry.headers } };
    } catch {
      return undefined;
    }
  }

  write(key: string, response: StoredResponse, fetchedAt: Date): void {
    const entry: CacheFile = { key, fetchedAt: fetchedAt.toISOString(), headers: response.headers, body: Buffer.from(response.body).toString("base64") };
    try {
      mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      const path = this.path(key);
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify(entry));
      renameSync(temporary, path);
    } catch (error) {
      throw new TeezkError("CONFIG_INVALID", `The collateral cache ${this.dir} cannot be written`, { cause: error, details: String(error) });
    }
  }

  private path(key: string): string {
    return join(this.dir, `${createHash("sha256").update(key).digest("hex")}.json`);
  }
}
