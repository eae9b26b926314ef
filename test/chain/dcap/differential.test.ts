import { afterAll, describe, expect, it } from "vitest";
import { encodeClaims } from "../../../src/claims/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { DCAP_SAMPLES, loadSampleBytes } from "../../evidence/tdx/dcapSamples.js";
import { deployDcap, push, uploadsFor, verifyOnChain, type DcapChain } from "./dcapSupport.js";

/** The samples whose folders hold every item DCAP needs: TCB info, QE identity, signing certificate, root and PCK CRLs. */
const FULL = ["tdx/automata-v4-00806f05", "tdx/dcapqvl-v4-b0c06f", "tdx/dcapqvl-near-v4-20a06f", "sgx/dcapqvl-v3-00a06711"];

describe.each(DCAP_SAMPLES.filter((sample) => FULL.includes(sample.name)))("on-chain DCAP: $name", (sample) => {
  let chain: DcapChain;
  afterAll(async () => chain?.close());

  it("yields byte-identical Claims to verifyDcapQuote at the sample's time", async () => {
    const quote = loadSampleBytes(sample);
    chain = await deployDcap(new Date(sample.now));
    const { collateral, uploads } = uploadsFor(sample.name, quote);
    const pushed = await push(chain, uploads);
    expect(pushed.sent.length).toBe(uploads.length);
    const onChain = await verifyOnChain(chain, quote);
    const offChain = verifyDcapQuote({ evidence: quote, now: new Date(Number(onChain.timestamp) * 1000), collateral }).claims;
    expect(encodeClaims({ ...onChain, svn: onChain.svn } as never)).toBe(encodeClaims(offChain));
  }, 120_000);
});
