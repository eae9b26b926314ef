import { readFileSync } from "node:fs";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { createSnpCollateral, loadSnpCollateral, verifySnpReport, type SnpCollateral } from "../src/evidence/sevsnp/index.js";
import { timeIt, type BenchSuite } from "./types.js";

/** The real SEV-SNP samples, each verified at a time inside its VCEK/VLEK window (PROVENANCE.md dates). */
const SAMPLES = [
  { dir: "gosevguest-milan-vcek", file: "report.bin", at: "2024-01-01T00:00:00Z" },
  { dir: "trustee-milan-vcek", file: "report.bin", at: "2024-01-01T00:00:00Z" },
  { dir: "trustee-milan-vlek", file: "report.bin", at: "2025-06-01T00:00:00Z" },
  { dir: "trustee-azure-genoa-hcl", file: "evidence.json", at: "2025-06-01T00:00:00Z" },
];

/**
 * Warm verification time of one SNP report: unwrap (raw / Azure JSON+HCL), parse, VCEK/VLEK selection,
 * RSA-PSS chain to the pinned ARK, TCB extensions, ECDSA P-384 signature. Collateral is loaded once, outside
 * the timing, as a verifier node would keep it in memory.
 */
export const sevsnpBench: BenchSuite = {
  name: "sevsnp",
  run: async () => {
    const roots = loadSnpCollateral(fixturePath("roots/amd-sev-snp"));
    const samples: { evidence: Uint8Array; now: Date; collateral: SnpCollateral }[] = SAMPLES.map((sample) => ({
      evidence: new Uint8Array(readFileSync(fixturePath(`sev-snp/${sample.dir}/${sample.file}`))),
      now: new Date(sample.at),
      collateral: createSnpCollateral({ merge: [loadSnpCollateral(fixturePath(`sev-snp/${sample.dir}`)), roots] }),
    }));
    let next = 0;
    const { p50, p95 } = timeIt(
      () => {
        const sample = samples[next++ % samples.length]!;
        verifySnpReport(sample);
      },
      { iterations: 50 * samples.length, warmup: 5 * samples.length },
    );
    const anchor = `warm, ${samples.length} real samples in rotation (3 Milan incl. 1 VLEK, 1 Azure Genoa JSON)`;
    return [
      { name: "verify.sevsnp.p50", value: p50, unit: "ms", anchor, target: "≤ 10" },
      { name: "verify.sevsnp.p95", value: p95, unit: "ms", anchor, target: "≤ 10" },
    ];
  },
};
