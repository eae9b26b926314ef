import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { TeezkError } from "../errors/index.js";
import type { CircuitArtifacts, CircuitReference } from "./types.js";

/** circuits/build of this checkout; a deployment points elsewhere with `buildDir` or TEEZK_CIRCUITS_BUILD. */
export const defaultCircuitsBuildDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "circuits",
  "build",
);

export type ResolveCircuitArtifactsParameters = { circuit: CircuitReference; buildDir?: string };
export type ResolveCircuitArtifactsReturnType = CircuitArtifacts;
export type ResolveCircuitArtifactsErrorType = TeezkError;

const circuitName = /^[a-z0-9_]{1,64}$/;

/**
 * Finds a circuit's wasm, final zkey and verification key: `<buildDir>/<name>/` for the committed circuits,
 * `<buildDir>/scaling/<name>/` for the on-demand scaling family.
 * @throws TeezkError CIRCUIT_NOT_BUILT when a file is missing, CONFIG_INVALID for a name that is not one.
 */
export function resolveCircuitArtifacts(parameters: ResolveCircuitArtifactsParameters): ResolveCircuitArtifactsReturnType {
  const { circuit } = parameters;
  const candidates: CircuitArtifacts[] = [];
  if (typeof circuit === "string") {
    if (!circuitName.test(circuit)) {
      // The name becomes a path: refuse anything that could climb out of the build folder.
      throw new TeezkError("CONFIG_INVALID", `"${circuit.slice(0, 80)}" is not a circuit name`, {
        details: "circuit names are 1-64 characters of a-z, 0-9 and _",
      });
    }
    const buildDir = parameters.buildDir ?? process.env["TEEZK_CIRCUITS_BUILD"] ?? defaultCircuitsBuildDir;
    for (const dir of [path.join(buildDir, circuit), path.join(buildDir, "scaling", circuit)]) {
      candidates.push({
        name: circuit,
        wasmPath: path.join(dir, `${circuit}.wasm`),
        zkeyPath: path.join(dir, `${circuit}_final.zkey`),
        verificationKeyPath: path.join(dir, "verification_key.json"),
      });
    }
  } else {
    candidates.push(circuit);
  }
  for (const candidate of candidates) {
    const files = [candidate.wasmPath, candidate.zkeyPath, candidate.verificationKeyPath];
    if (files.every((file) => existsSync(file))) return candidate;
  }
  const first = candidates[0]!;
  const missing = [first.wasmPath, first.zkeyPath, first.verificationKeyPath].filter((f) => !existsSync(f));
  const isScaling = first.name.startsWith("sha256_");
  throw new TeezkError("CIRCUIT_NOT_BUILT", `the artifacts of circuit "${first.name}" are missing`, {
    details: `missing: ${missing.join(", ")}`,
    metaMessages: [
      isScaling
        ? `Build it on demand: npx tsx scripts/circuits/build.ts --scaling=${first.name.slice("sha256_".length)}`
        : `Build it: npx tsx scripts/circuits/build.ts --only=${first.name} (npm run circuits:build -- --only=${first.name})`,
    ],
  });
}
