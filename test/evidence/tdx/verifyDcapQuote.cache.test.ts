import { describe, expect, it } from "vitest";
import { TcbStatus } from "../../../src/claims/types.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { clearDcapCaches, loadDcapCollateral } from "../../../src/evidence/tdx/collateral/index.js";
import { normalizeSerial } from "../../../src/evidence/tdx/collateral/parseDcapCrl.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { quoteFields } from "./collateral/quoteFields.js";
import { DCAP_SAMPLES, loadSampleBytes } from "./dcapSamples.js";
import { codeOf } from "../../support/rejection.js";

/**
 * The verifier remembers pure work (parsed PCK chains, verified chain and collateral signatures). These tests
 * prove that a warm verifier answers exactly like a cold one, and that nothing judged against `now` (validity
 * windows, collateral and CRL freshness) or held in mutable collateral (revocation lists, signed bytes) is
 * remembered from an earlier call.
 */
const WITH_COLLATERAL = DCAP_SAMPLES.filter((sample) => sample.dcapqvlCollateral);

describe.each(WITH_COLLATERAL)("verifyDcapQuote warm vs cold on $name", (sample) => {
  const evidence = loadSampleBytes(sample);
  const now = new Date(sample.now);
  const leafSerial = normalizeSerial(quoteFields(`${sample.name}/${sample.file}`).pckChain[0]!.serialNumber);
  const fresh = () => loadDcapCollateral(fixturePath(sample.name));

  it("a warm verifier returns exactly the cold result, with fresh or reused collateral", () => {
    clearDcapCaches();
    const cold = verifyDcapQuote({ evidence, now, collateral: fresh() });
    expect(cold.checks).toMatchObject({ tcbInfo: "passed", qeIdentity: "passed", pckRevocation: "passed", rootRevocation: "passed" });
    expect(cold.claims.tcbStatus).not.toBe(TcbStatus.UNKNOWN);
    const collateral = fresh();
    for (let round = 0; round < 3; round++) expect(verifyDcapQuote({ evidence, now, collateral })).toEqual(cold);
    expect(verifyDcapQuote({ evidence, now, collateral: fresh() })).toEqual(cold);
  });

  it("after a warm success, stale collateral at a later `now` is COLLATERAL_EXPIRED, and an earlier `now` too", () => {
    const collateral = fresh();
    verifyDcapQuote({ evidence, now, collateral });
    const nextUpdate = Math.min(collateral.tcbInfo!.body.nextUpdate.getTime(), collateral.qeIdentity!.body.nextUpdate.getTime());
    expect(codeOf(() => verifyDcapQuote({ evidence, now: new Date(nextUpdate + 1000), collateral }))).toBe("COLLATERAL_EXPIRED");
    const issued = collateral.tcbInfo!.body.issueDate.getTime();
    expect(codeOf(() => verifyDcapQuote({ evidence, now: new Date(issued - 1000), collateral }))).toBe("COLLATERAL_EXPIRED");
    expect(codeOf(() => verifyDcapQuote({ evidence, now, collateral }))).toBe("OK");
  });

  it("after a warm success, a stale CRL alone is COLLATERAL_EXPIRED", () => {
    const collateral = fresh();
    verifyDcapQuote({ evidence, now, collateral });
    const crl = collateral.pckCrls![0]!;
    collateral.pckCrls = [{ ...crl, nextUpdate: new Date(now.getTime() - 1000) }];
    expect(codeOf(() => verifyDcapQuote({ evidence, now, collateral }))).toBe("COLLATERAL_EXPIRED");
  });

  it("after a warm success, a leaf added to the same CRL object is CERT_REVOKED, and removing it passes again", () => {
    const collateral = fresh();
    verifyDcapQuote({ evidence, now, collateral });
    const revoked = collateral.pckCrls![0]!.revokedSerials as Set<string>;
    revoked.add(leafSerial);
    expect(codeOf(() => verifyDcapQuote({ evidence, now, collateral }))).toBe("CERT_REVOKED");
    revoked.delete(leafSerial);
    expect(codeOf(() => verifyDcapQuote({ evidence, now, collateral }))).toBe("OK");
  });

  it("after a warm success, TCB info or QE identity bytes changed in place fail their signature", () => {
    const collateral = fresh();
    verifyDcapQuote({ evidence, now, collateral });
    for (const item of [collateral.tcbInfo!, collateral.qeIdentity!]) {
      item.signedBytes[20]! ^= 0x01;
      expect(codeOf(() => verifyDcapQuote({ evidence, now, collateral }))).toBe("SIGNATURE_INVALID");
      item.signedBytes[20]! ^= 0x01;
      expect(codeOf(() => verifyDcapQuote({ evidence, now, collateral }))).toBe("OK");
    }
  });

  it("after a warm success, the PCK leaf's validity is judged at each `now`", () => {
    verifyDcapQuote({ evidence, now });
    const afterLeaf = new Date(`${sample.pckNotAfter}T00:00:00Z`);
    afterLeaf.setUTCDate(afterLeaf.getUTCDate() + 2);
    expect(codeOf(() => verifyDcapQuote({ evidence, now: afterLeaf }))).toBe("CERT_EXPIRED");
    const beforeLeaf = new Date(`${sample.pckNotBefore}T00:00:00Z`);
    beforeLeaf.setUTCDate(beforeLeaf.getUTCDate() - 2);
    expect(codeOf(() => verifyDcapQuote({ evidence, now: beforeLeaf }))).toBe("CERT_EXPIRED");
  });

  it("after a warm success, a changed quote body still fails its signature (the quote signature is never cached)", () => {
    verifyDcapQuote({ evidence, now });
    const tampered = new Uint8Array(evidence);
    tampered[100]! ^= 0x01;
    expect(codeOf(() => verifyDcapQuote({ evidence: tampered, now }))).toBe("SIGNATURE_INVALID");
  });
});
