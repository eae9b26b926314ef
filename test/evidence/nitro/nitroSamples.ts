import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { decode } from "cbor2";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { decodeEvidenceInput } from "../../../src/util/bytes.js";
import { MAX_NITRO_DOCUMENT_BYTES } from "../../../src/evidence/nitro/index.js";

/**
 * A real Nitro sample read in place, with its COSE parts and document decoded here by cbor2 directly (not by
 * the code under test), so tests compare the verifier with an independent reading.
 */
export type NitroSample = {
  name: string;
  file: string;
  /** Decoded COSE_Sign1 bytes. */
  bytes: Uint8Array;
  /** `[protected, unprotected, payload, signature]` as cbor2 decodes them. */
  cose: [Uint8Array, Map<unknown, unknown>, Uint8Array, Uint8Array];
  doc: Map<string, unknown>;
  timestampMs: number;
  provenance: string;
};

export function nitroSampleDirs(): string[] {
  const root = fixturePath("nitro");
  return readdirSync(root)
    .filter((name) => statSync(join(root, name)).isDirectory())
    .sort();
}

/** Every evidence file in a sample folder except PROVENANCE.md and upstream NEGATIVE- fixtures. */
export function loadNitroSamples(): NitroSample[] {
  const samples: NitroSample[] = [];
  for (const dir of nitroSampleDirs()) {
    const folder = fixturePath(join("nitro", dir));
    const provenance = readFileSync(join(folder, "PROVENANCE.md"), "utf8");
    for (const file of readdirSync(folder).sort()) {
      if (file === "PROVENANCE.md" || file.startsWith("NEGATIVE-")) continue;
      samples.push(loadNitroFile(dir, join(folder, file), provenance));
    }
  }
  return samples;
}

export function loadNitroFile(name: string, file: string, provenance = ""): NitroSample {
  const bytes = decodeEvidenceInput(readFileSync(file), MAX_NITRO_DOCUMENT_BYTES).bytes;
  const cose = decode(new Uint8Array(bytes), { preferMap: true }) as NitroSample["cose"];
  const doc = decode(cose[2], { preferMap: true }) as Map<string, unknown>;
  return { name, file, bytes, cose, doc, timestampMs: doc.get("timestamp") as number, provenance };
}

export function bytesOf(doc: Map<string, unknown>, key: string): Uint8Array | null {
  return (doc.get(key) as Uint8Array | null | undefined) ?? null;
}

export function pcrsOf(doc: Map<string, unknown>): Map<number, Uint8Array> {
  return doc.get("pcrs") as Map<number, Uint8Array>;
}

export function hex(bytes: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(bytes).toString("hex")}`;
}
