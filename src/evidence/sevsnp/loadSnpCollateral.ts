import type { X509Certificate } from "node:crypto";
import { basename, extname } from "node:path";
import { TeezkError } from "../../errors/index.js";
import { collateralFolder, type CollateralFiles } from "../collateralFiles.js";
import { parseCertificate } from "../../util/x509.js";
import { MAX_SNP_COLLATERAL_FILES, MAX_SNP_COLLATERAL_FILE_BYTES } from "./constants.js";
import { createSnpCollateral } from "./createSnpCollateral.js";
import type { SnpCollateral, SnpCrl } from "./types.js";

export type LoadSnpCollateralReturnType = SnpCollateral;

const CERT_EXTENSIONS = new Set([".pem", ".der", ".cer", ".crt", ".crl"]);
const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/g;

/**
 * Reads AMD certificates and CRLs from one or several folders (not recursive): every `.pem/.der/.cer/.crt/.crl`
 * file, DER or PEM, one or several objects per file (AMD's `cert_chain` holds ASK and ARK together). Other
 * files (reports, PROVENANCE.md) are skipped. Objects are classified by subject CN, not by file name; a file
 * with a certificate extension that holds nothing parseable is COLLATERAL_INVALID. Whether what is needed is
 * present is decided at verification (COLLATERAL_MISSING names the missing item).
 */
export function loadSnpCollateral(dir: string | readonly string[]): LoadSnpCollateralReturnType {
  return loadSnpCollateralFiles((typeof dir === "string" ? [dir] : dir).map(collateralFolder));
}

/** `loadSnpCollateral` over any collateral sets: folders, or files received in memory. */
export function loadSnpCollateralFiles(sets: readonly CollateralFiles[]): LoadSnpCollateralReturnType {
  const certificates: X509Certificate[] = [];
  const crls: SnpCrl[] = [];
  for (const set of sets) {
    const names = set.names();
    if (names === undefined) throw new TeezkError("COLLATERAL_MISSING", `The SEV-SNP collateral folder ${set.source} cannot be read`);
    const files = names.filter((name) => CERT_EXTENSIONS.has(extname(name).toLowerCase()));
    if (files.length > MAX_SNP_COLLATERAL_FILES) {
      throw new TeezkError("COLLATERAL_INVALID", `The collateral folder ${set.source} holds more than ${MAX_SNP_COLLATERAL_FILES} certificate files`);
    }
    for (const name of files) {
      const size = set.size(name);
      if (size === undefined) continue;
      if (size > MAX_SNP_COLLATERAL_FILE_BYTES) {
        throw new TeezkError("COLLATERAL_INVALID", `Collateral file ${name} is ${size} bytes, over the ${MAX_SNP_COLLATERAL_FILE_BYTES}-byte cap`);
      }
      readCollateralFile(Buffer.from(set.read(name)!), set.pathOf(name), certificates, crls);
    }
  }
  return createSnpCollateral({ certificates, crls });
}

function readCollateralFile(bytes: Buffer, path: string, certificates: X509Certificate[], crls: SnpCrl[]): void {
  const name = basename(path);
  const text = bytes.toString("latin1");
  if (text.includes("-----BEGIN ")) {
    const certBlocks = text.match(PEM_CERT) ?? [];
    certBlocks.forEach((block, index) => certificates.push(parseCertificate(block, `certificate ${index} in ${name}`)));
    let found = certBlocks.length;
    for (const match of text.matchAll(PEM_CRL)) {
      crls.push({ der: new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ""), "base64")), source: name });
      found++;
    }
    if (found === 0) throw new TeezkError("COLLATERAL_INVALID", `Collateral file ${name} holds no PEM certificate or CRL`);
    return;
  }
  // DER: try a certificate first; anything else that is a SEQUENCE is kept as a CRL and fully checked
  // (structure, signature, dates) when a chain it belongs to is verified.
  try {
    certificates.push(parseCertificate(new Uint8Array(bytes), name));
  } catch (certError) {
    if (!looksLikeDerSequence(bytes)) {
      throw new TeezkError("COLLATERAL_INVALID", `Collateral file ${name} is neither PEM nor DER`, { cause: certError });
    }
    crls.push({ der: new Uint8Array(bytes), source: name });
  }
}

function looksLikeDerSequence(bytes: Uint8Array): boolean {
  return bytes.length > 4 && bytes[0] === 0x30;
}
