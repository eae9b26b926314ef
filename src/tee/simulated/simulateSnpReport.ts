import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import { bytesEqual, type Hex } from "../../util/bytes.js";
import { SIMULATED_SNP_PRODUCT } from "./getDevRoots.js";
import { issueDevCertificate } from "./issueDevCertificate.js";
import { bindingBytes, resolveRegisters, type RegisterSpec } from "./resolveRegisters.js";
import { signSnpReport } from "./signSnpReport.js";
import { SIMULATED_PLATFORM } from "./simulatedDefaults.js";
import type { DevRoots } from "./types.js";
import { amdVcekExtensions, type AmdTcbValues } from "./vendorExtensions.js";

export type SimulateSnpReportParameters = {
  binding: Hex;
  /** Second half of REPORT_DATA (DESIGN §3); zero by default. */
  reportDataHigh?: Hex;
  devRoots: DevRoots;
  registers?: Readonly<Record<string, Hex>>;
  /** Guest policy DEBUG (bit 19). */
  debug?: boolean;
  /** REPORTED_TCB (and current/committed/launch TCB); a VCEK for it is issued when it differs from the default. */
  tcb?: AmdTcbValues;
};

export type SimulateSnpReportReturnType = {
  report: Uint8Array;
  /** The VCEK that signed the report (the persisted one, or one issued for a non-default TCB or chip). */
  vcek: X509Certificate;
};

export const SNP_REGISTERS: Readonly<Record<string, RegisterSpec>> = Object.freeze({
  measurement: { length: 48 },
  hostData: { length: 32, zero: true },
  familyId: { length: 16, zero: true },
  imageId: { length: 16, zero: true },
  idKeyDigest: { length: 48, zero: true },
  authorKeyDigest: { length: 48, zero: true },
  chipId: { length: 64 },
});

const REPORT_BYTES = 0x4a0;
/** ABI 0.0, SMT allowed (bit 16), reserved bit 17 set as the ABI requires. */
const BASE_POLICY = 0x30000n;
const POLICY_DEBUG = 1n << 19n;

/**
 * An SEV-SNP ATTESTATION_REPORT version 3 (ABI spec 56860) of a Genoa guest at VMPL 0: REPORT_DATA =
 * binding ‖ high half, the measurement and chip id from the deterministic defaults, REPORTED_TCB equal to the
 * VCEK's TCB extensions, SIGNING_KEY = VCEK, and the ECDSA P-384/SHA-384 signature over bytes [0, 0x2A0)
 * with R and S little-endian in 72-byte slots.
 */
export function simulateSnpReport(parameters: SimulateSnpReportParameters): SimulateSnpReportReturnType {
  const { devRoots } = parameters;
  const r = resolveRegisters("sevsnp", SNP_REGISTERS, parameters.registers);
  const tcb = parameters.tcb ?? SIMULATED_PLATFORM.snpTcb;
  for (const [name, value] of Object.entries(tcb)) {
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new TeezkError("CONFIG_INVALID", `SNP TCB ${name} must be a byte, got ${value}`);
  }
  const report = new Uint8Array(REPORT_BYTES);
  const view = new DataView(report.buffer);
  view.setUint32(0x00, 3, true);
  view.setUint32(0x04, 1, true); // GUEST_SVN
  view.setBigUint64(0x08, BASE_POLICY | (parameters.debug ? POLICY_DEBUG : 0n), true);
  report.set(r.familyId!, 0x10);
  report.set(r.imageId!, 0x20);
  view.setUint32(0x30, 0, true); // VMPL
  view.setUint32(0x34, 1, true); // SIGNATURE_ALGO ECDSA P-384 with SHA-384
  const tcbBytes = Uint8Array.of(tcb.bootloader, tcb.tee, 0, 0, 0, 0, tcb.snp, tcb.microcode);
  report.set(tcbBytes, 0x38); // CURRENT_TCB
  view.setBigUint64(0x40, 0x1n | 0x4n, true); // PLATFORM_INFO: SMT enabled, ECC enabled
  view.setUint32(0x48, 0, true); // AUTHOR_KEY_EN 0, MASK_CHIP_KEY 0, SIGNING_KEY 0 = VCEK
  const reportData = new Uint8Array(64);
  reportData.set(bindingBytes(parameters.binding), 0);
  if (parameters.reportDataHigh) reportData.set(bindingBytes(parameters.reportDataHigh, "reportDataHigh"), 32);
  report.set(reportData, 0x50);
  report.set(r.measurement!, 0x90);
  report.set(r.hostData!, 0xc0);
  report.set(r.idKeyDigest!, 0xe0);
  report.set(r.authorKeyDigest!, 0x110);
  report.set(new Uint8Array(32).fill(0x5e), 0x140); // REPORT_ID
  report.set(new Uint8Array(32).fill(0xff), 0x160); // REPORT_ID_MA: no migration agent
  report.set(tcbBytes, 0x180); // REPORTED_TCB
  const { family, model, stepping } = SIMULATED_PLATFORM.snpCpuid;
  report.set(Uint8Array.of(family, model, stepping), 0x188);
  report.set(r.chipId!, 0x1a0);
  report.set(tcbBytes, 0x1e0); // COMMITTED_TCB
  report.set(Uint8Array.of(21, 55, 1), 0x1e8); // CURRENT build, minor, major (1.55.21)
  report.set(Uint8Array.of(21, 55, 1), 0x1ec); // COMMITTED
  report.set(tcbBytes, 0x1f0); // LAUNCH_TCB

  const vcek = vcekFor(devRoots, tcb, r.chipId!);
  return { report: signSnpReport(report, devRoots.amd.vcek.privateKey), vcek };
}

/** A chip has one VCEK per TCB: reuse the persisted one for the default, issue another (same key) otherwise. */
function vcekFor(devRoots: DevRoots, tcb: AmdTcbValues, chipId: Uint8Array): X509Certificate {
  const d = SIMULATED_PLATFORM.snpTcb;
  const persisted = devRoots.amd.vcek.certificate;
  const defaultTcb = tcb.bootloader === d.bootloader && tcb.tee === d.tee && tcb.snp === d.snp && tcb.microcode === d.microcode;
  if (defaultTcb && bytesEqual(chipId, resolveRegisters("sevsnp", SNP_REGISTERS).chipId!)) return persisted;
  return issueDevCertificate({
    commonName: "SEV-VCEK",
    publicKey: persisted.publicKey,
    issuer: devRoots.amd.ask,
    ca: false,
    notBefore: persisted.validFromDate,
    notAfter: persisted.validToDate,
    extensions: amdVcekExtensions(SIMULATED_SNP_PRODUCT, tcb, chipId),
  });
}
