import { readFileSync } from "node:fs";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { parsePemBundle } from "../../../../src/util/x509.js";

/**
 * Test-only slicing of the fields the collateral appraisal needs, at the offsets of Intel's DCAP quote
 * spec, independent of the project's quote parser: header 48 bytes; TDX v4 TD report body 584 bytes
 * (v5: u16 body type + u32 size first); SGX v3 report body 384 bytes; then u32 signature-data length,
 * 64-byte signature, 64-byte attestation key, and (TDX) u16 cert type 6 + u32 size before the 384-byte QE
 * report. QE report: MISCSELECT @16, ATTRIBUTES @48, MRSIGNER @128, ISVPRODID @256, ISVSVN @258.
 */
export function quoteFields(relative: string) {
  let bytes = readFileSync(fixturePath(relative));
  if (relative.endsWith(".hex")) bytes = Buffer.from(bytes.toString("latin1").trim(), "hex");
  const version = bytes.readUInt16LE(0);
  const teeType = bytes.readUInt32LE(4) === 0x81 ? ("tdx" as const) : ("sgx" as const);
  let bodyStart = 48;
  let bodyLength = teeType === "tdx" ? 584 : 384;
  if (version === 5) {
    bodyLength = bytes.readUInt32LE(50);
    bodyStart = 54;
  }
  const body = bytes.subarray(bodyStart, bodyStart + bodyLength);
  let qeReportStart = bodyStart + bodyLength + 4 + 64 + 64;
  if (teeType === "tdx") {
    if (bytes.readUInt16LE(qeReportStart) !== 6) throw new Error("expected certification data type 6");
    qeReportStart += 6;
  }
  const qe = bytes.subarray(qeReportStart, qeReportStart + 384);
  return {
    bytes,
    teeType,
    pckChain: parsePemBundle(bytes.toString("latin1"), "quote PCK chain"),
    qeReport: {
      miscselect: qe.readUInt32LE(16),
      attributes: new Uint8Array(qe.subarray(48, 64)),
      mrsigner: new Uint8Array(qe.subarray(128, 160)),
      isvProdId: qe.readUInt16LE(256),
      isvSvn: qe.readUInt16LE(258),
    },
    ...(teeType === "tdx"
      ? {
          teeTcbSvn: new Uint8Array(body.subarray(0, 16)),
          tdxModule: { mrSignerSeam: new Uint8Array(body.subarray(64, 112)), seamAttributes: new Uint8Array(body.subarray(112, 120)) },
        }
      : {}),
  };
}
