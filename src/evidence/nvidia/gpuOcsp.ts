import { createHash, verify as verifySignature, X509Certificate } from "node:crypto";
import {
  BasicOCSPResponse,
  CertID,
  id_kp_OCSPSigning,
  id_pkix_ocsp_basic,
  id_pkix_ocsp_nonce,
  OCSPRequest,
  OCSPResponse,
  OCSPResponseStatus,
  Request,
  TBSRequest,
  type SingleResponse,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate, Extension } from "@peculiar/asn1-x509";
import { TeezkError } from "../../errors/index.js";
import { verifyCertificateChain, type PinnedRoot } from "../../util/x509.js";

/** Real OCSP answers are ~2 KiB (one response, one responder certificate). */
export const MAX_OCSP_RESPONSE_BYTES = 64 * 1024;
/** thisUpdate may lie this far ahead of `now` (responder and verifier clocks). */
const CLOCK_SKEW_MS = 5 * 60_000;

const HASH_OIDS: Record<string, "sha1" | "sha256" | "sha384"> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
};
const SIGNATURE_HASHES: Record<string, "sha256" | "sha384" | "sha512"> = {
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
};

/** One certificate of a device chain and the certificate that issued it. */
export type OcspPair = { certificate: X509Certificate; issuer: X509Certificate };

/**
 * RFC 6960 CertID: hashes of the issuer's Name and public key, and the certificate's serial. NVIDIA's verifier
 * asks with SHA-384 (what nvtrust's OCSPRequestBuilder is given); answers are matched under whichever hash they use.
 */
export function ocspCertId({ certificate, issuer }: OcspPair, hash: "sha1" | "sha256" | "sha384" = "sha384"): CertID {
  const issuerCert = AsnConvert.parse(issuer.raw, Certificate).tbsCertificate;
  const child = AsnConvert.parse(certificate.raw, Certificate).tbsCertificate;
  const digest = (bytes: ArrayBuffer) => new OctetString(createHash(hash).update(Buffer.from(bytes)).digest());
  const oid = Object.entries(HASH_OIDS).find(([, name]) => name === hash)![0];
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: oid, parameters: null }),
    issuerNameHash: digest(AsnConvert.serialize(issuerCert.subject)),
    issuerKeyHash: digest(issuerCert.subjectPublicKeyInfo.subjectPublicKey),
    serialNumber: child.serialNumber,
  });
}

/** A DER OCSPRequest for one certificate (SHA-384 CertID), with the nonce extension when one is given. */
export function buildOcspRequest(pair: OcspPair, nonce?: Uint8Array): Uint8Array {
  const extensions = nonce ? [new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))) })] : undefined;
  const request = new OCSPRequest({ tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: ocspCertId(pair) })], ...(extensions ? { requestExtensions: extensions } : {}) }) });
  return new Uint8Array(AsnConvert.serialize(request));
}

export type CheckOcspResponseParameters = {
  response: Uint8Array;
  pair: OcspPair;
  /** The verified device chain from `pair.issuer` up: a delegated responder must chain through it or to a pinned root. */
  issuerChain: readonly X509Certificate[];
  now: Date;
  pinnedRoots: readonly PinnedRoot[];
  /** The nonce the request carried; the answer must echo it. */
  nonce?: Uint8Array;
};

export type OcspResult = { status: "good"; thisUpdate: Date; nextUpdate: Date };

/**
 * Checks one OCSP answer for `pair.certificate`: a successful basic response, signed (over the exact
 * tbsResponseData bytes) by the issuer itself or by a responder certificate the issuer delegated (id-kp-OCSPSigning)
 * whose chain reaches a pinned root at `now`; a SingleResponse for this CertID; thisUpdate ≤ now < nextUpdate
 * (stale: COLLATERAL_EXPIRED); the nonce echoed when one was sent; and status good (revoked: CERT_REVOKED,
 * unknown: OCSP_CERT_UNKNOWN). Everything else is OCSP_RESPONSE_INVALID: never a pass.
 */
