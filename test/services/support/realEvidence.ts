import { X509Certificate, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { decode } from "cbor2";
import { toHex, type Hex } from "viem";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { realSamples, type RealSample } from "../../../src/fixtures/realSamples.js";
import { decodeEvidenceInput } from "../../../src/util/bytes.js";

const sha256 = (...parts: Uint8Array[]): Hex => `0x${createHash("sha256").update(Buffer.concat(parts)).digest("hex")}`;

export const sample = (id: string): RealSample => {
  const found = realSamples.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no real sample ${id}`);
  return found;
};

/** The file exactly as stored (binary, hex or base64 text). */
export const sampleFile = (s: RealSample): Uint8Array => new Uint8Array(readFileSync(fixturePath(s.evidence)));
export const sampleCollateral = (s: RealSample): string[] => (s.collateral ?? []).map((dir) => fixturePath(dir));
export const rootHashOf = (path: string): Hex => sha256(new X509Certificate(readFileSync(fixturePath(path))).raw);

/** Nitro measurement from the COSE payload with cbor2 (independent of src/evidence): sha256(PCR0‖PCR1‖PCR2). */
export function nitroMeasurement(file: Uint8Array): Hex {
  const bytes = decodeEvidenceInput(file, 1 << 20).bytes;
  const cose = decode(bytes) as unknown[];
  const payload = decode(cose[2] as Uint8Array) as { pcrs: Map<number, Uint8Array> };
  return sha256(payload.pcrs.get(0)!, payload.pcrs.get(1)!, payload.pcrs.get(2)!);
}

/** TDX 1.0 (quote v4) measurement and report data sliced at the TD report's offsets (48-byte quote header). */
export function tdxExpected(quote: Uint8Array): { measurement: Hex; reportData: Hex } {
  const slice = (offset: number, length: number) => quote.subarray(48 + offset, 48 + offset + length);
  return {
    measurement: sha256(slice(136, 48), slice(184, 48), slice(328, 48), slice(376, 48), slice(424, 48)),
    reportData: toHex(slice(520, 32)),
  };
}
