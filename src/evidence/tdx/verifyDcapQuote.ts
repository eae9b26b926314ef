import { createPublicKey, hash, verify as verifySignature, type KeyObject, type X509Certificate } from "node:crypto";
import { TcbStatus, TeeType, type Checks, type VerifiedEvidence } from "../../claims/types.js";
import { measurementDigest } from "../../claims/measurementDigest.js";
import { TeezkError } from "../../errors/index.js";
import { bytesEqual, isAllZero, toBytes32, toHex, type Hex } from "../../util/bytes.js";
import { certificateSha256, parsePemBundle, type PinnedRoot } from "../../util/x509.js";
import type { VerifyEvidenceParameters } from "../types.js";
import { appraiseDcapCollateral, type DcapCollateral } from "./collateral/index.js";
import { BoundedCache } from "./collateral/BoundedCache.js";
import { parseCertificateCached } from "./collateral/parseCertificateCached.js";
import { parsePckExtensionsCached } from "./collateral/parsePckExtensionsCached.js";
import { verifyCertificateChainCached } from "./collateral/verifyCertificateChainCached.js";
import { INTEL_PINNED_ROOTS, MAX_PCK_CHAIN_CERTIFICATES, TEE_TYPE_TDX } from "./constants.js";
import { parseDcapQuote } from "./parseDcapQuote.js";
import type { ParsedDcapQuote, SgxEnclaveReport, TdReport } from "./types.js";

export type VerifyDcapQuoteParameters = VerifyEvidenceParameters<DcapCollateral> & {
  /** Unsigned bytes tolerated after the signature data (default 4096; 0 rejects any). */
  maxTrailingBytes?: number;
};
export type VerifyDcapQuoteReturnType = VerifiedEvidence;
export type VerifyDcapQuoteErrorType =
  | "INPUT_EMPTY"
  | "INPUT_TOO_LARGE"
  | "TRUNCATED"
  | "TRAILING_DATA"
  | "QUOTE_INVALID"
  | "UNSUPPORTED_VERSION"
  | "UNSUPPORTED_ALGORITHM"
  | "CERT_PARSE"
  | "CERT_CHAIN_INVALID"
  | "CERT_EXPIRED"
  | "ROOT_NOT_TRUSTED"
  | "SIGNATURE_INVALID"
  | "QE_REPORT_INVALID";

// DER SubjectPublicKeyInfo prefix of an uncompressed P-256 point: the attestation key arrives as raw x ‖ y.
const P256_SPKI_PREFIX = Buffer.from("3059301306072a8648ce3d020106082a8648ce3d030107034200", "hex");
const INTEL_PCK_LEAF_CN = "Intel SGX PCK Certificate";

/**
 * Verifies an Intel DCAP quote (TDX v4/v5, SGX v3/v4) and returns its Claims. Order of checks:
 * 1. structure (parseDcapQuote), 2. PCK chain to a pinned root, every certificate valid at `now`,
 * 3. QE report signed by the PCK leaf key, 4. QE report data = sha256(attestation key ‖ QE auth data) ‖ 0³²,
 * 5. quote signed by the attestation key, 6. with collateral: TCB info, QE identity and CRLs
 * (appraiseDcapCollateral). Without collateral the TCB status is UNKNOWN and those checks are "not_checked".
 *
 * Caller responsibilities: report-data binding, measurement allowlists, debug and TCB status policy live in
 * `policy`; a debug TD or enclave verifies here and is flagged in `claims.debug`.
 *
 * @example
 * const { claims } = verifyDcapQuote({ evidence: quoteBytes, now: new Date(), collateral: loadDcapCollateral(dir) });
 */
