import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import { bytesEqual, isAllZero, toHex } from "../../util/bytes.js";
import { decodeTcbVersion } from "./decodeTcbVersion.js";
import { readAmdExtensions } from "./readAmdExtensions.js";
import { snpProductFromName } from "./snpProduct.js";
import type { SnpCollateral, SnpProduct, SnpReport, SnpTcbVersion } from "./types.js";

export type SelectSnpSignerReturnType = { signer: X509Certificate; product: SnpProduct | undefined };

/**
 * Picks the VCEK or VLEK that should have signed the report. A chip has one VCEK per TCB, so a folder can
 * hold several: prefer hwID = CHIP_ID and the AMD TCB extensions = REPORTED_TCB; VLEKs carry no hwID and
 * are chosen by TCB. When nothing matches but exactly one candidate is present, it is returned anyway so
 * the checks that follow reject it with the precise reason (SNP_TCB_MISMATCH, SIGNATURE_INVALID …);
 * otherwise COLLATERAL_MISSING names the chip and TCB to fetch from AMD KDS.
 */
export function selectSnpSigner(report: SnpReport, collateral: SnpCollateral): SelectSnpSignerReturnType {
  const isVlek = report.signingKey === "vlek";
  const candidates = isVlek ? collateral.vleks : collateral.vceks;
  const productOf = (cert: X509Certificate) => report.product ?? certificateProduct(cert);
  const tcbMatches = (cert: X509Certificate) => tcbMismatches(cert, decodeTcbVersion(hex(report.reportedTcb.raw), productOf(cert))).length === 0;
  const masked = isAllZero(report.chipId);
  const hwIdMatches = (cert: X509Certificate) => {
    // A masked (all-zero) CHIP_ID names no chip: choose by TCB alone; the signature still binds the key.
    if (masked) return true;
    const hwId = readAmdExtensions(cert).hwId;
    return hwId !== undefined && chipIdMatches(hwId, report.chipId, productOf(cert));
  };
  const ranked = isVlek
    ? candidates.filter(tcbMatches)
    : [...candidates.filter((c) => hwIdMatches(c) && tcbMatches(c)), ...candidates.filter((c) => hwIdMatches(c) && !tcbMatches(c))];
  const chosen = ranked[0] ?? (candidates.length === 1 ? candidates[0] : undefined);
  if (!chosen) {
    const kind = isVlek ? "VLEK" : "VCEK";
    const who = isVlek ? "this platform" : `chip ${toHex(report.chipId)}`;
    throw new TeezkError("COLLATERAL_MISSING", `${kind} for ${who} at reported TCB ${report.reportedTcb.raw} not in collateral folder`, {
      details: `${candidates.length} ${kind} certificate(s) present, none matching`,
      metaMessages: isVlek
        ? ["Ask the cloud provider for the VLEK certificate of this host."]
        : ["Fetch it from AMD KDS: https://kdsintf.amd.com/vcek/v1/<product>/<chip id hex>?blSPL=…&teeSPL=…&snpSPL=…&ucodeSPL=…"],
    });
  }
  return { signer: chosen, product: productOf(chosen) };
}

/** Product named by a VCEK/VLEK: its productName extension, else its issuer's CN (SEV-Milan, SEV-VLEK-Genoa). */
export function certificateProduct(cert: X509Certificate): SnpProduct | undefined {
  const fromExtension = snpProductFromName(readAmdExtensions(cert).productName);
  if (fromExtension) return fromExtension;
  return snpProductFromName(/(?:^|\n)CN=([^\n]*)/.exec(cert.issuer)?.[1]);
}

/** Names of the TCB components whose certificate SPL differs from the report (missing extensions count). */
export function tcbMismatches(cert: X509Certificate, tcb: SnpTcbVersion): string[] {
  const ext = readAmdExtensions(cert);
  const pairs: [string, number | undefined, number][] = [
    ["blSPL", ext.blSpl, tcb.bootloader],
    ["teeSPL", ext.teeSpl, tcb.tee],
    ["snpSPL", ext.snpSpl, tcb.snp],
    ["ucodeSPL", ext.ucodeSpl, tcb.microcode],
  ];
  if (tcb.fmc !== undefined) pairs.push(["fmcSPL", ext.fmcSpl, tcb.fmc]);
  return pairs.filter(([, fromCert, fromReport]) => fromCert !== fromReport).map(([name, fromCert, fromReport]) => `${name} certificate ${fromCert ?? "missing"} vs report ${fromReport}`);
}

/** Turin VCEKs are keyed by the first 8 bytes of CHIP_ID; earlier products by all 64. */
export function chipIdMatches(hwId: Uint8Array, chipId: Uint8Array, product: SnpProduct | undefined): boolean {
  if (bytesEqual(hwId, chipId)) return true;
  return product === "Turin" && hwId.length === 8 && bytesEqual(hwId, chipId.subarray(0, 8));
}

export function chipIdIsMasked(chipId: Uint8Array): boolean {
  return isAllZero(chipId);
}


function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "hex"));
}
