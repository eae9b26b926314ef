import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../../scripts/circuits/circuitDefinitions.js";
import { isCircuitBuilt } from "../circuits/isCircuitBuilt.js";
import { describeGroth16Differential } from "./describeGroth16Differential.js";
import { sha256x64Differential } from "./groth16Differential.js";

const { circuit } = sha256x64Differential;
const skipped = `skipped: ${circuit} is not built (npm run circuits:build -- --scaling=64, ~50 min on 2 cores; circuits/README.md), and CI never builds it`;

/**
 * The scaling member sha256_64 when its artifacts are built here: two random messages by default (~10 s of proving
 * each); `npm run bench -- differential-sha256` runs more (seeds from 1,000 on). TEEZK_DIFFERENTIAL_SHA256_WITNESSES
 * raises it.
 */
if (isCircuitBuilt(circuit)) {
  describeGroth16Differential(sha256x64Differential, Number(process.env.TEEZK_DIFFERENTIAL_SHA256_WITNESSES ?? "2"));

  // Runs after the differential (tests of a file run in order): its verifiers were compiled outside Hardhat.
  describe(`${circuit}'s generated verifiers stay out of Hardhat`, () => {
    it("no artifact of a scaling verifier exists after deploying them", () => {
      const artifacts = path.join(repoRoot, "artifacts");
      const files = existsSync(artifacts) ? readdirSync(artifacts, { recursive: true, encoding: "utf8" }) : [];
      expect(files.filter((file) => /Sha256x\d+Groth16Verifier/.test(file))).toEqual([]);
    });
  });
} else {
  describe(`native Groth16 backend vs snarkjs (differential, ${circuit})`, () => {
    it.skip(skipped, () => undefined);
  });
}
