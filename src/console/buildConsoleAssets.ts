import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { TeezkError } from "../errors/index.js";

/** The page's three files, held in memory by the server. */
export type ConsoleAssets = {
  html: string;
  js: string;
  css: string;
  /** Content-Security-Policy for the page: nothing loads from outside the console's origin. */
  csp: string;
};

/**
 * The front-end's sources, found from two folders below the repository root: this file sits in src/console/ and,
 * compiled into the CLI, in dist/cli/ (scripts/cli/buildCli.ts), and both resolve ../../src/console/web/ alike.
 */
const WEB_DIR = fileURLToPath(new URL("../../src/console/web/", import.meta.url));
/** esbuild's API cannot be bundled (it finds its own binary): a specifier in a variable keeps the CLI build from trying. */
const ESBUILD = "esbuild";

/**
 * Bundles the front-end (src/console/web, React + viem) with esbuild into one script, in memory: the server builds
 * it at start (about a second), so `npm ci` and one command bring the page, with nothing fetched from a CDN and no
 * build output that can fall behind the sources. `npm run console:build` writes the same files for inspection.
 */
export async function buildConsoleAssets(): Promise<ConsoleAssets> {
  let esbuild: typeof import("esbuild");
  try {
    esbuild = (await import(ESBUILD)) as typeof import("esbuild");
  } catch (cause) {
    throw new TeezkError("CONSOLE_ASSETS_UNBUILT", "esbuild is not installed: run `npm ci` (it is a development dependency)", { cause });
  }
  let js: string;
  try {
    const result = await esbuild.build({
      entryPoints: [`${WEB_DIR}main.tsx`],
      bundle: true,
      write: false,
      platform: "browser",
      format: "esm",
      target: "es2022",
      minify: true,
      jsx: "automatic",
      legalComments: "none",
      define: { "process.env.NODE_ENV": '"production"' },
      logLevel: "silent",
    });
    js = result.outputFiles[0]?.text ?? "";
  } catch (cause) {
    throw new TeezkError("CONSOLE_ASSETS_UNBUILT", "The console's sources do not compile", { cause, details: cause instanceof Error ? cause.message.slice(0, 2000) : String(cause) });
  }
  const css = await readFile(`${WEB_DIR}styles.css`, "utf8");
  const themeHash = createHash("sha256").update(THEME_SCRIPT).digest("base64");
  const csp = `default-src 'self'; script-src 'self' 'sha256-${themeHash}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`;
  return { html: INDEX_HTML, js, css, csp };
}

// The theme is set before the script runs, so a dark-mode reader never sees a white flash.
const THEME_SCRIPT = `document.documentElement.dataset.theme = localStorage.getItem("teezk-theme") || (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");`;
const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>teezk console</title>
<link rel="stylesheet" href="/assets/app.css">
<script>${THEME_SCRIPT}</script>
</head>
<body>
<div id="root"><noscript>The teezk console needs JavaScript.</noscript></div>
<script type="module" src="/assets/app.js"></script>
</body>
</html>
`;
