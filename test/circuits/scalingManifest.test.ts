import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BuildInfo } from "../../scripts/circuits/buildCircuit.js";
import { ceremonyLabels } from "../../scripts/circuits/ceremony.js";
import { compareWithManifest, readScalingManifest } from "../../scripts/circuits/scalingManifest.js";

/** The build-info a build of the pinned sha256_64 writes, reconstructed from the committed manifest entry. */
function pinnedBuildInfo(): { info: BuildInfo; ptau: string } {
  const entry = readScalingManifest()["sha256_64"]!;
  const artifact = (sha256: string) => ({ sha256, bytes: 1 });
  const info: BuildInfo = {
    circuit: "sha256_64",
    source: "circuits/scaling/sha256_64.circom",
    circom: entry.inputs.circom,
    snarkjs: entry.inputs.snarkjs,
    circomlib: entry.inputs.circomlib,
    constraints: entry.constraints,
    publicSignals: 2,
    ptauPower: entry.ptauPower,
    ceremony: { labels: entry.inputs.ceremonyLabels, beaconHashes: {}, beaconIterationsExp: entry.inputs.beaconIterationsExp },
    r1csSha256: entry.inputs.r1csSha256,
    artifacts: {
      wasm: artifact(entry.artifacts.wasm),
      zkey: artifact(entry.artifacts.zkey),
      verificationKey: artifact(entry.artifacts.verificationKey),
    },
  };
  return { info, ptau: entry.ptauSha256! };
}

describe("circuits/scaling/manifest.json (pinned scaling artifacts)", () => {
  it("pins sha256_64 built with this repository's ceremony labels and tool versions", () => {
    const entry = readScalingManifest()["sha256_64"];
    expect(entry).toBeDefined();
    expect(entry!.inputs.ceremonyLabels).toEqual(ceremonyLabels);
    const snarkjs = JSON.parse(readFileSync(new URL("../../node_modules/snarkjs/package.json", import.meta.url), "utf8"));
    expect(entry!.inputs.snarkjs).toBe(snarkjs.version);
    expect(entry!.ptauPower).toBe(16);
  });

  it("accepts the pinned bytes and names every difference otherwise (artifact, ptau, inputs)", () => {
    const { info, ptau } = pinnedBuildInfo();
    const entry = readScalingManifest()["sha256_64"]!;
    expect(compareWithManifest(info, ptau, entry)).toEqual([]);
    expect(compareWithManifest(info, undefined, entry)).toEqual([]);

    const otherZkey = structuredClone(info);
    otherZkey.artifacts["zkey"]!.sha256 = "00".repeat(32);
    expect(compareWithManifest(otherZkey, ptau, entry)).toEqual([expect.stringMatching(/^zkey sha256 0+ ≠ pinned /)]);
    expect(compareWithManifest(info, "11".repeat(32), entry)).toEqual([expect.stringMatching(/^pot16_final\.ptau sha256/)]);
    const otherSource = { ...info, r1csSha256: "22".repeat(32) };
    expect(compareWithManifest(otherSource, ptau, entry)).toEqual([expect.stringMatching(/other inputs/)]);
  });
});
