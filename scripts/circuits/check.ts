// Checks every built circuit: `npx tsx scripts/circuits/check.ts [--only=NAME] [--generate-ptau]`.
// For each circuit with artifacts: recompiles the committed source and compares the r1cs with build-info.json,
// compares artifact hashes with build-info.json, and runs `snarkjs zkey verify` (r1cs + ptau + zkey). A ptau that
// is not cached (circuits/build/tmp/ptau or $TEEZK_PTAU_CACHE) is regenerated up to 2^13 (minutes); a larger one
// (the rollup's 2^16: 48 min on 2 cores) only with --generate-ptau, otherwise that circuit's zkey verify is
// skipped and says so, so a check never starts an hour-long phase 1 unasked.
import { existsSync } from "node:fs";
import path from "node:path";
import * as snarkjs from "snarkjs";
import { isTeezkError } from "../../src/errors/index.js";
import { artifactPaths, readBuildInfo, sha256File } from "./buildCircuit.js";
import { createLogger, ensurePtau, ptauPath } from "./ceremony.js";
import { circuitDefinitions, ptauDir, tmpDir } from "./circuitDefinitions.js";
import { compileCircuit } from "./compileCircuit.js";
import { compareWithManifest, readScalingManifest } from "./scalingManifest.js";

/** The largest phase 1 a check generates when it is not cached without being asked (2^13: minutes). */
const GENERATED_UNASKED_UP_TO = 13;

async function main(): Promise<boolean> {
  const args = process.argv.slice(2);
  const only = args.find((a) => a.startsWith("--only="))?.slice("--only=".length);
  const generatePtau = args.includes("--generate-ptau");
  const logger = createLogger(false);
  let ok = true;
  let checked = 0;
  for (const definition of circuitDefinitions) {
    if (only !== undefined && definition.name !== only) continue;
    const paths = artifactPaths(definition);
    const info = readBuildInfo(paths.buildInfo);
    if (!info || !existsSync(paths.zkey)) {
      process.stdout.write(`${definition.name}: not built, skipped\n`);
      continue;
    }
    checked++;
    const problems: string[] = [];
    const compiled = compileCircuit(definition, path.join(tmpDir, definition.name));
    if (sha256File(compiled.r1cs) !== info.r1csSha256) problems.push("the source no longer compiles to the r1cs the zkey was set up for");
    for (const [name, file] of [
      ["wasm", paths.wasm],
      ["zkey", paths.zkey],
      ["verificationKey", paths.verificationKey],
      ["verifier", paths.verifier],
      ["leanVerifier", paths.leanVerifier],
    ] as const) {
      if (!existsSync(file) || sha256File(file) !== info.artifacts[name]?.sha256) problems.push(`${name} differs from build-info.json`);
    }
    if (sha256File(compiled.wasm) !== info.artifacts["wasm"]?.sha256) problems.push("the committed wasm is not what the source compiles to");
    const pinned = definition.scaling ? readScalingManifest()[definition.name] : undefined;
    if (definition.scaling && !pinned) problems.push("not pinned in circuits/scaling/manifest.json");
    if (!generatePtau && info.ptauPower > GENERATED_UNASKED_UP_TO && !existsSync(ptauPath(ptauDir, info.ptauPower))) {
      ok = report(definition.name, problems, `artifact hashes OK; zkey verify skipped (pot${info.ptauPower}_final.ptau not cached in ${ptauDir}: set TEEZK_PTAU_CACHE or pass --generate-ptau)`) && ok;
      continue;
    }
    const ptau = await ensurePtau(ptauDir, info.ptauPower, logger);
    // A cache restored from elsewhere is self-consistent with its own build-info.json; the committed manifest is not.
    if (pinned) problems.push(...compareWithManifest(info, sha256File(ptau), pinned));
    process.stderr.write(`${definition.name}: snarkjs zkey verify (r1cs, pot${info.ptauPower}, zkey)\n`);
    if (!(await snarkjs.zKey.verifyFromR1cs(compiled.r1cs, ptau, paths.zkey, logger))) {
      problems.push("snarkjs zkey verify failed: the zkey does not match the r1cs and ptau");
    }
    ok = report(definition.name, problems, "OK") && ok;
  }
  if (checked === 0) process.stdout.write("no built circuit to check\n");
  return ok;
}

/** One circuit's verdict on stdout; true when it has no problems. */
function report(name: string, problems: readonly string[], okLine: string): boolean {
  process.stdout.write(problems.length === 0 ? `${name}: ${okLine}\n` : `${name}: FAILED\n  ${problems.join("\n  ")}\n`);
  return problems.length === 0;
}

try {
  const ok = await main();
  await (await snarkjs.curves.getCurveFromName("bn128")).terminate();
  process.exit(ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`${isTeezkError(error) ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}
