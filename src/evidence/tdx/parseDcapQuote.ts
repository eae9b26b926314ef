import { TeezkError, wrapErrors } from "../../errors/index.js";
import { ByteReader, isAllZero, toHex } from "../../util/bytes.js";
import {
  ATTESTATION_KEY_TYPE_ECDSA_P256,
  BODY_TYPE_SGX,
  BODY_TYPE_TD10,
  BODY_TYPE_TD15,
  CERT_DATA_PCK_CHAIN,
  CERT_DATA_QE_REPORT,
  DEFAULT_MAX_DCAP_TRAILING_BYTES,
  ECDSA_P256_KEY_BYTES,
  ECDSA_P256_SIGNATURE_BYTES,
  ENCLAVE_REPORT_BYTES,
  INTEL_QE_VENDOR_ID,
  MAX_DCAP_QUOTE_BYTES,
  QUOTE_HEADER_BYTES,
  TD_REPORT10_BYTES,
  TD_REPORT15_BYTES,
  TEE_TYPE_SGX,
  TEE_TYPE_TDX,
} from "./constants.js";
import type { DcapQuoteBody, DcapQuoteHeader, ParsedDcapQuote, SgxEnclaveReport, TdReport } from "./types.js";

export type ParseDcapQuoteOptions = {
  /** Unsigned bytes accepted after the signature data (default DEFAULT_MAX_DCAP_TRAILING_BYTES; 0 = strict). */
  maxTrailingBytes?: number;
};
export type ParseDcapQuoteReturnType = ParsedDcapQuote;
export type ParseDcapQuoteErrorType =
  | "INPUT_EMPTY"
  | "INPUT_TOO_LARGE"
  | "TRUNCATED"
  | "TRAILING_DATA"
  | "QUOTE_INVALID"
  | "UNSUPPORTED_VERSION"
  | "UNSUPPORTED_ALGORITHM";

/**
 * Parses an Intel DCAP quote (SGX v3, SGX/TDX v4, TDX v5) from raw bytes, following the layout of Intel's
 * "SGX ECDSA Quote Library API" (v3) and "TDX DCAP Quote Generation Library and Quote Verification
 * Library" (v4/v5). Every length field must agree exactly with the structure it frames; only bytes after the
 * signature data are tolerated (up to a cap, reported in `trailing`). Checks structure only: signatures,
 * chain and QE binding are verifyDcapQuote's job.
 *
 * @example
 * const quote = parseDcapQuote(decodeEvidenceInput(file, MAX_DCAP_QUOTE_BYTES).bytes);
 */
export function parseDcapQuote(bytes: Uint8Array, options: ParseDcapQuoteOptions = {}): ParseDcapQuoteReturnType {
  if (bytes.length === 0) throw new TeezkError("INPUT_EMPTY", "The DCAP quote is empty");
  if (bytes.length > MAX_DCAP_QUOTE_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `The DCAP quote of ${bytes.length} bytes exceeds the ${MAX_DCAP_QUOTE_BYTES}-byte cap`);
  }
  return wrapErrors("QUOTE_INVALID", "The DCAP quote could not be parsed", () => parse(bytes, options));
}

