import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { TeezkError } from "../../errors/index.js";

/** TCG DICE TcbInfo extension (tcg-dice-TcbInfo). Hopper's GSP FMC leaf carries its firmware id here. */
export const TCG_DICE_TCB_INFO_OID = "2.23.133.5.4.1";
const FWID_BYTES = 48;

/**
 * The 48-byte firmware id the device leaf certificate certifies, or undefined when the leaf has no TcbInfo
 * extension. nvtrust compares the extension's last 48 bytes with the report's FWID opaque field; we require
 * those bytes to be a whole DER OCTET STRING of 48 bytes (04 30 ‖ digest), so a truncated or re-shaped
 * extension is not read as a digest by accident.
 */
export function certifiedGpuFwid(leaf: X509Certificate): Uint8Array | undefined {
  let parsed: Certificate;
  try {
    parsed = AsnConvert.parse(leaf.raw, Certificate);
  } catch (error) {
    throw new TeezkError("CERT_PARSE", "Could not parse the GPU device leaf certificate's extensions", { cause: error });
  }
  const extension = parsed.tbsCertificate.extensions?.find((candidate) => candidate.extnID === TCG_DICE_TCB_INFO_OID);
  if (!extension) return undefined;
  const value = new Uint8Array(extension.extnValue.buffer, extension.extnValue.byteOffset, extension.extnValue.byteLength);
  const start = value.length - FWID_BYTES;
  if (start < 2 || value[start - 2] !== 0x04 || value[start - 1] !== FWID_BYTES) {
    throw new TeezkError("CERT_PARSE", "The GPU device leaf certificate's TcbInfo extension does not end with a 48-byte firmware id");
  }
  return value.slice(start);
}
