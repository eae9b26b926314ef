import { TeezkError } from "../../../errors/index.js";
import { DerTag, decodeOid, readDerHeader, readDerSequence, readDerSingle, type DerElement, type DerHeader } from "./readDer.js";
import type { DcapCrl } from "./types.js";

/** Intel's PCK CRLs are a few KiB; a 1 MiB cap leaves room for growth and refuses junk before parsing. */
export const MAX_CRL_BYTES = 1 << 20;

export type ParseDcapCrlErrorType = TeezkError;

const UTC_TIME = 0x17;
const GENERALIZED_TIME = 0x18;
const CONTEXT_CRL_EXTENSIONS = 0xa0;

/**
 * Parses a DER CRL (Intel PCK Platform/Processor CA CRL or Intel SGX Root CA CRL) into what appraisal needs:
 * the signed tbsCertList bytes, the signature, the issuer Name DER as encoded, the update window and the
 * revoked serials. A direct DER walk of RFC 5280 §5.1 (CertificateList, TBSCertList): a schema parse costs
 * ~1 ms per PCK CRL and collateral is re-read whenever it is refreshed; the exact tbs bytes are what Intel
 * signed, not a re-encoding. Any structural surprise is COLLATERAL_INVALID.
 */
export function parseDcapCrl(der: Uint8Array, source: string): DcapCrl {
  if (der.length > MAX_CRL_BYTES) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: CRL of ${der.length} bytes exceeds the ${MAX_CRL_BYTES}-byte cap`);
  }
  const what = `${source} CRL`;
  const invalid = (message: string): never => {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: ${message}`);
  };
  const outer = readDerSingle(der, DerTag.SEQUENCE, what, "COLLATERAL_INVALID");
  const [tbs, algorithm, signatureBits, ...rest] = readDerSequence(outer.value, what, "COLLATERAL_INVALID");
  if (!tbs || !algorithm || !signatureBits || rest.length > 0 || tbs.tag !== DerTag.SEQUENCE || algorithm.tag !== DerTag.SEQUENCE || signatureBits.tag !== DerTag.BIT_STRING) {
    return invalid("not a CertificateList { tbsCertList, algorithm, signature }");
  }
  if (signatureBits.value.length === 0 || signatureBits.value[0] !== 0) return invalid("CRL signature has unused bits");
  const algorithmOid = readDerSequence(algorithm.value, `${what} signatureAlgorithm`, "COLLATERAL_INVALID")[0];
  if (!algorithmOid || algorithmOid.tag !== DerTag.OID) return invalid("CRL signatureAlgorithm has no OID");

  const fields = readDerSequence(tbs.value, `${what} tbsCertList`, "COLLATERAL_INVALID");
  let index = 0;
  const next = () => fields[index];
  if (next()?.tag === DerTag.INTEGER) index++; // version v2 (optional)
  const innerAlgorithm = fields[index++];
  const issuer = fields[index++];
  if (innerAlgorithm?.tag !== DerTag.SEQUENCE || issuer?.tag !== DerTag.SEQUENCE) return invalid("tbsCertList lacks its signature algorithm or issuer Name");
  const thisUpdate = readTime(fields[index++], `${what} thisUpdate`);
  let nextUpdate: Date | undefined;
  if (next()?.tag === UTC_TIME || next()?.tag === GENERALIZED_TIME) nextUpdate = readTime(fields[index++], `${what} nextUpdate`);
  let revokedSerials: Set<string> = new Set();
  if (next()?.tag === DerTag.SEQUENCE) revokedSerials = readRevokedSerials(fields[index++]!.value, source);
  if (next()?.tag === CONTEXT_CRL_EXTENSIONS) index++;
  if (index !== fields.length) return invalid("tbsCertList has unexpected fields after its extensions");

  return {
    der,
    tbs: tbs.element,
    issuerDer: issuer.element,
    signature: signatureBits.value.subarray(1),
    signatureAlgorithm: decodeOid(algorithmOid.value),
    thisUpdate,
    ...(nextUpdate ? { nextUpdate } : {}),
    revokedSerials,
    source,
  };
}

/**
 * The serials of revokedCertificates (SEQUENCE OF { userCertificate INTEGER, revocationDate Time,
 * crlEntryExtensions? }), each entry's shape and time checked. Walked by offsets, not by readDerSequence: a PCK
 * CRL lists dozens of entries, and an element object and three views per field were a third of parsing it.
 */
