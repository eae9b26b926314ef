import { afterAll, describe, expect, it } from "vitest";
import { dcapCollateralUploads } from "../../../src/collateral/index.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { loadDcapCollateral, type DcapCollateral } from "../../../src/evidence/tdx/collateral/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { DCAP_SAMPLES, loadSampleBytes } from "../../evidence/tdx/dcapSamples.js";
import { deployDcap, pckCaOf, push, verifyOnChain, type DcapChain } from "./dcapSupport.js";

/**
 * The real samples whose folders lack part of the collateral (no CRLs, no TCB signing certificate, or nothing):
 * off-chain they verify with those checks "not_checked" or are refused COLLATERAL_MISSING; on-chain nothing is optional, so each is refused naming the
 * first missing item. Their PCK CA (from the quote's own chain) is stored, so each quote's structure, PCK chain, QE
 * report and quote signatures (TDX v5 included) are checked on-chain before the refusal.
 */
const INCOMPLETE: Record<string, string> = {
  "tdx/automata-v5-90c06f": "root CA CRL",
  "tdx/gotdx-spr-e4-v4-50806f": "root CA CRL",
  "tdx/gotdx-cos113-v4-00806f05": "root CA CRL",
  "tdx/trustee-v4-00a06d08": "root CA CRL",
  "sgx/automata-v3-00606a": "root CA CRL",
  "sgx/trustee-occlum-v3-00606a": "root CA CRL",
};
const missingOf = (error: unknown) => /CollateralMissing\("?(0x[0-9a-f]+)/i.exec(String((error as { details?: string }).details ?? error))?.[1];
const text = (hex: string) => Buffer.from(hex.slice(2), "hex").toString("latin1").replace(/\0+$/, "");

function collateralOf(name: string): DcapCollateral {
  try {
    return loadDcapCollateral(fixturePath(name));
  } catch {
    return { source: name };
  }
}

describe.each(DCAP_SAMPLES.filter((sample) => sample.name in INCOMPLETE))("on-chain DCAP, incomplete collateral: $name", (sample) => {
  let chain: DcapChain;
  afterAll(async () => chain?.close());

  it("is refused naming the missing item, where verifyDcapQuote reports the gap", async () => {
    const quote = loadSampleBytes(sample);
    chain = await deployDcap(new Date(sample.now));
    const collateral = collateralOf(sample.name);
    // Only certificates can be stored without the rest (a TCB info needs its signing certificate, a PCK CRL its CA).
    await push(chain, dcapCollateralUploads(collateral, pckCaOf(quote)).filter((upload) => upload.kind === "certificate"));
    // Off-chain the gap is either a check left not_checked or COLLATERAL_MISSING (an item present without its signer).
    let offChainGap: string;
    try {
      offChainGap = `rootRevocation ${verifyDcapQuote({ evidence: quote, now: new Date(sample.now), collateral }).checks.rootRevocation}`;
    } catch (error) {
      offChainGap = isTeezkError(error) ? error.code : String(error);
    }
    expect(["rootRevocation not_checked", "COLLATERAL_MISSING"]).toContain(offChainGap);
    let missing: string | undefined;
    try {
      await verifyOnChain(chain, quote);
    } catch (error) {
      missing = missingOf(error);
    }
    expect(missing && text(missing)).toBe(INCOMPLETE[sample.name]);
  }, 120_000);
});
