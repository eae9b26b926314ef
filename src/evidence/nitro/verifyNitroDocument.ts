import { verify as verifySignature, type X509Certificate } from "node:crypto";
import { TeezkError } from "../../errors/index.js";
import { assertValidAt, parseCertificate, verifyCertificateChain } from "../../util/x509.js";
import type { VerifiedEvidence, VerifyEvidenceParameters } from "../types.js";
import { MAX_NITRO_DOCUMENT_BYTES, NITRO_CLOCK_SKEW_MS, NITRO_PINNED_ROOTS } from "./constants.js";
import { nitroClaims } from "./nitroClaims.js";
import { nitroSigStructure } from "./nitroSigStructure.js";
import { parseNitroDocument } from "./parseNitroDocument.js";

export type VerifyNitroDocumentParameters = VerifyEvidenceParameters;
export type VerifyNitroDocumentReturnType = VerifiedEvidence;
export type VerifyNitroDocumentErrorType = TeezkError;

const ES384_SIGNATURE_BYTES = 96;

/**
 * Verifies an AWS Nitro Enclaves attestation document and returns its DESIGN §2 claims.
 *
 * Steps, in order (the first failure throws):
 * 1. size cap, COSE_Sign1 structure, ES384 in the protected header, the document against the AWS CDDL;
 * 2. the chain `certificate` → `cabundle[n-1]` → … → `cabundle[0]`, linked by issuer and signature, ending at a
 *    pinned root (AWS Root-G1, plus `extraTrustedRoots`), every certificate valid at the document timestamp;
 * 3. the ES384 signature (raw r‖s) over the COSE Sig_structure with the leaf key;
 * 4. `now` is not before the document time (beyond a NITRO_CLOCK_SKEW_MS allowance): EVIDENCE_FROM_FUTURE;
 * 5. every certificate is also valid at `now`.
 *
 * Why both times (steps 2 and 5): the document time is chosen by the hypervisor, so a chain valid only then
 * proves the document was signed while AWS vouched for the key; checking `now` as well means a verifier never
 * accepts a document whose leaf (it lives about three hours) or bundle has since expired, so a stale document
 * cannot be replayed indefinitely. Verifying "as of" a document (now = its timestamp) passes both; verifying an
 * old document at today's date fails with CERT_EXPIRED. Within the skew allowance before the document time,
 * step 5 uses the document time, since a slightly slow verifier clock must not make a fresh leaf look
 * not-yet-valid.
 *
 * Caller responsibilities: the PCR values, the nonce and the user_data binding are returned, not judged; a
 * policy appraises them (measurement allowlist, debug, freshness, binding).
 *
 * @throws TeezkError INPUT_EMPTY, INPUT_TOO_LARGE, TRUNCATED, TRAILING_DATA, COSE_INVALID, UNSUPPORTED_ALGORITHM,
 *   NITRO_DOCUMENT_INVALID, CERT_PARSE, CERT_CHAIN_INVALID, ROOT_NOT_TRUSTED, CERT_EXPIRED, SIGNATURE_INVALID,
 *   EVIDENCE_FROM_FUTURE
 * @example
 * const { bytes } = decodeEvidenceInput(file, MAX_NITRO_DOCUMENT_BYTES);
 * const { claims } = verifyNitroDocument({ evidence: bytes, now: new Date() });
 */
export function verifyNitroDocument(parameters: VerifyNitroDocumentParameters): VerifyNitroDocumentReturnType {
  const { evidence, now, extraTrustedRoots = [], rootCertificates = [] } = parameters;
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new TeezkError("CONFIG_INVALID", "verifyNitroDocument needs `now` as a valid Date");
  }
  if (evidence.length > MAX_NITRO_DOCUMENT_BYTES) {
    throw new TeezkError("INPUT_TOO_LARGE", `Nitro document of ${evidence.length} bytes exceeds the ${MAX_NITRO_DOCUMENT_BYTES}-byte cap`);
  }
  const document = parseNitroDocument(evidence);
  const documentTime = new Date(document.timestamp);

  const leaf = parseCertificate(document.certificate, "Nitro signing certificate");
  const bundle = document.cabundle.map((der, index) => parseCertificate(der, `Nitro cabundle[${index}]`));
  // The bundle runs root-first; the chain helper wants leaf-first.
  const { chain, rootSha256 } = verifyCertificateChain({
    chain: [leaf, ...bundle.reverse()],
    pinnedRoots: [...NITRO_PINNED_ROOTS, ...extraTrustedRoots],
    extraRoots: rootCertificates,
    at: documentTime,
    what: "Nitro certificate chain",
  });

  verifyCoseSignature(leaf, document.cose.protectedHeader, document.cose.payload, document.cose.signature);

  if (now.getTime() < document.timestamp - NITRO_CLOCK_SKEW_MS) {
    throw new TeezkError("EVIDENCE_FROM_FUTURE", "The Nitro document is dated after the verification time", {
      details: `document ${documentTime.toISOString()}, now ${now.toISOString()}, allowed skew ${NITRO_CLOCK_SKEW_MS / 1000} s`,
    });
  }
  const checkAt = now < documentTime ? documentTime : now;
  chain.forEach((cert, index) => assertValidAt(cert, checkAt, `Nitro certificate chain certificate ${index} (at the verification time)`));

  const { claims, registers } = nitroClaims(document, rootSha256);
  return {
    claims,
    registers,
    checks: { signature: "passed", certChain: "passed", validity: "passed" },
    advisoryIds: [],
  };
}

function verifyCoseSignature(leaf: X509Certificate, protectedHeader: Uint8Array, payload: Uint8Array, signature: Uint8Array): void {
  const key = leaf.publicKey;
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "secp384r1") {
    throw new TeezkError("UNSUPPORTED_ALGORITHM", "The Nitro signing certificate does not hold a P-384 key, as ES384 requires", {
      details: `key ${key.asymmetricKeyType ?? "unknown"} ${key.asymmetricKeyDetails?.namedCurve ?? ""}`.trim(),
    });
  }
  if (signature.length !== ES384_SIGNATURE_BYTES) {
    throw new TeezkError("SIGNATURE_INVALID", `The COSE signature is ${signature.length} bytes; ES384 r‖s is ${ES384_SIGNATURE_BYTES}`);
  }
  let valid: boolean;
  try {
    valid = verifySignature("sha384", nitroSigStructure(protectedHeader, payload), { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch (error) {
    throw new TeezkError("SIGNATURE_INVALID", "The COSE signature could not be checked", { cause: error, details: String(error) });
  }
  if (!valid) {
    throw new TeezkError("SIGNATURE_INVALID", "The COSE_Sign1 signature does not verify with the Nitro signing certificate's key", {
      metaMessages: ["The document was altered after signing, or signed by a key other than its certificate's."],
    });
  }
}