function readRevokedSerials(list: Uint8Array, source: string): Set<string> {
  const what = `${source} CRL`;
  const serials = new Set<string>();
  const hexView = Buffer.from(list.buffer, list.byteOffset, list.length);
  const entry: DerHeader = { tag: 0, start: 0, end: 0 };
  const field: DerHeader = { tag: 0, start: 0, end: 0 };
  const listWhat = `${what} revokedCertificates`;
  const entryWhat = `${what} revoked entry`;
  const dateWhat = `${what} revocationDate`;
  const noSerial = () => new TeezkError("COLLATERAL_INVALID", `${source}: a revoked entry has no serial number`);
  for (let offset = 0; offset < list.length; offset = entry.end) {
    readDerHeader(list, offset, list.length, entry, listWhat, "COLLATERAL_INVALID");
    if (entry.tag !== DerTag.SEQUENCE || entry.start === entry.end) throw noSerial();
    readDerHeader(list, entry.start, entry.end, field, entryWhat, "COLLATERAL_INVALID");
    if (field.tag !== DerTag.INTEGER || field.start === field.end) throw noSerial();
    let serialStart = field.start;
    const serialEnd = field.end;
    if (field.end === entry.end) throw timeError(dateWhat, undefined);
    readDerHeader(list, field.end, entry.end, field, entryWhat, "COLLATERAL_INVALID");
    checkTimeAt(list, field, dateWhat);
    // Any crlEntryExtensions must still be well-formed DER elements.
    for (let rest = field.end; rest < entry.end; rest = field.end) readDerHeader(list, rest, entry.end, field, entryWhat, "COLLATERAL_INVALID");
    // Lowercase hex without leading zeros, as normalizeSerial writes it.
    while (serialStart < serialEnd && list[serialStart] === 0) serialStart++;
    if (serialStart === serialEnd) serials.add("0");
    else {
      const hex = hexView.toString("hex", serialStart, serialEnd);
      serials.add(list[serialStart]! < 0x10 ? hex.slice(1) : hex);
    }
  }
  return serials;
}

/**
 * UTCTime (YYMMDDHHMMSSZ, 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ), the only DER forms (RFC 5280 §4.1.2.5).
 * Read digit by digit from the bytes: a PCK CRL holds a time per revoked certificate, and decoding each to text
 * for a regular expression was a tenth of reading the collateral.
 */
function readTime(element: DerElement | undefined, what: string): Date {
  if (!element) throw timeError(what, undefined);
  return readTimeAt(element.value, { tag: element.tag, start: 0, end: element.value.length }, what);
}

/** readTime for the value at `header.start..header.end` of `bytes`. */
function readTimeAt(bytes: Uint8Array, header: DerHeader, what: string): Date {
  return new Date(checkTimeAt(bytes, header, what));
}

/**
 * The time at `header.start..header.end` as milliseconds since the epoch, checked to be a real UTC timestamp
 * without building a Date (a PCK CRL holds one revocation time per entry, read only to be checked).
 */
function checkTimeAt(bytes: Uint8Array, header: DerHeader, what: string): number {
  const { start, end } = header;
  const yearDigits = header.tag === UTC_TIME ? 2 : header.tag === GENERALIZED_TIME ? 4 : 0;
  if (yearDigits === 0 || end - start !== yearDigits + 11 || bytes[end - 1] !== 0x5a || !asciiDigits(bytes, start, end - 1)) {
    throw timeError(what, bytes.subarray(start, end));
  }
  const year = decimal(bytes, start, yearDigits);
  const month = decimal(bytes, start + yearDigits, 2);
  const day = decimal(bytes, start + yearDigits + 2, 2);
  const hour = decimal(bytes, start + yearDigits + 4, 2);
  const minute = decimal(bytes, start + yearDigits + 6, 2);
  const second = decimal(bytes, start + yearDigits + 8, 2);
  const fullYear = yearDigits === 2 ? (year >= 50 ? 1900 + year : 2000 + year) : year;
  // Date.UTC reads years 0–99 as 1900–1999: the day count uses the year it will use.
  const calendarYear = fullYear <= 99 ? 1900 + fullYear : fullYear;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(calendarYear, month) || hour > 23 || minute > 59 || second > 59) {
    throw new TeezkError("COLLATERAL_INVALID", `${what}: ${Buffer.from(bytes.subarray(start, end)).toString("latin1")} is not a valid time`);
  }
  return Date.UTC(fullYear, month - 1, day, hour, minute, second);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function timeError(what: string, value: Uint8Array | undefined): TeezkError {
  const text = value ? Buffer.from(value.buffer, value.byteOffset, value.length).toString("latin1") : "";
  return new TeezkError("COLLATERAL_INVALID", `${what}: expected a DER UTCTime or GeneralizedTime`, { details: JSON.stringify(text.slice(0, 32)) });
}

function decimal(bytes: Uint8Array, start: number, digits: number): number {
  let value = 0;
  for (let index = start; index < start + digits; index++) value = value * 10 + bytes[index]! - 0x30;
  return value;
}

/** Whether bytes start..end are ASCII digits (what the regular expression's \d accepted). */
function asciiDigits(bytes: Uint8Array, start: number, end: number): boolean {
  for (let index = start; index < end; index++) if (bytes[index]! < 0x30 || bytes[index]! > 0x39) return false;
  return true;
}

/** Serial numbers compare as integers: lowercase hex without leading zeros (node prints "00AB", DER "ab"). */
export function normalizeSerial(hex: string): string {
  const clean = hex.toLowerCase().replace(/[^0-9a-f]/g, "").replace(/^0+/, "");
  return clean === "" ? "0" : clean;
}
