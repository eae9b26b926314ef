import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../../errors/index.js";
import { collateralFolder, type CollateralFiles } from "../../collateralFiles.js";
import { extractJsonMember } from "./extractJsonMember.js";
import { parseDcapCrl } from "./parseDcapCrl.js";
import { parseEnclaveIdentity } from "./parseEnclaveIdentity.js";
import { parseTcbInfo } from "./parseTcbInfo.js";
import { certificate, parseJson, pemChain, signatureBytes } from "./collateralFields.js";
import { parseDcapQvlCollateral } from "./parseDcapQvlCollateral.js";
import type { DcapCollateral, DcapCrl, SignedCollateral } from "./types.js";

/** Largest collateral file read: Intel's TCB info is ~10 KiB, dcap-qvl's collateral.json ~16 KiB. */
export const MAX_COLLATERAL_FILE_BYTES = 4 << 20;

/** File names of the Intel PCS layout (one file per PCS response). */
export const PCS_FILES = {
  tcbInfo: "tcb_info.json",
  qeIdentity: "qe_identity.json",
  tcbSigningCert: "tcb_signing_cert.der",
  tcbSigningChainPem: "tcb_signing_chain.pem",
  pckPlatformCa: "pck_platform_ca.der",
  pckProcessorCa: "pck_processor_ca.der",
  pckPlatformCrl: "pck_platform_crl.der",
  pckProcessorCrl: "pck_processor_crl.der",
  rootCaCrl: "intel_root_ca_crl.der",
} as const;

/** The dcap-qvl layout: one JSON file with hex CRLs and signed JSON strings. */
export const DCAP_QVL_FILE = "collateral.json";

export type LoadDcapCollateralErrorType = TeezkError;

/**
 * Reads a DCAP collateral folder in either layout: dcap-qvl's `collateral.json` (used alone when present) or
 * Intel PCS files (tcb_info.json, qe_identity.json, tcb_signing_cert.der, pck_*_crl.der,
 * intel_root_ca_crl.der, pck_*_ca.der). Every item is optional; nothing is verified here (signatures,
 * chains, freshness and revocation are `appraiseDcapCollateral`'s job, which needs `now` and the PCK chain).
 * Malformed files fail with COLLATERAL_INVALID naming the file.
 */
export function loadDcapCollateral(dir: string): DcapCollateral {
  return loadDcapCollateralFiles(collateralFolder(dir));
}

/** `loadDcapCollateral` over any collateral set: a folder, or files received in memory. */
export function loadDcapCollateralFiles(files: CollateralFiles): DcapCollateral {
  const { source } = files;
  if (files.names() === undefined) {
    throw new TeezkError("COLLATERAL_MISSING", `The DCAP collateral folder does not exist: ${source}`);
  }
  const read = (name: string): { bytes: Uint8Array; path: string } | undefined => {
    const size = files.size(name);
    if (size === undefined) return undefined;
    const path = files.pathOf(name);
    if (size > MAX_COLLATERAL_FILE_BYTES) {
      throw new TeezkError("COLLATERAL_INVALID", `${path}: ${size} bytes exceeds the ${MAX_COLLATERAL_FILE_BYTES}-byte collateral cap`);
    }
    return { bytes: files.read(name)!, path };
  };
  const qvl = read(DCAP_QVL_FILE);
  if (qvl) return parseDcapQvlCollateral(qvl.bytes, qvl.path);

  const collateral: DcapCollateral = { source };
  const tcbInfoFile = read(PCS_FILES.tcbInfo);
  if (tcbInfoFile) collateral.tcbInfo = parsePcsSigned(tcbInfoFile.bytes, tcbInfoFile.path, "tcbInfo", parseTcbInfo);
  const qeIdentityFile = read(PCS_FILES.qeIdentity);
  if (qeIdentityFile) {
    collateral.qeIdentity = parsePcsSigned(qeIdentityFile.bytes, qeIdentityFile.path, "enclaveIdentity", parseEnclaveIdentity);
  }

  const signingDer = read(PCS_FILES.tcbSigningCert);
  const signingPem = read(PCS_FILES.tcbSigningChainPem);
  if (signingDer && signingPem) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: both ${PCS_FILES.tcbSigningCert} and ${PCS_FILES.tcbSigningChainPem} are present; keep one`);
  }
  if (signingDer) collateral.tcbSigningChain = [certificate(signingDer.bytes, signingDer.path)];
  if (signingPem) collateral.tcbSigningChain = pemChain(Buffer.from(signingPem.bytes).toString("latin1"), signingPem.path);

  // PCS serves CRLs as DER or PEM; PEM (`<name>.pem`) is also what travels in a text-only attestation answer.
  const readCrl = (derName: string): DcapCrl | undefined => {
    const file = read(derName) ?? read(derName.replace(/\.der$/, ".pem"));
    return file ? parseDcapCrl(crlDer(file.bytes, file.path), file.path) : undefined;
  };
  const pckCrls = [PCS_FILES.pckPlatformCrl, PCS_FILES.pckProcessorCrl].map(readCrl).filter((crl): crl is DcapCrl => crl !== undefined);
  if (pckCrls.length > 0) collateral.pckCrls = pckCrls;
  const rootCrl = readCrl(PCS_FILES.rootCaCrl);
  if (rootCrl) collateral.rootCaCrl = rootCrl;

  const issuers: X509Certificate[] = [];
  for (const name of [PCS_FILES.pckPlatformCa, PCS_FILES.pckProcessorCa]) {
    const file = read(name);
    if (file) issuers.push(certificate(file.bytes, file.path));
  }
  if (issuers.length > 0) collateral.pckCrlIssuerChain = issuers;
  return collateral;
}

function parsePcsSigned<T>(
  bytes: Uint8Array,
  source: string,
  member: "tcbInfo" | "enclaveIdentity",
  parse: (json: unknown, source: string) => T,
): SignedCollateral<T> {
  const whole = parseJson(Buffer.from(bytes).toString("utf8"), source) as Record<string, unknown>;
  const signedBytes = new Uint8Array(extractJsonMember(bytes, member, source));
  return { body: parse(whole[member], source), signedBytes, signature: signatureBytes(whole.signature, `${source} signature`), source };
}

/** The DER of a CRL file that holds DER or one PEM `X509 CRL` block. */
function crlDer(bytes: Uint8Array, path: string): Uint8Array {
  const text = Buffer.from(bytes).toString("latin1");
  if (!text.trimStart().startsWith("-----BEGIN X509 CRL-----")) return bytes;
  const match = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  if (!match) throw new TeezkError("COLLATERAL_INVALID", `${path}: a PEM CRL without its END line`);
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ""), "base64"));
}
