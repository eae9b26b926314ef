import { X509Certificate } from "node:crypto";
import { TeezkError } from "../errors/index.js";
import type { Hex } from "./bytes.js";

/** A vendor root pinned by the SHA-256 of its DER (lowercase hex, no separators). */
export type PinnedRoot = { name: string; sha256: string };

export function parseCertificate(input: Uint8Array | string, what = "certificate"): X509Certificate {
  try {
    return new X509Certificate(typeof input === "string" ? input : Buffer.from(input));
  } catch (error) {
    throw new TeezkError("CERT_PARSE", `Could not parse the ${what}`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
}

const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
const PEM_END = "-----END CERTIFICATE-----";

/**
 * Every certificate in a PEM bundle, in file order. Tolerates a missing final newline and stray text. `parse`
 * turns one PEM block into a certificate (a verifier that sees the same certificates again may remember them).
 */
export function parsePemBundle(pem: string, what = "certificate chain", parse: (block: string, what: string) => X509Certificate = parseCertificate): X509Certificate[] {
  const blocks = pemBlocks(pem);
  if (blocks.length === 0) throw new TeezkError("CERT_PARSE", `The ${what} holds no PEM certificate`);
  return blocks.map((block, index) => parse(block, `${what} entry ${index}`));
}

/** Each BEGIN marker up to the first END marker after it (what /BEGIN[\s\S]*?END/g finds), found by indexOf. */
function pemBlocks(pem: string): string[] {
  const blocks: string[] = [];
  for (let begin = pem.indexOf(PEM_BEGIN); begin !== -1; ) {
    const end = pem.indexOf(PEM_END, begin + PEM_BEGIN.length);
    if (end === -1) break;
    blocks.push(pem.slice(begin, end + PEM_END.length));
    begin = pem.indexOf(PEM_BEGIN, end + PEM_END.length);
  }
  return blocks;
}

export function certificateSha256(cert: X509Certificate): Hex {
  return `0x${cert.fingerprint256.replaceAll(":", "").toLowerCase()}`;
}

export function assertValidAt(cert: X509Certificate, at: Date, what: string): void {
  if (at < cert.validFromDate || at > cert.validToDate) {
    throw new TeezkError("CERT_EXPIRED", `The ${what} is not valid at ${at.toISOString()}`, {
      details: `valid ${cert.validFromDate.toISOString()} .. ${cert.validToDate.toISOString()}; subject ${cert.subject.replace(/\n/g, ", ")}`,
    });
  }
}

export type VerifyChainParameters = {
  /** Leaf first, then intermediates; may end with the root (it is then checked against the pins). */
  chain: readonly X509Certificate[];
  pinnedRoots: readonly PinnedRoot[];
  /** Certificates to complete the chain when it stops below the root (a vendor root shipped as collateral). */
  extraRoots?: readonly X509Certificate[];
  at: Date;
  what: string;
  /**
   * Whether `child`'s signature verifies with `parent`'s key (the root's self-signature included); a verifier
   * that sees the same chains again may remember successes. Default: OpenSSL, every time.
   */
  verifySignature?: (child: X509Certificate, parent: X509Certificate) => boolean;
};

export type VerifyChainReturnType = { root: X509Certificate; rootSha256: Hex; rootName: string; chain: X509Certificate[] };

/**
 * Verifies leaf → … → root: each signature by the next certificate, each issuer a CA, every certificate
 * valid at `at`, and the root self-signed with a pinned fingerprint. OpenSSL does the signature maths
 * (ECDSA P-256/P-384, RSA-PSS).
 */
export function verifyCertificateChain({ chain, pinnedRoots, extraRoots = [], at, what, verifySignature = verifyIssuedSignature }: VerifyChainParameters): VerifyChainReturnType {
  if (chain.length === 0) throw new TeezkError("CERT_CHAIN_INVALID", `The ${what} is empty`);
  const full = [...chain];
  const last = full[full.length - 1]!;
  // A pinned root is a trust anchor (RFC 5280 §6.1.1): trusted by its SHA-256, so its self-signature proves
  // nothing more and is not verified (one public-key operation per chain, on every cold call). An unpinned
  // certificate must still show it is a root before the chain is walked, so the errors stay specific.
  const pinOf = (cert: X509Certificate) => {
    const sha256 = certificateSha256(cert);
    return { sha256, pin: pinnedRoots.find((candidate) => `0x${candidate.sha256.toLowerCase()}` === sha256) };
  };
  const isSelfSigned = (cert: X509Certificate) => cert.checkIssued(cert) && (pinOf(cert).pin !== undefined || verifySignature(cert, cert));
  const chainEndsAtRoot = isSelfSigned(last);
  if (!chainEndsAtRoot) {
    const root = extraRoots.find((candidate) => last.checkIssued(candidate) && verifySignature(last, candidate));
    if (!root) {
      throw new TeezkError("CERT_CHAIN_INVALID", `The ${what} does not end at a root certificate`, {
        details: `last certificate issuer: ${last.issuer.replace(/\n/g, ", ")}`,
      });
    }
    if (!isSelfSigned(root)) throw new TeezkError("CERT_CHAIN_INVALID", `The ${what} root is not self-signed`);
    full.push(root);
  }
  for (let index = 0; index < full.length - 1; index++) {
    const child = full[index]!;
    const parent = full[index + 1]!;
    if (!child.checkIssued(parent)) {
      throw new TeezkError("CERT_CHAIN_INVALID", `In the ${what}, certificate ${index} was not issued by certificate ${index + 1}`, {
        details: `issuer ${child.issuer.replace(/\n/g, ", ")} vs subject ${parent.subject.replace(/\n/g, ", ")}`,
      });
    }
    if (!parent.ca) {
      throw new TeezkError("CERT_CHAIN_INVALID", `In the ${what}, certificate ${index + 1} is not a CA but issues certificate ${index}`);
    }
    if (!verifySignature(child, parent)) {
      throw new TeezkError("SIGNATURE_INVALID", `In the ${what}, the signature on certificate ${index} does not verify`);
    }
  }
  const root = full[full.length - 1]!;
  const { sha256: rootSha256, pin } = pinOf(root);
  if (!pin) {
    throw new TeezkError("ROOT_NOT_TRUSTED", `The ${what} ends at a root that is not pinned`, {
      details: `root sha256 ${rootSha256}, subject ${root.subject.replace(/\n/g, ", ")}`,
    });
  }
  full.forEach((cert, index) => assertValidAt(cert, at, `${what} certificate ${index}`));
  return { root, rootSha256, rootName: pin.name, chain: full };
}

/** Whether `child`'s signature verifies with `parent`'s public key; false on any OpenSSL error. */
export function verifyIssuedSignature(child: X509Certificate, parent: X509Certificate): boolean {
  try {
    return child.verify(parent.publicKey);
  } catch {
    return false;
  }
}
