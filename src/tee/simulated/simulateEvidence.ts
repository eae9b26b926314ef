import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import { createSnpCollateral, type SnpCollateral } from "../../evidence/sevsnp/index.js";
import type { NvidiaCollateral } from "../../evidence/nvidia/index.js";
import { toHex, type Hex } from "../../util/bytes.js";
import type { PinnedRoot } from "../../util/x509.js";
import { devRootPin, getDevRoots } from "./getDevRoots.js";
import type { DcapCollateral, IntelTcbStatus } from "../../evidence/tdx/collateral/index.js";
import { crlPem, issueDevCrl } from "./issueDevCrl.js";
import { simulateDcapCollateral } from "./simulateDcapCollateral.js";
import { simulateDcapQuote } from "./simulateDcapQuote.js";
import { simulateGpuOcsp } from "./simulateGpuOcsp.js";
import { simulateGpuReport } from "./simulateGpuReport.js";
import { simulateGpuRims } from "./simulateGpuRim.js";
import { simulateNitroDocument } from "./simulateNitroDocument.js";
import { simulateSnpReport } from "./simulateSnpReport.js";
import { simulatedVendors, type DevRoots, type SimulatedVendor } from "./types.js";
import type { AmdTcbValues } from "./vendorExtensions.js";

export type SimulateEvidenceParameters = {
  vendor: SimulatedVendor;
  /** The 32-byte binding of DESIGN §3: Nitro user_data, TDX/SGX/SNP report data [0, 32), the GPU nonce. */
  binding: Hex;
  /** TDX, SGX, SNP: report data [32, 64) (the composite GPU link); zero by default. */
  reportDataHigh?: Hex;
  /**
   * Register overrides by name, hex. Nitro `pcr0`…`pcr15`; TDX `mrTd`, `mrConfigId`, `mrOwner`,
   * `mrOwnerConfig`, `rtmr0`…`rtmr3`, `mrSeam`; SGX `mrEnclave`, `mrSigner`; SNP `measurement`, `hostData`,
   * `familyId`, `imageId`, `idKeyDigest`, `authorKeyDigest`, `chipId`; NVIDIA `measurement1`…`measurement64`,
   * `fwid`. Unset registers take the documented defaults (see simulatedDefaults.ts).
   */
  registers?: Readonly<Record<string, Hex>>;
  /** A debuggable TEE: Nitro all-zero PCRs, TDX TDATTRIBUTES.DEBUG, SGX ATTRIBUTES.DEBUG, SNP policy DEBUG. */
  debug?: boolean;
  /** Evidence time (Nitro document timestamp and signing-certificate window); default the current time. */
  now?: Date;
  /** TDX/SGX: the status of the platform's level in the simulated TCB info (default UpToDate). */
  intelTcbStatus?: IntelTcbStatus;
  /** SNP: the TCB to report (a matching VCEK is issued). */
  snpTcb?: AmdTcbValues;
  /** NVIDIA: a raw SPDM report with the chain as collateral (default), or nvtrust's JSON with the chain inside. */
  gpuFormat?: "spdm" | "json";
  /** Default: getDevRoots() (the `.teezk/dev-roots` folder). */
  devRoots?: DevRoots;
};

export type SimulateEvidenceReturnType = {
  vendor: SimulatedVendor;
  /** The evidence in the vendor's binary format (NVIDIA `json`: the JSON document's bytes). */
  evidence: Uint8Array;
  /**
   * What the vendor's verifier takes besides the evidence: TDX/SGX signed TCB info and QE identity (optional:
   * without it the TCB status is UNKNOWN), SNP VCEK/ASK/ARK, NVIDIA the device chain (spdm; json embeds it), the
   * driver and VBIOS RIMs and the chain's OCSP answers, all under the dev root.
   */
  collateral?: DcapCollateral | SnpCollateral | NvidiaCollateral;
  /** The same collateral as files for a collateral folder (`teezk verify --collateral`): name → PEM, XML or base64 text. */
  collateralFiles?: Record<string, string>;
  /** Pass as `extraTrustedRoots: [trustedRoot]` to accept this evidence; production never should. */
  trustedRoot: PinnedRoot;
  rootCertificate: X509Certificate;
};

export type SimulateEvidenceErrorType = TeezkError;

/**
 * Produces evidence of a simulated TEE in the vendor's real format, signed by the local dev PKI, so the same
 * parsers and verifiers that check real hardware check it. It verifies only where the dev root's fingerprint
 * is passed in `extraTrustedRoots`; against the pinned vendor roots it fails with ROOT_NOT_TRUSTED.
 *
 * @example
 * const sim = simulateEvidence({ vendor: "nitro", binding });
 * verifyNitroDocument({ evidence: sim.evidence, now: new Date(), extraTrustedRoots: [sim.trustedRoot] });
 */
