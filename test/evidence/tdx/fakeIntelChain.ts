/**
 * A fresh ECDSA P-256 chain with Intel's names (root, PCK Platform CA, PCK leaf), minted through
 * test/support/pki, for tests that need a chain we hold the keys of: forged quotes must fail only on the pin,
 * and a swapped root with Intel's name must fail on the signature.
 */
import type { KeyObject } from "node:crypto";
import { intelName, mintCertificate } from "../../support/pki.js";

export type FakeChain = { rootPem: string; intermediatePem: string; leafPem: string; leafKey: KeyObject; rootSha256: string };

export function makeFakeIntelChain(): FakeChain {
  const notBefore = new Date();
  const notAfter = new Date(notBefore.getTime() + 3650 * 86_400_000);
  const root = mintCertificate({ subject: intelName("Intel SGX Root CA"), key: "P-256", ca: true, notBefore, notAfter });
  const platformCa = mintCertificate({ subject: intelName("Intel SGX PCK Platform CA"), key: "P-256", issuer: root, ca: true, serial: 2, notBefore, notAfter });
  const leaf = mintCertificate({ subject: intelName("Intel SGX PCK Certificate"), key: "P-256", issuer: platformCa, serial: 3, notBefore, notAfter });
  return { rootPem: root.pem, intermediatePem: platformCa.pem, leafPem: leaf.pem, leafKey: leaf.privateKey, rootSha256: root.sha256 };
}
