import type { X509Certificate } from "node:crypto";
import { certificateSha256 } from "../../util/x509.js";
import type { SnpCollateral, SnpCrl } from "./types.js";

export type CreateSnpCollateralParameters = {
  certificates?: readonly X509Certificate[];
  crls?: readonly SnpCrl[];
  /** Collateral to merge in, e.g. a sample folder and the product roots folder. */
  merge?: readonly SnpCollateral[];
};

export type CreateSnpCollateralReturnType = SnpCollateral;

/** The subject CN of a certificate (node prints the subject one attribute per line). */
export function subjectCommonName(cert: X509Certificate): string | undefined {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1];
}

/**
 * Sorts certificates into ARK / ASK / ASVK / VCEK / VLEK by subject CN — AMD names them ARK-<product>,
 * SEV-<product>, SEV-VLEK-<product>, SEV-VCEK and SEV-VLEK — so file names never matter. Certificates with
 * other names are ignored; duplicates (same DER) are kept once.
 */
export function createSnpCollateral({ certificates = [], crls = [], merge = [] }: CreateSnpCollateralParameters): CreateSnpCollateralReturnType {
  const out: SnpCollateral = { arks: [], asks: [], asvks: [], vceks: [], vleks: [], crls: [] };
  const seen = new Set<string>();
  const add = (cert: X509Certificate) => {
    const fingerprint = certificateSha256(cert);
    if (seen.has(fingerprint)) return;
    const cn = subjectCommonName(cert) ?? "";
    const bucket = /^ARK-/.test(cn)
      ? out.arks
      : cn === "SEV-VCEK"
        ? out.vceks
        : cn === "SEV-VLEK"
          ? out.vleks
          : /^SEV-VLEK-/.test(cn)
            ? out.asvks
            : /^SEV-/.test(cn)
              ? out.asks
              : undefined;
    if (!bucket) return;
    seen.add(fingerprint);
    bucket.push(cert);
  };
  const seenCrls = new Set<string>();
  const addCrl = (crl: SnpCrl) => {
    const key = Buffer.from(crl.der).toString("base64");
    if (seenCrls.has(key)) return;
    seenCrls.add(key);
    out.crls.push(crl);
  };
  for (const part of merge) {
    [...part.arks, ...part.asks, ...part.asvks, ...part.vceks, ...part.vleks].forEach(add);
    part.crls.forEach(addCrl);
  }
  certificates.forEach(add);
  crls.forEach(addCrl);
  return out;
}