export function verifyDcapQuote(parameters: VerifyDcapQuoteParameters): VerifyDcapQuoteReturnType {
  const { evidence, now, collateral, extraTrustedRoots = [], rootCertificates = [], maxTrailingBytes } = parameters;
  const quote = parseDcapQuote(evidence, maxTrailingBytes === undefined ? {} : { maxTrailingBytes });
  const isTdx = quote.header.teeType === TEE_TYPE_TDX;

  const pem = parsePckChainPem(quote.pckChainPem);
  if (pem.length < 2 || pem.length > MAX_PCK_CHAIN_CERTIFICATES) {
    throw new TeezkError("CERT_CHAIN_INVALID", `The PCK chain holds ${pem.length} certificates (2 to ${MAX_PCK_CHAIN_CERTIFICATES} expected: leaf, PCK CA, root)`);
  }
  const pinnedRoots: readonly PinnedRoot[] = extraTrustedRoots.length ? [...INTEL_PINNED_ROOTS, ...extraTrustedRoots] : INTEL_PINNED_ROOTS;
  // Chain signatures are remembered per platform (pure in the DER); validity windows are judged at `now`.
  const verifiedPckChain = verifyCertificateChainCached({
    chain: pem,
    pinnedRoots,
    extraRoots: rootCertificates,
    at: now,
    what: "PCK certificate chain",
  });
  const { chain, rootSha256, rootName } = verifiedPckChain;
  const leaf = chain[0]!;
  if (leaf.ca) throw new TeezkError("CERT_CHAIN_INVALID", "The PCK leaf certificate is a CA certificate");
  // Intel's root also signs the TCB signing certificate; only a PCK certificate may vouch for a QE.
  if (INTEL_PINNED_ROOTS.some((pin) => `0x${pin.sha256}` === rootSha256) && !leaf.subject.split("\n").includes(`CN=${INTEL_PCK_LEAF_CN}`)) {
    throw new TeezkError("CERT_CHAIN_INVALID", `The leaf of the Intel chain is not an "${INTEL_PCK_LEAF_CN}"`, {
      details: `subject ${leaf.subject.replace(/\n/g, ", ")}`,
    });
  }

  const pckKey = p256Key(leaf);
  if (!ecdsaP256Verify(pckKey, quote.qeReport.raw, quote.qeReportSignature)) {
    throw new TeezkError("QE_REPORT_INVALID", "The QE report signature does not verify with the PCK leaf key");
  }
  const binding = hash("sha256", Buffer.concat([quote.attestationKey, quote.qeAuthData]), "buffer");
  const reportData = quote.qeReport.reportData;
  if (!bytesEqual(reportData.subarray(0, 32), binding) || !isAllZero(reportData.subarray(32))) {
    throw new TeezkError("QE_REPORT_INVALID", "The QE report data does not bind the attestation key", {
      details: `expected sha256(attestation key ‖ QE auth data) = ${toHex(binding)} followed by 32 zero bytes, got ${toHex(reportData)}`,
    });
  }

  const attestationKey = attestationKeyObject(quote.attestationKey);
  if (!ecdsaP256Verify(attestationKey, quote.signedBytes, quote.signature)) {
    throw new TeezkError("SIGNATURE_INVALID", "The quote signature does not verify with the attestation key");
  }

  let tcbStatus: TcbStatus = TcbStatus.UNKNOWN;
  let advisoryIds: string[] = [];
  let collateralChecks: Checks = { tcbInfo: "not_checked", qeIdentity: "not_checked", pckRevocation: "not_checked", rootRevocation: "not_checked" };
  if (collateral) {
    const appraisal = appraiseDcapCollateral({
      collateral,
      pckChain: chain,
      verifiedPckChain,
      qeReport: {
        miscselect: quote.qeReport.miscSelect,
        attributes: quote.qeReport.attributes,
        mrsigner: quote.qeReport.mrSigner,
        isvProdId: quote.qeReport.isvProdId,
        isvSvn: quote.qeReport.isvSvn,
      },
      teeType: isTdx ? "tdx" : "sgx",
      ...(quote.body.kind === "sgx"
        ? {}
        : {
            teeTcbSvn: quote.body.report.teeTcbSvn,
            tdxModule: { mrSignerSeam: quote.body.report.mrSignerSeam, seamAttributes: quote.body.report.seamAttributes },
          }),
      now,
      ...(extraTrustedRoots.length ? { extraTrustedRoots } : {}),
    });
    tcbStatus = appraisal.tcbStatus;
    advisoryIds = appraisal.advisoryIds;
    collateralChecks = appraisal.checks;
  }

  const platformId = certificateSha256(leaf);
  const registers = quoteRegisters(quote, leaf, rootName);
  const common = {
    platformId,
    rootHash: rootSha256,
    timestamp: BigInt(Math.floor(now.getTime() / 1000)),
    tcbStatus,
  };
  const checks: Checks = { signature: "passed", certChain: "passed", validity: "passed", qeReport: "passed", ...collateralChecks };
  if (quote.body.kind === "sgx") {
    const report = quote.body.report;
    return {
      claims: {
        teeType: TeeType.SGX,
        measurement: measurementDigest([report.mrEnclave, report.mrSigner]),
        reportData: toBytes32(report.reportData),
        ...common,
        svn: report.isvSvn,
        debug: (report.attributes[0]! & 0x02) !== 0,
      },
      registers,
      checks,
      advisoryIds,
    };
  }
  const report = quote.body.report;
  return {
    claims: {
      teeType: TeeType.TDX,
      measurement: measurementDigest([report.mrTd, report.mrConfigId, report.rtmr0, report.rtmr1, report.rtmr2]),
      reportData: toBytes32(report.reportData),
      ...common,
      // TEE_TCB_SVN bytes 0 and 1 are the TDX module's SVN (minor, major).
      svn: (report.teeTcbSvn[1]! << 8) | report.teeTcbSvn[0]!,
      debug: (report.tdAttributes[0]! & 0x01) !== 0,
    },
    registers,
    checks,
    advisoryIds,
  };
}

/**
 * Parsed PCK chains by their PEM text: a platform presents the same chain in every quote, and X.509 parsing is
 * a pure function of the text (node's X509Certificate is immutable, so sharing the objects is safe).
 */
const pckChainPems = new BoundedCache<string, readonly X509Certificate[]>(256);