export function checkOcspResponse({ response, pair, issuerChain, now, pinnedRoots, nonce }: CheckOcspResponseParameters): OcspResult {
  const subject = pair.certificate.subject.replace(/\n/g, ", ");
  if (response.length > MAX_OCSP_RESPONSE_BYTES) throw invalidOcsp(`the answer is ${response.length} bytes (cap ${MAX_OCSP_RESPONSE_BYTES})`, subject);
  const basic = parseBasic(response, subject);
  const signer = responderCertificate(basic, pair, issuerChain, now, pinnedRoots, subject);
  const hash = SIGNATURE_HASHES[basic.signatureAlgorithm.algorithm];
  const signed = basic.tbsResponseDataRaw;
  if (!hash || !signed || !safeVerify(hash, signed, signer, basic.signature)) throw invalidOcsp("its signature does not verify with the responder's key", subject);

  const data = basic.tbsResponseData;
  if (nonce) {
    const echoed = data.responseExtensions?.find((extension) => extension.extnID === id_pkix_ocsp_nonce);
    const value = echoed ? unwrapNonce(echoed.extnValue.buffer) : undefined;
    if (!value || !Buffer.from(value).equals(Buffer.from(nonce))) throw invalidOcsp("it does not echo the request's nonce (a replayed answer)", subject);
  }
  const single = data.responses.find((candidate) => matches(candidate, pair));
  if (!single) throw invalidOcsp("it holds no response for this certificate", subject);
  const at = now.getTime();
  if (!single.nextUpdate || single.thisUpdate.getTime() > at + CLOCK_SKEW_MS || at >= single.nextUpdate.getTime()) {
    throw new TeezkError("COLLATERAL_EXPIRED", `The OCSP answer for ${subject} is not current at ${now.toISOString()}`, {
      details: `thisUpdate ${single.thisUpdate.toISOString()}, nextUpdate ${single.nextUpdate?.toISOString() ?? "absent"}`,
    });
  }
  if (single.certStatus.revoked) {
    throw new TeezkError("CERT_REVOKED", `The GPU device certificate ${subject} is revoked (OCSP)`, {
      details: `revoked at ${single.certStatus.revoked.revocationTime.toISOString()}`,
    });
  }
  if (single.certStatus.good === undefined) {
    throw new TeezkError("OCSP_CERT_UNKNOWN", `NVIDIA's OCSP responder does not know the GPU device certificate ${subject}`);
  }
  return { status: "good", thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate };
}

/** Whether `response` holds an answer for `pair` (a quick match before the full check; false for anything unparsable). */
export function ocspAnswersFor(response: Uint8Array, pair: OcspPair): boolean {
  return ocspWindow(response, pair) !== undefined;
}

/** The thisUpdate / nextUpdate of `response`'s answer for `pair`, unverified (the cache's freshness window). */
export function ocspWindow(response: Uint8Array, pair: OcspPair): { thisUpdate: Date; nextUpdate: Date | undefined } | undefined {
  try {
    const single = parseBasic(response, "").tbsResponseData.responses.find((candidate) => matches(candidate, pair));
    return single && { thisUpdate: single.thisUpdate, nextUpdate: single.nextUpdate };
  } catch {
    return undefined;
  }
}

export type CheckGpuChainOcspParameters = {
  /** The verified device chain, leaf first, ending at its root. */
  chain: readonly X509Certificate[];
  responses: readonly Uint8Array[] | undefined;
  now: Date;
  pinnedRoots: readonly PinnedRoot[];
};

/**
 * Revocation of a device chain by OCSP: every certificate below the root needs an answer that checks out
 * ("passed"); with no answer for some certificate it is "not_checked" (the policy decides); any answer that is
 * revoked, stale, unknown or invalid throws.
 */
export function checkGpuChainOcsp({ chain, responses, now, pinnedRoots }: CheckGpuChainOcspParameters): "passed" | "not_checked" {
  if (!responses || responses.length === 0) return "not_checked";
  let covered = 0;
  for (let index = 0; index < chain.length - 1; index++) {
    const pair = { certificate: chain[index]!, issuer: chain[index + 1]! };
    const response = responses.find((candidate) => ocspAnswersFor(candidate, pair));
    if (!response) continue;
    checkOcspResponse({ response, pair, issuerChain: chain.slice(index + 1), now, pinnedRoots });
    covered++;
  }
  return covered === chain.length - 1 ? "passed" : "not_checked";
}