function parse(bytes: Uint8Array, options: ParseDcapQuoteOptions): ParsedDcapQuote {
  const reader = new ByteReader(bytes, "DCAP quote");
  const header = readHeader(reader);

  let bodyType: number | undefined;
  let kind: DcapQuoteBody["kind"];
  if (header.version === 5) {
    bodyType = reader.u16("body type");
    const bodySize = reader.u32("body size");
    const expected = bodyLayout(bodyType, header.teeType);
    kind = expected.kind;
    if (bodySize !== expected.size) {
      throw new TeezkError("QUOTE_INVALID", `Quote v5 body size ${bodySize} does not match body type ${bodyType}`, {
        details: `a ${expected.kind} body is ${expected.size} bytes`,
      });
    }
  } else {
    kind = header.teeType === TEE_TYPE_TDX ? "td10" : "sgx";
  }

  const body: DcapQuoteBody =
    kind === "sgx" ? { kind, report: readEnclaveReport(reader, "ISV enclave report") } : { kind, report: readTdReport(reader, kind) };
  const signedBytes = bytes.subarray(0, reader.offset);

  const signatureDataLength = reader.u32("signature data length");
  const signatureData = new ByteReader(reader.take(signatureDataLength, "signature data"), "DCAP quote signature data");
  const signature = signatureData.take(ECDSA_P256_SIGNATURE_BYTES, "ECDSA quote signature");
  const attestationKey = signatureData.take(ECDSA_P256_KEY_BYTES, "ECDSA attestation key");

  // v3 puts the QE report and the PCK chain directly in the signature data; v4/v5 wrap them in a
  // certification data entry of type 6 whose body holds the same fields plus the nested type-5 entry.
  let qeSection: ByteReader;
  if (header.version === 3) {
    qeSection = signatureData;
  } else {
    const outer = readCertificationData(signatureData, "certification data");
    if (outer.type !== CERT_DATA_QE_REPORT) {
      throw new TeezkError("QUOTE_INVALID", `Quote v${header.version} certification data type is ${outer.type}, expected 6 (QE report certification data)`);
    }
    assertConsumed(signatureData, "signature data");
    qeSection = new ByteReader(outer.data, "QE report certification data");
  }
  const qeReport = readEnclaveReport(qeSection, "QE report");
  const qeReportSignature = qeSection.take(ECDSA_P256_SIGNATURE_BYTES, "QE report signature");
  const qeAuthData = qeSection.take(qeSection.u16("QE auth data length"), "QE auth data");
  const chain = readCertificationData(qeSection, "PCK certification data");
  if (chain.type !== CERT_DATA_PCK_CHAIN) {
    throw new TeezkError("QUOTE_INVALID", `PCK certification data type is ${chain.type}; only type 5 (PEM PCK chain) is supported`, {
      metaMessages: ["Types 1–4 carry a PPID instead of the chain: fetch the PCK certificate from Intel PCS and regenerate the quote with the chain embedded."],
    });
  }
  assertConsumed(qeSection, header.version === 3 ? "signature data" : "QE report certification data");

  const trailing = bytes.subarray(reader.offset);
  const maxTrailing = options.maxTrailingBytes ?? DEFAULT_MAX_DCAP_TRAILING_BYTES;
  if (trailing.length > maxTrailing) {
    throw new TeezkError("TRAILING_DATA", `The DCAP quote has ${trailing.length} bytes after its signature data (at most ${maxTrailing} tolerated)`, {
      details: `quote ends at offset ${reader.offset}; trailing bytes ${isAllZero(trailing) ? "are all zero" : "are not all zero"}`,
    });
  }

  return {
    header,
    ...(bodyType === undefined ? {} : { bodyType }),
    body,
    signedBytes,
    signature,
    attestationKey,
    qeReport,
    qeReportSignature,
    qeAuthData,
    pckChainPem: pemText(chain.data),
    quoteBytes: reader.offset,
    trailing,
  };
}

function readHeader(reader: ByteReader): DcapQuoteHeader {
  const version = reader.u16("header version");
  const attestationKeyType = reader.u16("header attestation key type");
  const teeType = reader.u32("header TEE type");
  const qeSvn = reader.u16("header QE SVN");
  const pceSvn = reader.u16("header PCE SVN");
  const qeVendorId = reader.take(16, "header QE vendor id");
  const userData = reader.take(20, "header user data");
  if (reader.offset !== QUOTE_HEADER_BYTES) throw new TeezkError("INTERNAL", "DCAP header layout drifted");
  if (version !== 3 && version !== 4 && version !== 5) {
    throw new TeezkError("UNSUPPORTED_VERSION", `DCAP quote version ${version} is not supported (3, 4 and 5 are)`);
  }
  if (attestationKeyType !== ATTESTATION_KEY_TYPE_ECDSA_P256) {
    throw new TeezkError("UNSUPPORTED_ALGORITHM", `DCAP attestation key type ${attestationKeyType} is not supported (2 = ECDSA P-256 is)`);
  }
  if (teeType !== TEE_TYPE_SGX && teeType !== TEE_TYPE_TDX) {
    throw new TeezkError("QUOTE_INVALID", `DCAP quote TEE type 0x${teeType.toString(16)} is neither SGX (0x00) nor TDX (0x81)`);
  }
  if (version === 3 && teeType !== TEE_TYPE_SGX) {
    throw new TeezkError("QUOTE_INVALID", "A v3 DCAP quote must be SGX (its TEE type field is reserved and zero)");
  }
  // Only Intel's QE is anchored by the Intel PCK chain; a different vendor id means a different quote format.
  if (toHex(qeVendorId).slice(2) !== INTEL_QE_VENDOR_ID) {
    throw new TeezkError("QUOTE_INVALID", "The QE vendor id is not Intel's", {
      details: `got ${toHex(qeVendorId)}, expected 0x${INTEL_QE_VENDOR_ID}`,
    });
  }
  return { version, attestationKeyType, teeType, qeSvn, pceSvn, qeVendorId, userData };
}

