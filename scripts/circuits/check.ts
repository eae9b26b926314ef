// Checks every built circuit: `npx tsx scripts/circuits/check.ts [--only=NAME]`.
// For each circuit with artifacts: recompiles the committed source and compares the r1cs with build-info.json,
// compares artifact hashes with build-info.json, regenerates the deterministic ptau if it is not cached
// (circuits/build/tmp/ptau, minutes for 2^13) and runs `snarkjs zkey verify` (r1cs + ptau + zkey).
import { existsSync } from "node:fs";
import path from "node:path";
import * as snarkjs from "snarkjs";
import { isTeezkError } from "../../src/errors/index.js";
import { artifactPaths, readBuildInfo, sha256File } from "./buildCircuit.js";
import { createLogger, ensurePtau } from "./ceremony.js";
import { circuitDefinitions, ptauDir, tmpDir } from "./circuitDefinitions.js";
import { compileCircuit } from "./compileCircuit.js";
import { compareWithManifest, readScalingManifest } from "./scalingManifest.js";

async function main(): Promise<boolean> {
  const only = process.argv.slice(2).find((a) => a.startsWith("--only="))?.slice("--only=".length);
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
    const ptau = await ensurePtau(ptauDir, info.ptauPower, logger);
    // A cache restored from elsewhere is self-consistent with its own build-info.json; the committed manifest is not.
    if (pinned) problems.push(...compareWithManifest(info, sha256File(ptau), pinned));
    process.stderr.write(`${definition.name}: snarkjs zkey verify (r1cs, pot${info.ptauPower}, zkey)\n`);
    if (!(await snarkjs.zKey.verifyFromR1cs(compiled.r1cs, ptau, paths.zkey, logger))) {
      problems.push("snarkjs zkey verify failed: the zkey does not match the r1cs and ptau");
    }
    ok &&= problems.length === 0;
    process.stdout.write(problems.length === 0 ? `${definition.name}: OK\n` : `${definition.name}: FAILED\n  ${problems.join("\n  ")}\n`);
  }
  if (checked === 0) process.stdout.write("no built circuit to check\n");
  return ok;
}

try {
  const ok = await main();
  await (await snarkjs.curves.getCurveFromName("bn128")).terminate();
  process.exit(ok ? 0 : 1);
} catch (error) {
  process.stderr.write(`${isTeezkError(error) ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
}
