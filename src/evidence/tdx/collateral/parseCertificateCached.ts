import { hash, type X509Certificate } from "node:crypto";
import { parseCertificate } from "../../../util/x509.js";
import { BoundedCache } from "./BoundedCache.js";
import { INTEL_SGX_ROOT_CA_DER_BASE64 } from "./intelSgxRootCa.js";

/**
 * The Intel SGX Root CA is the verifier's trust anchor and ships inside it, so it is parsed once per process from
 * that embedded DER, like any other constant of the program: every quote and every collateral item carries a
 * copy, and a cold verification would otherwise parse it afresh. Not a BoundedCache (clearDcapCaches keeps it): it
 * is not remembered input. Only bytes equal to the embedded DER get it, and equal bytes parse to an equal object.
 */
const INTEL_ROOT_DER = Buffer.from(INTEL_SGX_ROOT_CA_DER_BASE64, "base64");
let intelRoot: X509Certificate | undefined;

/** Intel's roots, PCK CAs, TCB signing certificates and a fleet's PCK leaves. */
const CERTIFICATE_CACHE_ENTRIES = 1024;
const parsedPem = new BoundedCache<string, X509Certificate>(CERTIFICATE_CACHE_ENTRIES);
/** DER input and over-long PEM text, keyed by a SHA-256 of the input. */
const parsedDigest = new BoundedCache<string, X509Certificate>(CERTIFICATE_CACHE_ENTRIES);

/** A certificate is 1–2 KiB of PEM; longer input is keyed by its digest so that hostile input leaves a small key. */
const MAX_TEXT_KEY_LENGTH = 8192;
const DER_KEY_PREFIX = Buffer.from("der:");
/** One PEM certificate block whose body is plain base64 lines (RFC 7468's strict form). */
const STRICT_PEM_CERTIFICATE = /^-----BEGIN CERTIFICATE-----\r?\n((?:[A-Za-z0-9+/]+\r?\n)*[A-Za-z0-9+/]*={0,2}\r?\n?)-----END CERTIFICATE-----$/;

/**
 * `parseCertificate` remembered by its input (PEM text or DER): a quote and its collateral carry the Intel root
 * four times and the PCK and TCB signing CAs twice each, and parsing is the largest part of reading collateral.
 * Parsing is a pure function of the bytes and X509Certificate is immutable, so one object serves every copy.
 * Successes only: malformed input is parsed (and refused) every time.
 *
 * A strict PEM block is base64-decoded here and OpenSSL parses the DER, which takes half the time of OpenSSL
 * reading the PEM itself; anything else (headers, stray characters) goes to OpenSSL's PEM reader as before.
 */
export function parseCertificateCached(input: string | Uint8Array, what: string): X509Certificate {
  // PEM text is its own key (no prefixed copy of a kilobyte string per lookup); other input is keyed by a digest.
  const byText = typeof input === "string" && input.length <= MAX_TEXT_KEY_LENGTH;
  const cache = byText ? parsedPem : parsedDigest;
  const key = byText ? input : hash("sha256", typeof input === "string" ? `pem:${input}` : Buffer.concat([DER_KEY_PREFIX, input]), "hex");
  const cached = cache.get(key);
  if (cached) return cached;
  const strict = typeof input === "string" ? STRICT_PEM_CERTIFICATE.exec(input) : null;
  const der = strict ? Buffer.from(strict[1]!, "base64") : input;
  const certificate = isIntelRoot(der) ? (intelRoot ??= parseCertificate(INTEL_ROOT_DER, "Intel SGX Root CA")) : parseCertificate(der, what);
  cache.set(key, certificate);
  return certificate;
}

function isIntelRoot(input: string | Uint8Array): boolean {
  return typeof input !== "string" && input.length === INTEL_ROOT_DER.length && INTEL_ROOT_DER.equals(input);
}
