import { Hono } from "hono";
import { isHex, type Hex } from "viem";
import { isTeezkError } from "../errors/index.js";
import type { Archive } from "../store/index.js";
import type { PinnedRoot } from "../util/x509.js";
import type { ConsoleAssets } from "./buildConsoleAssets.js";
import { proxyJsonRpc, type ConsoleUpstream } from "./proxyJsonRpc.js";
import { createDecisionsReader } from "./readArchiveDecisions.js";
import { readArchiveEvidence } from "./readArchiveEvidence.js";
import type { ConsoleConfig } from "./read/types.js";

export type CreateConsoleAppParameters = {
  assets: ConsoleAssets;
  upstream: ConsoleUpstream;
  config: ConsoleConfig;
  archive?: Archive;
  /** Dev roots of simulated TEEs, to re-read a devnet's archived evidence; never on a real deployment. */
  extraTrustedRoots?: readonly PinnedRoot[];
};

/** The page's stable URLs: each serves the same document and the script routes from the path. */
export const CONSOLE_PAGES = ["/", "/allowlist", "/enclaves", "/enclaves/:address", "/receipts", "/roots", "/decisions", "/governance"] as const;

/**
 * The console's HTTP app: the page (same document on every page URL), its bundled assets, `/rpc` (a read-only
 * JSON-RPC proxy to the upstream chain), `/api/config` and, with an archive, `/api/decisions` and
 * `/api/evidence/:claimsHash`. Chain reads happen in the browser (viem over /rpc); the server adds only what a
 * browser cannot reach: the upstream node behind its URL and the SQLite archive.
 */
export function createConsoleApp({ assets, upstream, config, archive, extraTrustedRoots }: CreateConsoleAppParameters): Hono {
  const app = new Hono();
  const readDecisions = archive ? createDecisionsReader(archive) : undefined;
  // No script, style, font or connection leaves the console's own origin (assets.csp).
  const pageHeaders = { "content-type": "text/html; charset=utf-8", "content-security-policy": assets.csp, "cache-control": "no-store" };
  for (const path of CONSOLE_PAGES) app.get(path, (c) => c.body(assets.html, 200, pageHeaders));
  app.get("/assets/app.js", (c) => c.body(assets.js, 200, { "content-type": "text/javascript; charset=utf-8", "cache-control": "no-cache" }));
  app.get("/assets/app.css", (c) => c.body(assets.css, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "no-cache" }));
  app.get("/api/config", (c) => c.json(config));
  app.post("/rpc", async (c) => {
    try {
      return c.json(await proxyJsonRpc(upstream, await c.req.text()));
    } catch (error) {
      const code = isTeezkError(error) ? error.code : "INTERNAL";
      const message = isTeezkError(error) ? error.shortMessage : "the RPC proxy failed";
      return c.json({ jsonrpc: "2.0", id: null, error: { code: -32603, message: `${code}: ${message}` } }, code === "CONSOLE_RPC_REFUSED" ? 400 : 502);
    }
  });
  app.get("/api/decisions", (c) => {
    if (!readDecisions) return c.json({ error: { code: "CONFIG_INVALID", message: "start the console with --archive <file.sqlite> to see decisions" } }, 404);
    const code = c.req.query("code");
    if (code !== undefined && !/^[A-Z_]{1,64}$/.test(code)) return c.json({ error: { code: "REQUEST_INVALID", message: "code must be an error code (A-Z and _)" } }, 400);
    return c.json(readDecisions(code));
  });
  app.get("/api/evidence/:claimsHash", (c) => {
    const claimsHash = c.req.param("claimsHash");
    if (!archive) return c.json({ error: { code: "CONFIG_INVALID", message: "no archive: start the console with --archive" } }, 404);
    if (!isHex(claimsHash, { strict: true }) || claimsHash.length !== 66) return c.json({ error: { code: "REQUEST_INVALID", message: "claimsHash must be 32-byte hex" } }, 400);
    return c.json(readArchiveEvidence(archive, claimsHash.toLowerCase() as Hex, extraTrustedRoots));
  });
  app.notFound((c) => c.json({ error: { code: "REQUEST_INVALID", message: `no page at ${c.req.path}` } }, 404));
  return app;
}
