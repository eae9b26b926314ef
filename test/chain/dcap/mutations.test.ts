import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TeezkError } from "../../../src/errors/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { DCAP_SAMPLES, loadSampleBytes } from "../../evidence/tdx/dcapSamples.js";
import { mutationsOf } from "../../evidence/tdx/dcapMutations.js";
import { makeFakeIntelChain, type FakeChain } from "../../evidence/tdx/fakeIntelChain.js";
import { deployDcap, push, uploadsFor, verifyOnChain, type DcapChain } from "./dcapSupport.js";

/**
 * The mutation corpus of the off-chain verifier (signatures, certificates, lengths, truncations, versions, debug)
 * replayed against the on-chain route with full collateral stored: wherever verifyDcapQuote refuses a mutated
 * quote at the sample's time, verifyQuote must revert with one of the route's typed errors.
 */
const SAMPLES = ["tdx/dcapqvl-v4-b0c06f", "tdx/automata-v4-00806f05", "sgx/dcapqvl-v3-00a06711"];
const DCAP_ERRORS = /reverted with custom error '(\w+)\(/;

let fake: FakeChain;
beforeAll(() => {
  fake = makeFakeIntelChain();
});

let total = 0;
afterAll(() => {
  expect(total).toBeGreaterThanOrEqual(200);
});

describe.each(DCAP_SAMPLES.filter((sample) => SAMPLES.includes(sample.name)))("on-chain mutations of $name", (sample) => {
  let chain: DcapChain;
  afterAll(async () => chain?.close());

  it("reverts with a typed error wherever the off-chain verifier refuses", async () => {
    const quote = loadSampleBytes(sample);
    chain = await deployDcap(new Date(sample.now));
    const { collateral, uploads } = uploadsFor(sample.name, quote);
    await push(chain, uploads);
    const now = new Date(Number((await verifyOnChain(chain, quote)).timestamp) * 1000);
    const failures: string[] = [];
    const errors = new Map<string, number>();
    for (const mutation of mutationsOf(sample, fake)) {
      if (mutation.now) continue; // other verification times: the chain's clock is the sample's
      let offChainRefused = false;
      try {
        verifyDcapQuote({ evidence: mutation.bytes, now, collateral });
      } catch (error) {
        offChainRefused = error instanceof TeezkError;
      }
      if (!offChainRefused) continue;
      total++;
      try {
        await verifyOnChain(chain, mutation.bytes);
        failures.push(`${mutation.name}: accepted on-chain`);
      } catch (error) {
        const name = DCAP_ERRORS.exec(String((error as { details?: string }).details ?? error))?.[1];
        if (!name) failures.push(`${mutation.name}: untyped revert ${String(error).slice(0, 200)}`);
        else errors.set(name, (errors.get(name) ?? 0) + 1);
      }
    }
    expect(failures).toEqual([]);
    expect(errors.size).toBeGreaterThan(5);
    console.log(`${sample.name}: ${[...errors].map(([name, count]) => `${name} ${count}`).join(", ")}`);
  }, 300_000);
});