export function simulateEvidence(parameters: SimulateEvidenceParameters): SimulateEvidenceReturnType {
  const { vendor } = parameters;
  if (!simulatedVendors.includes(vendor)) {
    throw new TeezkError("CONFIG_INVALID", `No simulated TEE "${String(vendor)}"`, { metaMessages: [`Choose one of: ${simulatedVendors.join(", ")}.`] });
  }
  const now = parameters.now ?? new Date();
  if (Number.isNaN(now.getTime())) throw new TeezkError("CONFIG_INVALID", "simulateEvidence needs `now` as a valid Date");
  const devRoots = parameters.devRoots ?? getDevRoots();
  const trustedRoot = devRootPin(devRoots, vendor);
  const common = {
    binding: parameters.binding,
    devRoots,
    ...(parameters.registers ? { registers: parameters.registers } : {}),
    ...(parameters.debug ? { debug: true } : {}),
  };
  const high = parameters.reportDataHigh ? { reportDataHigh: parameters.reportDataHigh } : {};
  switch (vendor) {
    case "nitro":
      return { vendor, evidence: simulateNitroDocument({ ...common, now }), trustedRoot, rootCertificate: devRoots.nitro.root.certificate };
    case "tdx":
    case "sgx":
      return {
        vendor,
        evidence: simulateDcapQuote({ ...common, ...high, kind: vendor }),
        collateral: simulateDcapCollateral({ kind: vendor, devRoots, now, ...(parameters.intelTcbStatus ? { tcbStatus: parameters.intelTcbStatus } : {}) }),
        trustedRoot,
        rootCertificate: devRoots.intel.root.certificate,
      };
    case "sevsnp": {
      const { report, vcek } = simulateSnpReport({ ...common, ...high, ...(parameters.snpTcb ? { tcb: parameters.snpTcb } : {}) });
      const { ask, ark } = devRoots.amd;
      // The ARK's current list of revoked ASKs, as AMD KDS serves it: without it revocation is not judged.
      const crl = issueDevCrl({ issuer: ark, now });
      return {
        vendor,
        evidence: report,
        collateral: createSnpCollateral({ certificates: [vcek, ask.certificate, ark.certificate], crls: [{ der: crl, source: "simulated ARK CRL (dev root)" }] }),
        collateralFiles: { "vcek.pem": vcek.toString(), "cert_chain.pem": ask.certificate.toString() + ark.certificate.toString(), "crl.pem": crlPem(crl) },
        trustedRoot,
        rootCertificate: ark.certificate,
      };
    }
    case "nvidia": {
      if (parameters.debug) {
        throw new TeezkError("CONFIG_INVALID", "A simulated GPU has no debug mode: no GPU report field signals one (see verifyGpuReport)");
      }
      const { report, certificateChain } = simulateGpuReport(common);
      const pem = certificateChain.map((cert) => cert.toString()).join("");
      const rootCertificate = devRoots.nvidia.root.certificate;
      // What NVIDIA's RIM service and OCSP responder would answer for this GPU, so the simulated GPU half passes
      // the RIM and revocation checks as a real one with fetched collateral does.
      const rims = simulateGpuRims({ devRoots, report });
      const ocsp = simulateGpuOcsp({ devRoots, certificateChain, now });
      const files: Record<string, string> = {
        ...Object.fromEntries(Object.entries(rims).map(([id, bytes]) => [`${id}.swidtag`, Buffer.from(bytes).toString("utf8")])),
        ...Object.fromEntries(ocsp.map((der, index) => [`chain-${index}.ocsp`, Buffer.from(der).toString("base64")])),
      };
      if (parameters.gpuFormat === "json") {
        const document = [
          { arch: "HOPPER", nonce: toHex(report.subarray(4, 36)).slice(2), evidence: Buffer.from(report).toString("base64"), certificate: Buffer.from(pem).toString("base64") },
        ];
        return { vendor, evidence: new Uint8Array(Buffer.from(JSON.stringify(document))), collateral: { certificateChain: [], rims, ocsp }, collateralFiles: files, trustedRoot, rootCertificate };
      }
      return { vendor, evidence: report, collateral: { certificateChain, rims, ocsp }, collateralFiles: { "cert-chain.pem": pem, ...files }, trustedRoot, rootCertificate };
    }
  }
}
