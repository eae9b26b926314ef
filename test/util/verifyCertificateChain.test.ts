import type { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { INTEL_SGX_ROOT_CA, loadDcapCollateral } from "../../src/evidence/tdx/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { verifyCertificateChain, verifyIssuedSignature, type VerifyChainParameters } from "../../src/util/x509.js";
import { rejection } from "../support/rejection.js";

// The real TCB signing chain of dcapqvl-v4 (signing certificate, then the Intel SGX Root CA), valid at VALID.
const chain = loadDcapCollateral(fixturePath("tdx/dcapqvl-v4-b0c06f")).tcbInfo!.issuerChain!;
const [signing, root] = chain as [X509Certificate, X509Certificate];
const VALID = new Date("2025-06-20T12:00:00Z");

/** The chain check with a signature verifier that records each (child, parent) it is asked about. */
function checkWith(verifySignature: (child: X509Certificate, parent: X509Certificate) => boolean, overrides: Partial<VerifyChainParameters> = {}) {
  const asked: string[] = [];
  const name = (cert: X509Certificate) => (cert === root || cert.fingerprint256 === root.fingerprint256 ? "root" : "signing");
  const run = () =>
    verifyCertificateChain({
      chain,
      pinnedRoots: [INTEL_SGX_ROOT_CA],
      at: VALID,
      what: "TCB signing chain",
      verifySignature: (child, parent) => {
        asked.push(`${name(child)}>${name(parent)}`);
        return verifySignature(child, parent);
      },
      ...overrides,
    });
  return { asked, run };
}

describe("verifyCertificateChain: the pinned root is a trust anchor", () => {
  it("every issued signature is verified; the pinned root's own self-signature is not (it is trusted by its SHA-256)", () => {
    const { asked, run } = checkWith(verifyIssuedSignature);
    expect(run().rootName).toBe(INTEL_SGX_ROOT_CA.name);
    expect(asked).toEqual(["signing>root"]);
  });

  it("a signature the pinned root did not make is still refused", async () => {
    const { run } = checkWith((child, parent) => !(child === signing && parent === root) && verifyIssuedSignature(child, parent));
    expect((await rejection((async () => run())())).code).toBe("SIGNATURE_INVALID");
  });

  it("an unpinned end certificate must still prove it is a root: a self-signature that does not verify is CERT_CHAIN_INVALID", async () => {
    const otherPin = { name: "Some other root", sha256: "00".repeat(32) };
    const { asked, run } = checkWith((child, parent) => !(child === parent) && verifyIssuedSignature(child, parent), { pinnedRoots: [otherPin] });
    expect((await rejection((async () => run())())).code).toBe("CERT_CHAIN_INVALID");
    expect(asked).toEqual(["root>root"]);
    // With its self-signature intact it is a root, just not a trusted one.
    expect((await rejection((async () => checkWith(verifyIssuedSignature, { pinnedRoots: [otherPin] }).run())())).code).toBe("ROOT_NOT_TRUSTED");
  });
});
