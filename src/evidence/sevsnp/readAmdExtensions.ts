import type { X509Certificate } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { TeezkError } from "../../errors/index.js";
import { AMD_OID } from "./constants.js";

/** The AMD extensions of a VCEK/VLEK: TCB SPLs, product name, hardware id (VCEK only), CSP id (VLEK only). */
export type AmdCertExtensions = {
  productName?: string;
  blSpl?: number;
  teeSpl?: number;
  snpSpl?: number;
  ucodeSpl?: number;
  fmcSpl?: number;
  hwId?: Uint8Array;
  cspId?: string;
};

const cache = new WeakMap<X509Certificate, AmdCertExtensions>();

/**
 * Reads the AMD extensions. Each extension value is itself DER (INTEGER for SPLs, IA5String for names);
 * hwID is the raw 64-byte chip id in older VCEKs and an OCTET STRING around it in newer ones, so both are
 * accepted. Cached per certificate because verification reads them for every candidate.
 */
export function readAmdExtensions(cert: X509Certificate): AmdCertExtensions {
  const cached = cache.get(cert);
  if (cached) return cached;
  let extensions: Map<string, Uint8Array>;
  try {
    // @peculiar/asn1-x509 rather than @peculiar/x509: the latter needs a reflect-metadata polyfill at import.
    const list = AsnConvert.parse(cert.raw, Certificate).tbsCertificate.extensions ?? [];
    extensions = new Map(list.map((extension) => [extension.extnID, new Uint8Array(extension.extnValue.buffer)]));
  } catch (error) {
    throw new TeezkError("CERT_PARSE", "Could not read the extensions of an AMD certificate", { cause: error });
  }
  const value = (oid: string): Uint8Array | undefined => extensions.get(oid);
  const integer = (oid: string) => {
    const bytes = value(oid);
    if (!bytes) return undefined;
    const tlv = readTlv(bytes, oid);
    if (tlv.tag !== 0x02 || tlv.value.length === 0 || tlv.value.length > 5) {
      throw new TeezkError("CERT_PARSE", `AMD extension ${oid} is not a small INTEGER`);
    }
    let n = 0;
    for (const byte of tlv.value) n = n * 256 + byte;
    return n;
  };
  const text = (oid: string) => {
    const bytes = value(oid);
    if (!bytes) return undefined;
    const tlv = readTlv(bytes, oid);
    if (tlv.tag !== 0x16 && tlv.tag !== 0x0c && tlv.tag !== 0x13) {
      throw new TeezkError("CERT_PARSE", `AMD extension ${oid} is not a string`);
    }
    return Buffer.from(tlv.value).toString("latin1");
  };
  const hwIdBytes = value(AMD_OID.hwId);
  let hwId: Uint8Array | undefined;
  if (hwIdBytes) {
    // Older VCEKs carry the 64 raw bytes; newer ones wrap them in an OCTET STRING (04 40 …).
    hwId = hwIdBytes.length === 66 && hwIdBytes[0] === 0x04 && hwIdBytes[1] === 0x40 ? hwIdBytes.subarray(2) : hwIdBytes;
  }
  const result: AmdCertExtensions = {};
  const assign = <K extends keyof AmdCertExtensions>(key: K, v: AmdCertExtensions[K] | undefined) => {
    if (v !== undefined) result[key] = v;
  };
  assign("productName", text(AMD_OID.productName));
  assign("blSpl", integer(AMD_OID.blSpl));
  assign("teeSpl", integer(AMD_OID.teeSpl));
  assign("snpSpl", integer(AMD_OID.snpSpl));
  assign("ucodeSpl", integer(AMD_OID.ucodeSpl));
  assign("fmcSpl", integer(AMD_OID.fmcSpl));
  assign("hwId", hwId);
  assign("cspId", text(AMD_OID.cspId));
  cache.set(cert, result);
  return result;
}

function readTlv(bytes: Uint8Array, what: string): { tag: number; value: Uint8Array } {
  const fail = () => new TeezkError("CERT_PARSE", `AMD extension ${what} is not valid DER`);
  if (bytes.length < 2) throw fail();
  const tag = bytes[0]!;
  let length = bytes[1]!;
  let offset = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || bytes.length < 2 + count) throw fail();
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + bytes[2 + i]!;
    offset += count;
  }
  if (offset + length !== bytes.length) throw fail();
  return { tag, value: bytes.subarray(offset, offset + length) };
}
