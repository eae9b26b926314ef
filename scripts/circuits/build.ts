// Builds the Groth16 circuits: `npx tsx scripts/circuits/build.ts [--scaling[=64,256,1024]] [--only=NAME] [--force] [--record] [--verbose]`.
// --record re-pins a scaling member's artifact hashes in circuits/scaling/manifest.json after an intended change.
// Default: membership and rollup, whose keys are committed (a current zkey skips the ceremony). The SHA-256 scaling
// members need ptau 2^16..2^20 and minutes of CPU each, so they are built only on demand and stay out of git
// (circuits/build/scaling/).
import * as snarkjs from "snarkjs";
import { isTeezkError } from "../../src/errors/index.js";
import { createLogger } from "./ceremony.js";
import { buildCircuit } from "./buildCircuit.js";
import { circuitDefinitions, scalingSizes } from "./circuitDefinitions.js";

function parseArgs(argv: readonly string[]) {
  let scaling: number[] = [];
  let only: string | undefined;
  let force = false;
  let verbose = false;
  let record = false;
  for (const arg of argv) {
    if (arg === "--scaling") scaling = [...scalingSizes];
    else if (arg.startsWith("--scaling=")) scaling = arg.slice("--scaling=".length).split(",").map(Number);
    else if (arg.startsWith("--only=")) only = arg.slice("--only=".length);
    else if (arg === "--force") force = true;
    else if (arg === "--verbose") verbose = true;
    else if (arg === "--record") record = true;
    else {
      process.stderr.write(`unknown argument ${arg}\nusage: build.ts [--scaling[=64,256,1024]] [--only=NAME] [--force] [--record] [--verbose]\n`);
      process.exit(2);
    }
  }
  for (const size of scaling) {
    if (!(scalingSizes as readonly number[]).includes(size)) {
      process.stderr.write(`--scaling sizes are ${scalingSizes.join(", ")} bytes, not ${size}\n`);
      process.exit(2);
    }
  }
  return { scaling, only, force, verbose, record };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const selected = circuitDefinitions.filter((d) => {
    if (args.only !== undefined) return d.name === args.only;
    if (!d.scaling) return true;
    return args.scaling.some((size) => d.name === `sha256_${size}`);
  });
  if (selected.length === 0) {
    process.stderr.write(`no circuit matches --only=${args.only}; known: ${circuitDefinitions.map((d) => d.name).join(", ")}\n`);
    process.exit(2);
  }
  const logger = createLogger(args.verbose);
  for (const definition of selected) {
    const info = await buildCircuit(definition, { force: args.force, record: args.record, logger });
    const sizes = Object.entries(info.artifacts).map(([k, v]) => `${k} ${(v.bytes / 1024).toFixed(0)} KiB`);
    process.stdout.write(`${definition.name}: ${info.constraints} constraints, 2^${info.ptauPower}; ${sizes.join(", ")}\n`);
  }
}

try {
  await main();
  // ffjavascript's curve keeps worker threads alive.
  await (await snarkjs.curves.getCurveFromName("bn128")).terminate();
} catch (error) {
  process.stderr.write(`${isTeezkError(error) ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}
