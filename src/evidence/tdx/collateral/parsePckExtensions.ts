import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../../errors/index.js";
import { readCertificateFields } from "./readCertificateFields.js";
import { DerTag, decodeOid, decodeSmallUnsigned, readDerOffsets, readDerSingle, type DerElement } from "./readDer.js";

/** Intel's SGX extension in PCK certificates (Intel SGX PCK Certificate and CRL Profile, §1.3.5). */
export const SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";
const SGX_OID_PREFIX = `${SGX_EXTENSION_OID}.`;

/** What the SGX extension's readers need of a DER element. */
type DerValue = Pick<DerElement, "tag" | "value">;

export type PckExtensions = {
  /** Platform Provisioning ID, 16 bytes. */
  ppid: Uint8Array;
  /** The raw CPUSVN (TCB item 18), 16 bytes. */
  cpuSvn: Uint8Array;
  /** SGX TCB components 1..16 (TCB items 1..16): what Intel's TCB evaluation compares with a TCB level. */
  sgxTcbComponents: number[];
  pceSvn: number;
  /** 2 bytes, big-endian as in the certificate (TCB info's `pceId` hex). */
  pceId: Uint8Array;
  /** 6 bytes (TCB info's `fmspc` hex). */
  fmspc: Uint8Array;
  /** 0 Standard, 1 Scalable, 2 Scalable with integrity. Optional only because old profiles may omit it. */
  sgxType?: number;
  /** Platform CA certificates only. */
  platformInstanceId?: Uint8Array;
  /** Platform CA certificates only. */
  configuration?: { dynamicPlatform?: boolean; cachedKeys?: boolean; smtEnabled?: boolean };
};

export type ParsePckExtensionsErrorType = TeezkError;

const MAX_EXTENSION_BYTES = 4096;

/**
 * Reads the SGX extension of a PCK leaf certificate: PPID, TCB (16 component SVNs, PCESVN, CPUSVN), PCE-ID,
 * FMSPC, SGX type and the platform-only fields. Any structural surprise is CERT_PARSE: a PCK certificate
 * whose TCB we cannot read must not yield a TCB status.
 */
