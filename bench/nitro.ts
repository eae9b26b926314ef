import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { MAX_NITRO_DOCUMENT_BYTES, parseNitroDocument, verifyNitroDocument } from "../src/evidence/nitro/index.js";
import { decodeEvidenceInput } from "../src/util/bytes.js";
import { timeIt, type BenchSuite } from "./types.js";

/** Every real Nitro sample (upstream NEGATIVE- fixtures excluded), each with its own document time. */
function loadSamples(): { bytes: Uint8Array; now: Date }[] {
  const root = fixturePath("nitro");
  const samples: { bytes: Uint8Array; now: Date }[] = [];
  for (const dir of readdirSync(root).sort()) {
    if (!statSync(join(root, dir)).isDirectory()) continue;
    for (const file of readdirSync(join(root, dir)).sort()) {
      if (file === "PROVENANCE.md" || file.startsWith("NEGATIVE-")) continue;
      const { bytes } = decodeEvidenceInput(readFileSync(join(root, dir, file)), MAX_NITRO_DOCUMENT_BYTES);
      samples.push({ bytes, now: new Date(parseNitroDocument(bytes).timestamp) });
    }
  }
  return samples;
}

/**
 * Warm verification time of a whole Nitro document (COSE decode, CDDL checks, five-certificate chain, ES384),
 * cycling over the real samples, each verified as of its own time.
 */
export const nitroBench: BenchSuite = {
  name: "nitro",
  run: async () => {
    const samples = loadSamples();
    let next = 0;
    const { p50, p95 } = timeIt(
      () => {
        const sample = samples[next++ % samples.length]!;
        verifyNitroDocument({ evidence: sample.bytes, now: sample.now });
      },
      { iterations: 50 * samples.length, warmup: 5 * samples.length },
    );
    const anchor = `warm, ${samples.length} real samples in rotation`;
    return [
      { name: "verify.nitro.p50", value: p50, unit: "ms", anchor, target: "≤ 10" },
      { name: "verify.nitro.p95", value: p95, unit: "ms", anchor, target: "≤ 10" },
    ];
  },
};