function bodyLayout(bodyType: number, teeType: number): { kind: DcapQuoteBody["kind"]; size: number } {
  const layout =
    bodyType === BODY_TYPE_SGX
      ? { kind: "sgx" as const, size: ENCLAVE_REPORT_BYTES, tee: TEE_TYPE_SGX }
      : bodyType === BODY_TYPE_TD10
        ? { kind: "td10" as const, size: TD_REPORT10_BYTES, tee: TEE_TYPE_TDX }
        : bodyType === BODY_TYPE_TD15
          ? { kind: "td15" as const, size: TD_REPORT15_BYTES, tee: TEE_TYPE_TDX }
          : undefined;
  if (!layout) throw new TeezkError("QUOTE_INVALID", `Quote v5 body type ${bodyType} is unknown (1 SGX, 2 TDX 1.0, 3 TDX 1.5)`);
  if (layout.tee !== teeType) {
    throw new TeezkError("QUOTE_INVALID", `Quote v5 body type ${bodyType} does not match TEE type 0x${teeType.toString(16)}`);
  }
  return { kind: layout.kind, size: layout.size };
}

function readEnclaveReport(reader: ByteReader, what: string): SgxEnclaveReport {
  const start = reader.offset;
  const cpuSvn = reader.take(16, `${what} CPUSVN`);
  const miscSelect = reader.u32(`${what} MISCSELECT`);
  reader.take(28, `${what} reserved`);
  const attributes = reader.take(16, `${what} ATTRIBUTES`);
  const mrEnclave = reader.take(32, `${what} MRENCLAVE`);
  reader.take(32, `${what} reserved`);
  const mrSigner = reader.take(32, `${what} MRSIGNER`);
  reader.take(96, `${what} reserved`);
  const isvProdId = reader.u16(`${what} ISVPRODID`);
  const isvSvn = reader.u16(`${what} ISVSVN`);
  reader.take(60, `${what} reserved`);
  const reportData = reader.take(64, `${what} REPORTDATA`);
  const raw = reader.bytes.subarray(start, reader.offset);
  return { cpuSvn, miscSelect, attributes, mrEnclave, mrSigner, isvProdId, isvSvn, reportData, raw };
}

function readTdReport(reader: ByteReader, kind: "td10" | "td15"): TdReport {
  const report: TdReport = {
    teeTcbSvn: reader.take(16, "TD report TEE_TCB_SVN"),
    mrSeam: reader.take(48, "TD report MRSEAM"),
    mrSignerSeam: reader.take(48, "TD report MRSIGNERSEAM"),
    seamAttributes: reader.take(8, "TD report SEAMATTRIBUTES"),
    tdAttributes: reader.take(8, "TD report TDATTRIBUTES"),
    xfam: reader.take(8, "TD report XFAM"),
    mrTd: reader.take(48, "TD report MRTD"),
    mrConfigId: reader.take(48, "TD report MRCONFIGID"),
    mrOwner: reader.take(48, "TD report MROWNER"),
    mrOwnerConfig: reader.take(48, "TD report MROWNERCONFIG"),
    rtmr0: reader.take(48, "TD report RTMR0"),
    rtmr1: reader.take(48, "TD report RTMR1"),
    rtmr2: reader.take(48, "TD report RTMR2"),
    rtmr3: reader.take(48, "TD report RTMR3"),
    reportData: reader.take(64, "TD report REPORTDATA"),
  };
  if (kind === "td15") {
    report.teeTcbSvn2 = reader.take(16, "TD report TEE_TCB_SVN2");
    report.mrServiceTd = reader.take(48, "TD report MRSERVICETD");
  }
  return report;
}

function readCertificationData(reader: ByteReader, what: string): { type: number; data: Uint8Array } {
  const type = reader.u16(`${what} type`);
  const size = reader.u32(`${what} size`);
  return { type, data: reader.take(size, `${what} body`) };
}

function assertConsumed(reader: ByteReader, what: string): void {
  if (reader.remaining !== 0) {
    throw new TeezkError("QUOTE_INVALID", `The ${what} has ${reader.remaining} bytes its length field does not account for`, {
      details: `structure ends at offset ${reader.offset} of ${reader.bytes.length}`,
    });
  }
}

/** Any character that is neither printable ASCII nor a tab or line break. */
const NON_PEM_TEXT = /[^\x20-\x7e\t\n\r]/;

/** The PEM chain is ASCII, conventionally NUL-terminated; any other non-text byte means it is not a PEM chain. */
function pemText(data: Uint8Array): string {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0) end--;
  // latin1 maps each byte to one character, so a regular expression over the text is a scan over the bytes.
  const text = Buffer.from(data.buffer, data.byteOffset, end).toString("latin1");
  const bad = NON_PEM_TEXT.exec(text);
  if (bad) {
    throw new TeezkError("QUOTE_INVALID", "The PCK certification data is not PEM text", { details: `byte 0x${bad[0].charCodeAt(0).toString(16)} at offset ${bad.index}` });
  }
  return text;
}