function parsePckChainPem(text: string): X509Certificate[] {
  // Keyed by a digest, not the text: a hostile quote's PEM may be tens of KiB, and keys must stay small.
  const key = hash("sha256", text, "hex");
  const cached = pckChainPems.get(key);
  if (cached) return [...cached];
  const certificates = parsePemBundle(text, "PCK certificate chain", parseCertificateCached);
  pckChainPems.set(key, Object.freeze([...certificates]));
  return certificates;
}

function pckRegisters(leaf: X509Certificate): Record<string, Hex | number> {
  try {
    const pck = parsePckExtensionsCached(leaf);
    return { fmspc: toHex(pck.fmspc), pceId: toHex(pck.pceId), pckCpuSvn: toHex(pck.cpuSvn), pckPceSvn: pck.pceSvn };
  } catch {
    // The FMSPC is informative here; the collateral appraisal, which depends on it, raises its own error.
    return {};
  }
}

function quoteRegisters(quote: ParsedDcapQuote, leaf: X509Certificate, rootName: string): VerifiedEvidence["registers"] {
  const registers: VerifiedEvidence["registers"] = {
    quoteVersion: quote.header.version,
    teeTypeRaw: toHex(Uint8Array.of(quote.header.teeType)),
    qeVendorId: toHex(quote.header.qeVendorId),
    userData: toHex(quote.header.userData),
    qeSvn: quote.header.qeSvn,
    pceSvn: quote.header.pceSvn,
    qeMrEnclave: toHex(quote.qeReport.mrEnclave),
    qeMrSigner: toHex(quote.qeReport.mrSigner),
    qeIsvProdId: quote.qeReport.isvProdId,
    qeIsvSvn: quote.qeReport.isvSvn,
    attestationKey: toHex(quote.attestationKey),
    rootName,
    trailingBytes: quote.trailing.length,
    trailingNonZero: !isAllZero(quote.trailing),
  };
  if (quote.bodyType !== undefined) registers.bodyType = quote.bodyType;
  Object.assign(registers, pckRegisters(leaf));
  if (quote.body.kind === "sgx") Object.assign(registers, sgxRegisters(quote.body.report));
  else Object.assign(registers, tdRegisters(quote.body.report));
  return registers;
}

function sgxRegisters(report: SgxEnclaveReport): Record<string, Hex | number> {
  return {
    cpuSvn: toHex(report.cpuSvn),
    miscSelect: report.miscSelect,
    attributes: toHex(report.attributes),
    mrEnclave: toHex(report.mrEnclave),
    mrSigner: toHex(report.mrSigner),
    isvProdId: report.isvProdId,
    isvSvn: report.isvSvn,
    reportData: toHex(report.reportData),
  };
}

function tdRegisters(report: TdReport): Record<string, Hex> {
  const out: Record<string, Hex> = {
    teeTcbSvn: toHex(report.teeTcbSvn),
    mrSeam: toHex(report.mrSeam),
    mrSignerSeam: toHex(report.mrSignerSeam),
    seamAttributes: toHex(report.seamAttributes),
    tdAttributes: toHex(report.tdAttributes),
    xfam: toHex(report.xfam),
    mrTd: toHex(report.mrTd),
    mrConfigId: toHex(report.mrConfigId),
    mrOwner: toHex(report.mrOwner),
    mrOwnerConfig: toHex(report.mrOwnerConfig),
    rtmr0: toHex(report.rtmr0),
    rtmr1: toHex(report.rtmr1),
    rtmr2: toHex(report.rtmr2),
    rtmr3: toHex(report.rtmr3),
    reportData: toHex(report.reportData),
  };
  if (report.teeTcbSvn2) out.teeTcbSvn2 = toHex(report.teeTcbSvn2);
  if (report.mrServiceTd) out.mrServiceTd = toHex(report.mrServiceTd);
  return out;
}

function p256Key(cert: X509Certificate): KeyObject {
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "prime256v1") {
    throw new TeezkError("UNSUPPORTED_ALGORITHM", "The PCK leaf key is not ECDSA P-256", {
      details: `${key.asymmetricKeyType} ${key.asymmetricKeyDetails?.namedCurve ?? ""}`,
    });
  }
  return key;
}

/** KeyObjects by the raw attestation key: a QE keeps its key until it restarts, and importing costs ~40 µs. */
const attestationKeys = new BoundedCache<string, KeyObject>(256);

function attestationKeyObject(raw: Uint8Array): KeyObject {
  const hex = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString("hex");
  const cached = attestationKeys.get(hex);
  if (cached) return cached;
  try {
    const key = createPublicKey({ key: Buffer.concat([P256_SPKI_PREFIX, Uint8Array.of(0x04), raw]), format: "der", type: "spki" });
    attestationKeys.set(hex, key);
    return key;
  } catch (error) {
    throw new TeezkError("SIGNATURE_INVALID", "The attestation key is not a P-256 point", { cause: error });
  }
}

function ecdsaP256Verify(key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verifySignature("sha256", data, { key, dsaEncoding: "ieee-p1363" }, signature);
  } catch {
    return false;
  }
}
