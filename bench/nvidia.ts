import { readFileSync } from "node:fs";
import { verifyGpuEvidence, verifyGpuEvidenceSet, loadNvidiaCollateral, MAX_GPU_EVIDENCE_BYTES } from "../src/evidence/nvidia/index.js";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput } from "../src/util/bytes.js";
import { timeIt, type BenchRow, type BenchSuite } from "./types.js";

/**
 * Warm verification of real NVIDIA evidence: one H100 report (nvtrust hopper sample, chain from the
 * collateral folder, parsed once as a deployment would) and the 8-GPU PPCIe JSON set (chains embedded, so
 * each run also parses 40 PEM certificates).
 */
export const nvidiaBench: BenchSuite = {
  name: "nvidia",
  run: async (): Promise<BenchRow[]> => {
    const sample = "nvidia-gpu/nvtrust-hopper-sample";
    const { bytes } = decodeEvidenceInput(readFileSync(fixturePath(`${sample}/attestation-report.hex`)), MAX_GPU_EVIDENCE_BYTES);
    const collateral = loadNvidiaCollateral(fixturePath(sample));
    const setJson = new Uint8Array(readFileSync(fixturePath("nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json")));
    const now = new Date();

    const single = timeIt(() => verifyGpuEvidence({ evidence: bytes, now, collateral }), { iterations: 100, warmup: 10 });
    const set = timeIt(() => verifyGpuEvidenceSet({ evidence: setJson, now }), { iterations: 20, warmup: 3 });
    // No published figure to compare with: the cost is dominated by six ECDSA P-384 verifications in OpenSSL
    // (five chain links + the report); OCSP and RIM fetches, which nvtrust adds, are not done offline.
    const anchor = "6 × P-384 verify (5 chain links + report), no OCSP/RIM";
    return [
      { name: "verify.nvidia.p50", value: round(single.p50), unit: "ms", anchor, target: "≤ 20" },
      { name: "verify.nvidia.p95", value: round(single.p95), unit: "ms", anchor, target: "≤ 40" },
      { name: "verify.nvidia.8gpu.p50", value: round(set.p50), unit: "ms", anchor: "8 × single + PEM parsing", target: "≤ 160" },
    ];
  },
};

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
