#!/usr/bin/env node
// Runs the compiled CLI (dist/cli, which `npm ci` builds through the `prepare` script). When it is missing or older
// than a source it was built from, this says so on stderr and runs the TypeScript through tsx instead, so a
// checkout being edited still works, only slower to start. TEEZK_CLI_FROM_SOURCE=1 picks the TypeScript quietly.
import { readFileSync, statSync } from "node:fs";
import { enableCompileCache } from "node:module";

const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  // The archive needs node:sqlite (Node 22); npm ci installs Node 22 as node_modules/.bin/node, which npx uses.
  process.stderr.write(
    `teezk needs Node 22 or later (this is ${process.version}). Run it as \`npx teezk …\` after \`npm ci\`, ` +
      "which uses the Node 22 the project installs, or call node_modules/.bin/node bin/teezk.js.\n",
  );
  process.exit(2);
}

// Only the archive commands load node:sqlite, whose ExperimentalWarning is no part of what they were asked for:
// that one warning is dropped, every other warning still prints.
const emitWarning = process.emitWarning;
process.emitWarning = function emitWarningExceptSqlite(warning, ...rest) {
  const type = typeof rest[0] === "string" ? rest[0] : rest[0]?.type;
  const message = typeof warning === "string" ? warning : warning?.message;
  if (type === "ExperimentalWarning" && typeof message === "string" && message.startsWith("SQLite is an experimental feature")) return;
  return emitWarning.call(process, warning, ...rest);
};

/** Why dist/cli cannot be used (missing, or a source changed after it was built), or undefined when it can. */
function compiledCliProblem() {
  let info;
  try {
    info = JSON.parse(readFileSync(new URL("../dist/cli/build-info.json", import.meta.url), "utf8"));
  } catch {
    return "the compiled CLI (dist/cli) is missing";
  }
  // A stat per source (about 300, ~1 ms) instead of hashing them: an edit, checkout or rebase moves the mtime.
  for (const file of Object.keys(info.sources)) {
    let modified;
    try {
      modified = statSync(new URL(`../${file}`, import.meta.url)).mtimeMs;
    } catch {
      return `${file} is gone since the CLI was compiled`;
    }
    if (modified > info.builtAt) return `${file} changed after the CLI was compiled`;
  }
  return undefined;
}

let main;
// V8 keeps the compiled chunks' bytecode on disk (in the OS temp folder), so later runs skip parsing and compiling them.
enableCompileCache();
const fromSource = process.env.TEEZK_CLI_FROM_SOURCE === "1";
const problem = fromSource ? undefined : compiledCliProblem();
if (!fromSource && problem === undefined) {
  ({ main } = await import("../dist/cli/main.js"));
} else {
  if (problem !== undefined) {
    process.stderr.write(`teezk: ${problem}; running the TypeScript sources through tsx (slower start). \`npm run build:cli\` compiles them.\n`);
  }
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import("../src/cli/main.ts"));
}
process.exitCode = await main(process.argv.slice(2));