function parseBasic(response: Uint8Array, subject: string): BasicOCSPResponse {
  let outer: OCSPResponse;
  try {
    outer = AsnConvert.parse(Buffer.from(response), OCSPResponse);
  } catch (error) {
    throw invalidOcsp("it is not a DER OCSPResponse", subject, error);
  }
  if (outer.responseStatus !== OCSPResponseStatus.successful || !outer.responseBytes) {
    throw invalidOcsp(`the responder answered ${OCSPResponseStatus[outer.responseStatus] ?? outer.responseStatus}`, subject);
  }
  if (outer.responseBytes.responseType !== id_pkix_ocsp_basic) throw invalidOcsp(`its response type is ${outer.responseBytes.responseType}, not basic`, subject);
  try {
    return AsnConvert.parse(outer.responseBytes.response.buffer, BasicOCSPResponse);
  } catch (error) {
    throw invalidOcsp("its BasicOCSPResponse does not parse", subject, error);
  }
}

/** The issuer itself, or a certificate it issued for OCSP signing whose chain reaches a pinned root. */
function responderCertificate(basic: BasicOCSPResponse, pair: OcspPair, issuerChain: readonly X509Certificate[], now: Date, pinnedRoots: readonly PinnedRoot[], subject: string): X509Certificate {
  const included = (basic.certs ?? []).slice(0, 4).map((certificate) => new X509Certificate(Buffer.from(AsnConvert.serialize(certificate))));
  const hash = SIGNATURE_HASHES[basic.signatureAlgorithm.algorithm];
  const signed = basic.tbsResponseDataRaw;
  const signer = [pair.issuer, ...included].find((candidate) => hash && signed && safeVerify(hash, signed, candidate, basic.signature));
  if (!signer) throw invalidOcsp("no certificate it names (nor the issuer) signed it", subject);
  if (signer === pair.issuer) return signer;
  if (!signer.checkIssued(pair.issuer) || !signer.verify(pair.issuer.publicKey) || !(signer.keyUsage ?? []).includes(id_kp_OCSPSigning)) {
    throw invalidOcsp("its responder certificate is not one the issuer delegated OCSP signing to", subject);
  }
  verifyCertificateChain({ chain: [signer, ...issuerChain], pinnedRoots, at: now, what: "OCSP responder chain" });
  return signer;
}

function matches(single: SingleResponse, pair: OcspPair): boolean {
  const hash = HASH_OIDS[single.certID.hashAlgorithm.algorithm];
  if (!hash) return false;
  const expected = ocspCertId(pair, hash);
  const eq = (a: ArrayBuffer, b: ArrayBuffer) => Buffer.from(a).equals(Buffer.from(b));
  return eq(single.certID.issuerNameHash.buffer, expected.issuerNameHash.buffer) && eq(single.certID.issuerKeyHash.buffer, expected.issuerKeyHash.buffer) && eq(single.certID.serialNumber, expected.serialNumber);
}

function safeVerify(hash: string, data: ArrayBuffer, certificate: X509Certificate, signature: ArrayBuffer): boolean {
  try {
    return verifySignature(hash, Buffer.from(data), certificate.publicKey, Buffer.from(signature));
  } catch {
    return false;
  }
}

/** The nonce extension's value is an OCTET STRING holding the nonce (RFC 8954); some responders send it bare. */
function unwrapNonce(value: ArrayBuffer): Uint8Array {
  try {
    return new Uint8Array(AsnConvert.parse(value, OctetString).buffer);
  } catch {
    return new Uint8Array(value);
  }
}

function invalidOcsp(reason: string, subject: string, cause?: unknown): TeezkError {
  return new TeezkError("OCSP_RESPONSE_INVALID", `The OCSP answer for ${subject} is refused: ${reason}`, cause === undefined ? {} : { cause });
}
