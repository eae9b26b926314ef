import { TCG_DICE_TCB_INFO_OID } from "../../evidence/nvidia/certifiedGpuFwid.js";
import { AMD_OID as AMD_EXTENSION_OID } from "../../evidence/sevsnp/constants.js";
import { SGX_EXTENSION_OID } from "../../evidence/tdx/collateral/parsePckExtensions.js";
import { derEnumerated, derIa5, derOctets, derOid, derSequence, derTlv, derUnsigned, derUtf8 } from "./der.js";

// The extension OIDs are the verifiers' own: a simulated certificate carries exactly what they look for.
export { SGX_EXTENSION_OID, TCG_DICE_TCB_INFO_OID };
const SHA384_OID = "2.16.840.1.101.3.4.2.2";

export type SgxPckValues = {
  ppid: Uint8Array;
  /** SGX TCB components 1..16. */
  components: readonly number[];
  pceSvn: number;
  cpuSvn: Uint8Array;
  pceId: Uint8Array;
  fmspc: Uint8Array;
};

/** SEQUENCE OF { OID, value } keyed below the SGX extension OID, exactly as Intel's PCK certificates carry it. */
export function sgxPckExtension(values: SgxPckValues): Uint8Array {
  const item = (suffix: string, value: Uint8Array) => derSequence(derOid(`${SGX_EXTENSION_OID}.${suffix}`), value);
  const tcb = derSequence(
    ...values.components.map((svn, index) => item(`2.${index + 1}`, derUnsigned(svn))),
    item("2.17", derUnsigned(values.pceSvn)),
    item("2.18", derOctets(values.cpuSvn)),
  );
  return derSequence(
    item("1", derOctets(values.ppid)),
    item("2", tcb),
    item("3", derOctets(values.pceId)),
    item("4", derOctets(values.fmspc)),
    item("5", derEnumerated(0)),
  );
}

export type AmdTcbValues = { bootloader: number; tee: number; snp: number; microcode: number };

/** The VCEK extensions of AMD's KDS specification: struct version, product name, SPLs, hwID (OCTET STRING). */
export function amdVcekExtensions(product: string, tcb: AmdTcbValues, hwId: Uint8Array): { oid: string; value: Uint8Array }[] {
  return [
    { oid: AMD_EXTENSION_OID.structVersion, value: derUnsigned(1) },
    { oid: AMD_EXTENSION_OID.productName, value: derIa5(product) },
    { oid: AMD_EXTENSION_OID.blSpl, value: derUnsigned(tcb.bootloader) },
    { oid: AMD_EXTENSION_OID.teeSpl, value: derUnsigned(tcb.tee) },
    { oid: AMD_EXTENSION_OID.snpSpl, value: derUnsigned(tcb.snp) },
    { oid: AMD_EXTENSION_OID.spl4, value: derUnsigned(0) },
    { oid: AMD_EXTENSION_OID.spl5, value: derUnsigned(0) },
    { oid: AMD_EXTENSION_OID.spl6, value: derUnsigned(0) },
    { oid: AMD_EXTENSION_OID.spl7, value: derUnsigned(0) },
    { oid: AMD_EXTENSION_OID.ucodeSpl, value: derUnsigned(tcb.microcode) },
    { oid: AMD_EXTENSION_OID.hwId, value: derOctets(hwId) },
  ];
}

/**
 * DICE TcbInfo { vendor [0], model [1], fwids [6] SEQUENCE OF FWID { hashAlg, digest } }: the digest is the
 * last field, so the value ends with 04 30 ‖ fwid as NVIDIA's FMC leaf does.
 */
export function diceTcbInfo(fwid: Uint8Array): Uint8Array {
  const fwidEntry = derSequence(derOid(SHA384_OID), derOctets(fwid));
  return derSequence(derUtf8("teezk (simulated NVIDIA)", 0x80), derUtf8("GH100", 0x81), derTlv(0xa6, fwidEntry));
}
