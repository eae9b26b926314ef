import type { X509Certificate } from "node:crypto";
import { TeezkError } from "../../../errors/index.js";
import type { PinnedRoot } from "../../../util/x509.js";
import { isCertificateRevoked } from "./isCertificateRevoked.js";
import type { DcapCrl, SignedCollateral } from "./types.js";
import { verifyCertificateChainCached } from "./verifyCertificateChainCached.js";
import { verifySignatureCached } from "./verifySignatureCached.js";

export type VerifySignedCollateralParameters = {
  item: SignedCollateral<{ issueDate: Date; nextUpdate: Date }>;
  /** TCB signing certificate first; may end at the root. */
  signingChain: readonly X509Certificate[] | undefined;
  /** Root certificates to complete a chain that stops below the root. */
  rootCertificates: readonly X509Certificate[];
  pinnedRoots: readonly PinnedRoot[];
  /** Already verified by the caller against the root; checked for the signing certificate's serial. */
  rootCaCrl?: DcapCrl;
  now: Date;
  what: string;
};

export type VerifySignedCollateralErrorType = TeezkError;

/**
 * TCB info and QE identity are trusted only when (1) the TCB signing certificate chains to a pinned Intel
 * root and is valid at `now`, (2) the root CRL (when given) does not list it, (3) its key signed the exact
 * body bytes (ECDSA P-256, r‖s), and (4) `now` lies in issueDate..nextUpdate. A signing certificate that is
 * not yet valid at `now` fails (CERT_EXPIRED) even when its key is the one that signed: validity is judged at
 * the verification time, as Intel's QVL does.
 */
export function verifySignedCollateral({
  item,
  signingChain,
  rootCertificates,
  pinnedRoots,
  rootCaCrl,
  now,
  what,
}: VerifySignedCollateralParameters): void {
  if (!signingChain || signingChain.length === 0) {
    throw new TeezkError("COLLATERAL_MISSING", `${item.source}: the ${what} is present but no TCB signing certificate was given`, {
      metaMessages: ["Add tcb_signing_cert.der (the TCB-Info-Issuer-Chain leaf from Intel PCS) to the collateral folder."],
    });
  }
  // Chain signatures and the body signature are remembered by content; validity windows, revocation and
  // issueDate..nextUpdate are judged at `now` on every call.
  const { chain } = verifyCertificateChainCached({
    chain: signingChain,
    pinnedRoots,
    extraRoots: rootCertificates,
    at: now,
    what: `${what} signing chain`,
  });
  if (rootCaCrl) {
    for (const cert of chain.slice(0, -1)) {
      if (isCertificateRevoked(rootCaCrl, cert)) {
        throw new TeezkError("CERT_REVOKED", `The ${what} signing certificate is revoked by the Intel root CRL`, {
          details: `serial ${cert.serialNumber}`,
        });
      }
    }
  }
  if (!verifySignatureCached({ signer: chain[0]!, data: item.signedBytes, signature: item.signature, dsaEncoding: "ieee-p1363" })) {
    throw new TeezkError("SIGNATURE_INVALID", `${item.source}: the ${what} signature does not verify with the TCB signing key`, {
      details: "the signed bytes were altered, or the signing certificate is not the one that signed them",
    });
  }
  const { issueDate, nextUpdate } = item.body;
  if (now < issueDate || now > nextUpdate) {
    throw new TeezkError("COLLATERAL_EXPIRED", `${item.source}: the ${what} is not current at ${now.toISOString()}`, {
      details: `issueDate ${issueDate.toISOString()}, nextUpdate ${nextUpdate.toISOString()}`,
      metaMessages: ["Fetch fresh collateral from Intel PCS (or your PCCS): stale collateral never yields a TCB status."],
    });
  }
}
