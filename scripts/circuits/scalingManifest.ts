import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { TeezkError } from "../../src/errors/index.js";
import type { BuildInfo } from "./buildCircuit.js";
import { repoRoot } from "./circuitDefinitions.js";

/**
 * The scaling members' artifacts stay out of git (megabytes to gigabytes), but their hashes are committed here:
 * a rebuild from the same inputs must give the same bytes (the ceremony is deterministic), and an artifact
 * restored from a cache is checked against them before it is trusted (scripts/circuits/check.ts).
 */
export const scalingManifestPath = path.join(repoRoot, "circuits", "scaling", "manifest.json");

export type ScalingManifestEntry = {
  /** What the artifacts were built from: the same inputs must reproduce the same artifacts. */
  inputs: {
    r1csSha256: string;
    circom: string;
    circomlib: string;
    snarkjs: string;
    ceremonyLabels: BuildInfo["ceremony"]["labels"];
    beaconIterationsExp: number;
  };
  constraints: number;
  ptauPower: number;
  /** sha256 of pot<N>_final.ptau, when the build had it at hand. */
  ptauSha256?: string;
  artifacts: { wasm: string; zkey: string; verificationKey: string };
  /** The day the entry was pinned. */
  recordedOn?: string;
};

export type ScalingManifest = Record<string, ScalingManifestEntry>;

export function readScalingManifest(): ScalingManifest {
  if (!existsSync(scalingManifestPath)) return {};
  return JSON.parse(readFileSync(scalingManifestPath, "utf8")) as ScalingManifest;
}

function entryOf(info: BuildInfo, ptauSha256: string | undefined): ScalingManifestEntry {
  return {
    inputs: {
      r1csSha256: info.r1csSha256,
      circom: info.circom,
      circomlib: info.circomlib,
      snarkjs: info.snarkjs,
      ceremonyLabels: info.ceremony.labels,
      beaconIterationsExp: info.ceremony.beaconIterationsExp,
    },
    constraints: info.constraints,
    ptauPower: info.ptauPower,
    ...(ptauSha256 ? { ptauSha256 } : {}),
    artifacts: {
      wasm: info.artifacts["wasm"]!.sha256,
      zkey: info.artifacts["zkey"]!.sha256,
      verificationKey: info.artifacts["verificationKey"]!.sha256,
    },
  };
}

/** Differences between built artifacts and the manifest entry; empty when they are the pinned bytes. */
export function compareWithManifest(info: BuildInfo, ptauSha256: string | undefined, entry: ScalingManifestEntry): string[] {
  const built = entryOf(info, ptauSha256);
  const problems: string[] = [];
  if (JSON.stringify(built.inputs) !== JSON.stringify(entry.inputs)) {
    problems.push("built from other inputs than the manifest pins (source, circom, circomlib, snarkjs or ceremony labels changed)");
  }
  for (const name of ["wasm", "zkey", "verificationKey"] as const) {
    if (built.artifacts[name] !== entry.artifacts[name]) problems.push(`${name} sha256 ${built.artifacts[name]} ≠ pinned ${entry.artifacts[name]}`);
  }
  if (ptauSha256 && entry.ptauSha256 && ptauSha256 !== entry.ptauSha256) {
    problems.push(`pot${entry.ptauPower}_final.ptau sha256 ${ptauSha256} ≠ pinned ${entry.ptauSha256}`);
  }
  return problems;
}

/**
 * After a scaling build: pins the artifacts when the manifest has no entry (or `record` is set, after an
 * intended input change), otherwise fails unless the build reproduced the pinned bytes.
 * @throws TeezkError CIRCUIT_NOT_BUILT when a rebuild from the pinned inputs gave other bytes.
 */
export function checkOrRecordScalingBuild(info: BuildInfo, ptauSha256: string | undefined, options: { record: boolean }): "recorded" | "reproduced" {
  const manifest = readScalingManifest();
  const entry = manifest[info.circuit];
  if (entry && !options.record) {
    const problems = compareWithManifest(info, ptauSha256, entry);
    if (problems.length > 0) {
      throw new TeezkError("CIRCUIT_NOT_BUILT", `${info.circuit} does not match circuits/scaling/manifest.json`, {
        details: problems.join("; "),
        metaMessages: [
          "If the inputs changed on purpose, rebuild with --record to pin the new artifacts (and commit the manifest).",
        ],
      });
    }
    return "reproduced";
  }
  manifest[info.circuit] = { ...entryOf(info, ptauSha256), recordedOn: new Date().toISOString().slice(0, 10) };
  const sorted = Object.fromEntries(Object.entries(manifest).sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true })));
  writeFileSync(scalingManifestPath, `${JSON.stringify(sorted, null, 2)}\n`);
  return "recorded";
}
