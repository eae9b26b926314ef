import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { Hex } from "../../util/bytes.js";
import { bindingBytes, resolveRegisters, type RegisterSpec } from "./resolveRegisters.js";
import { SIMULATED_PLATFORM, simulatedRegister } from "./simulatedDefaults.js";
import type { DevRoots } from "./types.js";

export type SimulateDcapQuoteParameters = {
  kind: "tdx" | "sgx";
  binding: Hex;
  /** Second half of REPORTDATA (DESIGN §3: reserved for the composite GPU link); zero by default. */
  reportDataHigh?: Hex;
  devRoots: DevRoots;
  registers?: Readonly<Record<string, Hex>>;
  /** TDX: TDATTRIBUTES.DEBUG (bit 0); SGX: ATTRIBUTES.DEBUG (bit 1). */
  debug?: boolean;
};

/** TD report registers (48 bytes each); owner/config ids are zero unless the host sets them, as on real TDs. */
export const TDX_REGISTERS: Readonly<Record<string, RegisterSpec>> = Object.freeze({
  mrTd: { length: 48 },
  mrConfigId: { length: 48, zero: true },
  mrOwner: { length: 48, zero: true },
  mrOwnerConfig: { length: 48, zero: true },
  rtmr0: { length: 48 },
  rtmr1: { length: 48 },
  rtmr2: { length: 48 },
  rtmr3: { length: 48, zero: true },
  mrSeam: { length: 48 },
});

export const SGX_REGISTERS: Readonly<Record<string, RegisterSpec>> = Object.freeze({
  mrEnclave: { length: 32 },
  mrSigner: { length: 32 },
});

const INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";
const TEE_TYPE_TDX = 0x81;
const CERT_DATA_PCK_CHAIN = 5;
const CERT_DATA_QE_REPORT = 6;

/**
 * An Intel DCAP quote in the layout of Intel's quote libraries: TDX as quote v4 (TD report 1.0 body,
 * certification data type 6 wrapping the QE report, its signature, QE auth data and the type-5 PEM PCK chain);
 * SGX as quote v3 (QE report and type-5 chain directly in the signature data). A fresh P-256 attestation key
 * signs header ‖ body; the dev PCK leaf signs the QE report, whose REPORTDATA binds the attestation key
 * (sha256(key ‖ auth data) ‖ 0³²) exactly as the real quoting enclave's does.
 */
export function simulateDcapQuote(parameters: SimulateDcapQuoteParameters): Uint8Array {
  const { kind, devRoots } = parameters;
  const reportData = new Uint8Array(64);
  reportData.set(bindingBytes(parameters.binding), 0);
  if (parameters.reportDataHigh) reportData.set(bindingBytes(parameters.reportDataHigh, "reportDataHigh"), 32);

  const header = new Uint8Array(48);
  const view = new DataView(header.buffer);
  view.setUint16(0, kind === "tdx" ? 4 : 3, true);
  view.setUint16(2, 2, true); // ECDSA P-256 attestation key
  view.setUint32(4, kind === "tdx" ? TEE_TYPE_TDX : 0, true);
  view.setUint16(8, 8, true); // QE SVN
  view.setUint16(10, SIMULATED_PLATFORM.pckPceSvn, true);
  header.set(Buffer.from(INTEL_QE_VENDOR_ID, "hex"), 12);
  header.set(simulatedRegister("intel", "header user data", 20), 28);

  const body = kind === "tdx" ? tdReport(parameters, reportData) : isvEnclaveReport(parameters, reportData);

  const attestationKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const rawKey = rawP256(attestationKey.publicKey);
  const signedBytes = Buffer.concat([header, body]);
  const quoteSignature = p1363(attestationKey.privateKey, signedBytes);

  const qeAuthData = new Uint8Array(32).map((_, index) => index);
  const qeReportData = new Uint8Array(64);
  qeReportData.set(createHash("sha256").update(rawKey).update(qeAuthData).digest(), 0);
  const qeReport = enclaveReport({
    mrEnclave: simulatedRegister("intel", "qe mrenclave", 32),
    mrSigner: simulatedRegister("intel", "qe mrsigner", 32),
    attributes: sgxAttributes(false),
    isvProdId: kind === "tdx" ? 2 : 1,
    isvSvn: 8,
    reportData: qeReportData,
  });
  const qeReportSignature = p1363(devRoots.intel.pckLeaf.privateKey, qeReport);
  const pem = [devRoots.intel.pckLeaf, devRoots.intel.pckCa, devRoots.intel.root].map((pair) => pair.certificate.toString()).join("");
  const chain = certificationData(CERT_DATA_PCK_CHAIN, Buffer.concat([Buffer.from(pem, "latin1"), Buffer.from([0])]));
  const qeSection = Buffer.concat([qeReport, qeReportSignature, u16(qeAuthData.length), qeAuthData, chain]);
  const signatureData = Buffer.concat([
    quoteSignature,
    rawKey,
    kind === "tdx" ? certificationData(CERT_DATA_QE_REPORT, qeSection) : qeSection,
  ]);
  return new Uint8Array(Buffer.concat([signedBytes, u32(signatureData.length), signatureData]));
}

