import { sign, type X509Certificate } from "node:crypto";
import { TCG_DICE_TCB_INFO_OID, diceTcbInfo } from "../../../src/tee/simulated/vendorExtensions.js";
import { generateKey, mintCertificate } from "../../support/pki.js";

/**
 * A made-up GPU "vendor": a self-signed P-384 root named like NVIDIA's and leaves it issues, minted in the test
 * run through test/support/pki. Re-signing mutated reports with a fake leaf lets a test reach the checks after
 * the signature: root pinning, FWID binding, nonce.
 */
export type FakeDevice = {
  root: X509Certificate;
  rootSha256: string;
  /** A leaf with no TcbInfo extension, or with one whose digest is `fwid`. */
  leaf: (fwid?: Uint8Array) => X509Certificate;
  signReport: (signedBytes: Uint8Array) => Uint8Array;
};

export function createFakeDevice(): FakeDevice {
  const root = mintCertificate({ subject: "NVIDIA Device Identity CA", ca: true });
  const leafKey = generateKey("P-384");
  return {
    root: root.certificate,
    rootSha256: root.sha256,
    leaf: (fwid) =>
      mintCertificate({
        subject: "FAKE GSP FMC LF",
        key: leafKey,
        issuer: root,
        extensions: fwid ? [{ oid: TCG_DICE_TCB_INFO_OID, value: diceTcbInfo(fwid) }] : [],
      }).certificate,
    signReport: (signedBytes) => {
      const signature = sign("sha384", signedBytes, { key: leafKey.privateKey, dsaEncoding: "ieee-p1363" });
      return new Uint8Array(Buffer.concat([signedBytes, signature]));
    },
  };
}
