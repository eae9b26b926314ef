#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx teezk` works right after `npm ci` with no build step.
const major = Number(process.versions.node.split(".")[0]);
if (major < 22) {
  // The archive needs node:sqlite (Node 22); npm ci installs Node 22 as node_modules/.bin/node, which npx uses.
  process.stderr.write(
    `teezk needs Node 22 or later (this is ${process.version}). Run it as \`npx teezk …\` after \`npm ci\`, ` +
      "which uses the Node 22 the project installs, or call node_modules/.bin/node bin/teezk.js.\n",
  );
  process.exit(2);
}
const { register } = await import("tsx/esm/api");
register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