function tdReport(parameters: SimulateDcapQuoteParameters, reportData: Uint8Array): Uint8Array {
  const r = resolveRegisters("tdx", TDX_REGISTERS, parameters.registers);
  const tdAttributes = new Uint8Array(8);
  if (parameters.debug) tdAttributes[0] = 0x01;
  return Buffer.concat([
    Buffer.from(SIMULATED_PLATFORM.tdxTeeTcbSvn, "hex"),
    r.mrSeam!,
    new Uint8Array(48), // MRSIGNERSEAM: zero for Intel's own TDX module
    new Uint8Array(8), // SEAMATTRIBUTES
    tdAttributes,
    Buffer.from(SIMULATED_PLATFORM.tdxXfam, "hex"),
    r.mrTd!,
    r.mrConfigId!,
    r.mrOwner!,
    r.mrOwnerConfig!,
    r.rtmr0!,
    r.rtmr1!,
    r.rtmr2!,
    r.rtmr3!,
    reportData,
  ]);
}

function isvEnclaveReport(parameters: SimulateDcapQuoteParameters, reportData: Uint8Array): Uint8Array {
  const r = resolveRegisters("sgx", SGX_REGISTERS, parameters.registers);
  return enclaveReport({
    mrEnclave: r.mrEnclave!,
    mrSigner: r.mrSigner!,
    attributes: sgxAttributes(parameters.debug ?? false),
    isvProdId: 1,
    isvSvn: 1,
    reportData,
  });
}

/** SGX ATTRIBUTES: flags INIT | MODE64BIT (| DEBUG), XFRM x87 | SSE. */
function sgxAttributes(debug: boolean): Uint8Array {
  const attributes = new Uint8Array(16);
  attributes[0] = 0x01 | 0x04 | (debug ? 0x02 : 0);
  attributes[8] = 0x03;
  return attributes;
}

/** SGX REPORTBODY, 384 bytes. */
function enclaveReport(fields: {
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  attributes: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  reportData: Uint8Array;
}): Uint8Array {
  return Buffer.concat([
    Buffer.from(SIMULATED_PLATFORM.pckCpuSvn, "hex"),
    u32(0), // MISCSELECT
    new Uint8Array(28),
    fields.attributes,
    fields.mrEnclave,
    new Uint8Array(32),
    fields.mrSigner,
    new Uint8Array(96),
    u16(fields.isvProdId),
    u16(fields.isvSvn),
    new Uint8Array(60),
    fields.reportData,
  ]);
}

function certificationData(type: number, data: Uint8Array): Uint8Array {
  return Buffer.concat([u16(type), u32(data.length), data]);
}

function rawP256(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: "jwk" });
  return Buffer.concat([Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.y!, "base64url")]);
}

function p1363(key: KeyObject, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign("sha256", data, { key, dsaEncoding: "ieee-p1363" }));
}

function u16(value: number): Uint8Array {
  const out = Buffer.alloc(2);
  out.writeUInt16LE(value);
  return out;
}

function u32(value: number): Uint8Array {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value);
  return out;
}
