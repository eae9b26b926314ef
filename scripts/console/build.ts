import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildConsoleAssets } from "../../src/console/buildConsoleAssets.js";

/**
 * `npm run console:build`: writes the console's page, script and stylesheet to .teezk/console-assets/ for
 * inspection (size, source). The server does not need them: it builds the same files in memory at start.
 */
const out = join(process.cwd(), ".teezk", "console-assets");
const assets = await buildConsoleAssets();
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "index.html"), assets.html);
writeFileSync(join(out, "app.js"), assets.js);
writeFileSync(join(out, "app.css"), assets.css);
process.stdout.write(`console assets in ${out}: app.js ${(assets.js.length / 1024).toFixed(0)} KiB, app.css ${(assets.css.length / 1024).toFixed(1)} KiB\n`);