export function parsePckExtensions(cert: X509Certificate): PckExtensions {
  let extensionValue: Uint8Array;
  try {
    // A DER walk rather than a schema parse: OpenSSL has already parsed the certificate, and a cold
    // verification reads this on every call.
    const { extensions } = readCertificateFields(cert.raw);
    const matching = extensions.filter((candidate) => candidate.oid === SGX_EXTENSION_OID);
    const extension = matching[0];
    if (matching.length > 1) throw new TeezkError("CERT_PARSE", "The PCK certificate has the Intel SGX extension twice");
    if (!extension) {
      throw new TeezkError("CERT_PARSE", "The PCK certificate has no Intel SGX extension (OID 1.2.840.113741.1.13.1)", {
        details: `subject ${cert.subject.replace(/\n/g, ", ")}`,
      });
    }
    extensionValue = extension.value;
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    throw new TeezkError("CERT_PARSE", "Could not read the PCK certificate extensions", {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  if (extensionValue.length > MAX_EXTENSION_BYTES) {
    throw new TeezkError("CERT_PARSE", `The SGX extension is ${extensionValue.length} bytes, over the ${MAX_EXTENSION_BYTES}-byte cap`);
  }

  const items = readOidValuePairs(readDerSingle(extensionValue, DerTag.SEQUENCE, "SGX extension", "CERT_PARSE").value, "SGX extension");
  const ppid = octets(required(items, "1", "PPID"), "PPID", 16);
  const pceId = octets(required(items, "3", "PCE-ID"), "PCE-ID", 2);
  const fmspc = octets(required(items, "4", "FMSPC"), "FMSPC", 6);

  const tcbItems = readOidValuePairs(expectTag(required(items, "2", "TCB"), DerTag.SEQUENCE, "TCB").value, "SGX TCB");
  const sgxTcbComponents: number[] = [];
  for (let component = 1; component <= 16; component++) {
    const svn = integer(required(tcbItems, `2.${component}`, `SGX TCB component ${component}`), `SGX TCB component ${component}`);
    if (svn > 255) throw new TeezkError("CERT_PARSE", `SGX TCB component ${component} is ${svn}, over 255`);
    sgxTcbComponents.push(svn);
  }
  const pceSvn = integer(required(tcbItems, "2.17", "PCESVN"), "PCESVN");
  if (pceSvn > 0xffff) throw new TeezkError("CERT_PARSE", `PCESVN ${pceSvn} does not fit 16 bits`);
  const cpuSvn = octets(required(tcbItems, "2.18", "CPUSVN"), "CPUSVN", 16);

  const out: PckExtensions = { ppid, cpuSvn, sgxTcbComponents, pceSvn, pceId, fmspc };
  const sgxType = items.get("5");
  if (sgxType) out.sgxType = decodeSmallUnsigned(expectTag(sgxType, DerTag.ENUMERATED, "SGX type").value, "SGX type", "CERT_PARSE");
  const platformInstanceId = items.get("6");
  if (platformInstanceId) out.platformInstanceId = octets(platformInstanceId, "PlatformInstanceID", 16);
  const configuration = items.get("7");
  if (configuration) {
    const flags = readOidValuePairs(expectTag(configuration, DerTag.SEQUENCE, "Configuration").value, "SGX configuration");
    out.configuration = {};
    const names = { "7.1": "dynamicPlatform", "7.2": "cachedKeys", "7.3": "smtEnabled" } as const;
    for (const [suffix, name] of Object.entries(names)) {
      const flag = flags.get(suffix);
      if (flag) out.configuration[name] = boolean(flag, name);
    }
  }
  return out;
}

/** SEQUENCE OF SEQUENCE { OID, value }, keyed by the OID suffix below the SGX extension OID ("2.17"). */
function readOidValuePairs(bytes: Uint8Array, what: string): Map<string, DerValue> {
  const out = new Map<string, DerValue>();
  const entryWhat = `${what} entry`;
  const entries = readDerOffsets(bytes, 0, bytes.length, what, "CERT_PARSE");
  for (let entry = 0; entry < entries.length; entry += 4) {
    if (entries[entry] !== DerTag.SEQUENCE) {
      throw new TeezkError("CERT_PARSE", `SGX extension ${entryWhat}: expected DER tag 0x30, found 0x${entries[entry]!.toString(16)}`);
    }
    const parts = readDerOffsets(bytes, entries[entry + 2]!, entries[entry + 3]!, entryWhat, "CERT_PARSE");
    if (parts.length !== 8 || parts[0] !== DerTag.OID) throw new TeezkError("CERT_PARSE", `${what}: an entry is not { OID, value }`);
    const dotted = decodeOid(bytes.subarray(parts[2]!, parts[3]!));
    if (!dotted.startsWith(SGX_OID_PREFIX)) throw new TeezkError("CERT_PARSE", `${what}: unexpected OID ${dotted}`);
    const suffix = dotted.slice(SGX_OID_PREFIX.length);
    if (out.has(suffix)) throw new TeezkError("CERT_PARSE", `${what}: OID ${dotted} appears twice`);
    out.set(suffix, { tag: parts[4]!, value: bytes.subarray(parts[6]!, parts[7]!) });
  }
  return out;
}

function required(items: Map<string, DerValue>, suffix: string, name: string): DerValue {
  const item = items.get(suffix);
  if (!item) throw new TeezkError("CERT_PARSE", `The PCK certificate's SGX extension lacks ${name} (${SGX_EXTENSION_OID}.${suffix})`);
  return item;
}

function expectTag(element: DerValue, tag: number, name: string): DerValue {
  if (element.tag !== tag) {
    throw new TeezkError("CERT_PARSE", `SGX extension ${name}: expected DER tag 0x${tag.toString(16)}, found 0x${element.tag.toString(16)}`);
  }
  return element;
}

function octets(element: DerValue, name: string, length: number): Uint8Array {
  expectTag(element, DerTag.OCTET_STRING, name);
  if (element.value.length !== length) {
    throw new TeezkError("CERT_PARSE", `SGX extension ${name} is ${element.value.length} bytes, expected ${length}`);
  }
  return new Uint8Array(element.value);
}

function integer(element: DerValue, name: string): number {
  return decodeSmallUnsigned(expectTag(element, DerTag.INTEGER, name).value, `SGX extension ${name}`, "CERT_PARSE");
}

function boolean(element: DerValue, name: string): boolean {
  expectTag(element, DerTag.BOOLEAN, name);
  if (element.value.length !== 1) throw new TeezkError("CERT_PARSE", `SGX extension ${name} is not a one-byte BOOLEAN`);
  return element.value[0] !== 0;
}
