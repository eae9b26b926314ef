import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import * as dcapQvl from "@phala/dcap-qvl";
import { fixturePath } from "../src/fixtures/fixturesDir.js";
import { clearDcapCaches, loadDcapCollateral, parseDcapQvlCollateral } from "../src/evidence/tdx/collateral/index.js";
import { MAX_DCAP_QUOTE_BYTES, verifyDcapQuote } from "../src/evidence/tdx/index.js";
import { decodeEvidenceInput } from "../src/util/bytes.js";
import { timeIt, type BenchSuite } from "./types.js";

/** The real quotes that carry complete collateral in dcap-qvl's layout, with a date inside that collateral. */
const WITH_COLLATERAL = [
  { dir: "tdx/dcapqvl-v4-b0c06f", file: "quote.bin", now: "2025-06-20T12:00:00Z" },
  { dir: "tdx/dcapqvl-near-v4-20a06f", file: "quote.hex", now: "2025-09-03T12:00:00Z" },
  { dir: "sgx/dcapqvl-v3-00a06711", file: "quote.bin", now: "2025-06-20T12:00:00Z" },
];
/** Every real quote, for the quote-only row (no collateral exists for some of them). */
const ALL_QUOTES = [
  ...WITH_COLLATERAL,
  { dir: "tdx/automata-v4-00806f05", file: "quote.bin", now: "2025-07-08T12:00:00Z" },
  { dir: "tdx/automata-v5-90c06f", file: "quote.bin", now: "2025-06-06T12:00:00Z" },
  { dir: "tdx/gotdx-spr-e4-v4-50806f", file: "quote.bin", now: "2023-06-20T12:00:00Z" },
  { dir: "tdx/gotdx-cos113-v4-00806f05", file: "quote.bin", now: "2024-08-29T12:00:00Z" },
  { dir: "tdx/trustee-v4-00a06d08", file: "quote.bin", now: "2025-10-28T12:00:00Z" },
  { dir: "sgx/automata-v3-00606a", file: "quote.hex", now: "2025-08-16T12:00:00Z" },
  { dir: "sgx/trustee-occlum-v3-00606a", file: "quote.bin", now: "2024-07-01T12:00:00Z" },
];

/** collateral.json read once: its bytes for teezk's parser, its text for dcap-qvl's caller to JSON.parse. */
function collateralFile(dir: string) {
  const bytes = readFileSync(fixturePath(`${dir}/collateral.json`));
  return { collateralJson: new Uint8Array(bytes), collateralText: bytes.toString("utf8") };
}

const loadNote = () => `1-min load average ${loadavg()[0]!.toFixed(1)}`;
const quoteBytes = (dir: string, file: string) => decodeEvidenceInput(readFileSync(fixturePath(`${dir}/${file}`)), MAX_DCAP_QUOTE_BYTES).bytes;

/**
 * Full DCAP verification on the same three real quotes for both verifiers, each as of a date inside its
 * collateral: quote signature, QE report signature and binding, PCK chain to the Intel root, root and PCK CRLs,
 * TCB info and QE identity signatures and chains, TCB level matching.
 *
 * Two teezk modes, because teezk remembers pure work (parsed certificates, verified chain and collateral
 * signatures, keyed by content in bounded caches) and dcap-qvl remembers nothing:
 * - warm: a verifier node that loaded its collateral once and sees the same platforms again (the production
 *   pattern). Per call: quote parse, quote and QE report ECDSA verification (never cached), QE binding; the
 *   parsed PCK chain and attestation KeyObject are reused, PCK chain and collateral signatures looked up by
 *   content hash; every validity window / CRL and collateral freshness /
 *   revocation / TCB level evaluated at `now`.
 * - cold: every cache emptied and collateral.json parsed from its bytes on each call: the per-call work of
 *   dcap-qvl, whose API (0.3.x) takes the collateral JSON object and has no pre-parsed or cached form, so each
 *   verify() hex-decodes the CRLs, parses the TCB info / QE identity JSON and all certificates, and verifies
 *   every chain and signature.
 */
export const tdxBench: BenchSuite = {
  name: "tdx",
  run: async () => {
    const samples = WITH_COLLATERAL.map(({ dir, file, now }) => ({
      bytes: quoteBytes(dir, file),
      buffer: Buffer.from(quoteBytes(dir, file)),
      now: new Date(now),
      ours: loadDcapCollateral(fixturePath(dir)),
      ...collateralFile(dir),
    }));
    const iterations = 60 * samples.length;
    const warmup = 5 * samples.length;
    let next = 0;
    const ours = timeIt(() => {
      const sample = samples[next++ % samples.length]!;
      verifyDcapQuote({ evidence: sample.bytes, now: sample.now, collateral: sample.ours });
    }, { iterations, warmup });
    // Cold teezk and dcap-qvl take turns on the same samples, so a change in machine load (other work on the 2
    // cores) hits both sides of the ratio alike instead of whichever stretch it fell in. Both start from
    // collateral.json's bytes: dcap-qvl's API takes the parsed object, so its call includes JSON.parse.
    const coldTeezk = (index: number) => {
      const sample = samples[index % samples.length]!;
      clearDcapCaches();
      const collateral = parseDcapQvlCollateral(sample.collateralJson, "collateral.json");
      verifyDcapQuote({ evidence: sample.bytes, now: sample.now, collateral });
    };
    const dcapQvlCall = (index: number) => {
      const sample = samples[index % samples.length]!;
      dcapQvl.verify(sample.buffer, JSON.parse(sample.collateralText) as dcapQvl.Collateral, Math.floor(sample.now.getTime() / 1000));
    };
    // Longer than the warm row: dcap-qvl keeps getting faster for the first few hundred calls, so a short run
    // flattered the ratio (3.27 over 180 pairs where 900 pairs gave 2.90 on the same code).
    const turns = { iterations: 300 * samples.length, warmup: 30 * samples.length };
    // Turns of 30 calls, so that each library pays for its own work: call by call, part of one library's cost lands
    // in the other's call (the CPU caches it evicted, the garbage it left for V8 to collect during whichever call
    // allocates next). Two runs on a quiet box: teezk 1.28–1.33 ms call by call vs 1.25–1.26 ms in turns, dcap-qvl
    // 4.00–4.17 ms vs 4.15–4.27 ms. The call-by-call rows stay in the table beside these.
    const { ours: cold, theirs } = timeInTurns(coldTeezk, dcapQvlCall, { ...turns, callsPerTurn: 30 });
    const interleaved = timeInTurns(coldTeezk, dcapQvlCall, { ...turns, callsPerTurn: 1 });

    const all = ALL_QUOTES.map(({ dir, file, now }) => ({ bytes: quoteBytes(dir, file), now: new Date(now) }));
    next = 0;
    const quoteOnly = timeIt(() => {
      const sample = all[next++ % all.length]!;
      verifyDcapQuote({ evidence: sample.bytes, now: sample.now });
    }, { iterations: 40 * all.length, warmup: 3 * all.length });

    const quotes = "3 real quotes (2 TDX v4, 1 SGX v3) in rotation, full collateral (signatures, PCK chain, QE report, CRLs, TCB info, QE identity)";
    const warmAnchor = `warm: ${quotes}; collateral loaded once (same object), caches warm: per call the quote and QE report ECDSA checks run; parsed PCK chain and attestation KeyObject are reused, chain and collateral signatures are content-hash lookups; every validity window, CRL/collateral freshness, revocation and TCB level is evaluated at now`;
    const coldWork = `cold: ${quotes}; all caches emptied and collateral.json parsed from bytes on every call, so every certificate, CRL, chain and signature is parsed and verified per call (dcap-qvl's per-call work; a certificate or signature repeated within one quote's collateral counts once; the pinned Intel root is the verifier's own trust anchor, parsed once per process from its embedded DER and its self-signature not verified, RFC 5280 §6.1.1)`;
    const coldAnchor = `${coldWork}; 900 calls in turns of 30 with dcap-qvl after 90 warm-up calls each, CPU time per call; ${loadNote()}`;
    const theirsWork = `@phala/dcap-qvl ${dcapQvlVersion()} verify(quote, JSON.parse(collateral.json), now) on the same quotes, same run, CPU time per call: no pre-parsed or cached collateral API, so every call hex-decodes the CRLs, parses TCB info / QE identity JSON and all certificates, and verifies every chain and signature`;
    const interleavedAnchor = `the same two calls alternated call by call (900 pairs after 90 warm-up pairs), so part of each library's cost (CPU caches evicted, garbage left to collect) lands in the other's call; ${loadNote()}`;
    return [
      { name: "verify.tdx.p50", value: ours.p50, unit: "ms", anchor: warmAnchor, target: "≤ 5" },
      { name: "verify.tdx.p95", value: ours.p95, unit: "ms", anchor: warmAnchor, target: "≤ 10" },
      { name: "verify.tdx.cold.p50", value: cold.p50, unit: "ms", anchor: coldAnchor },
      { name: "verify.dcapqvl.p50", value: theirs.p50, unit: "ms", anchor: `${theirsWork}; in turns of 30 with the cold row` },
      { name: "verify.tdx.speedup_vs_dcapqvl", value: theirs.p50 / ours.p50, unit: "ratio", anchor: "dcap-qvl p50 ÷ teezk warm p50 (a verifier reusing loaded collateral; dcap-qvl has no such mode)", target: "≥ 5" },
      { name: "verify.tdx.cold.speedup_vs_dcapqvl", value: theirs.p50 / cold.p50, unit: "ratio", anchor: "dcap-qvl p50 ÷ teezk cold p50, in turns of 30 calls: the same per-call work on both sides, both from collateral.json's bytes", target: "≥ 3" },
      { name: "verify.tdx.cold.interleaved.p50", value: interleaved.ours.p50, unit: "ms", anchor: `teezk cold, ${interleavedAnchor}` },
      { name: "verify.dcapqvl.interleaved.p50", value: interleaved.theirs.p50, unit: "ms", anchor: `dcap-qvl, ${interleavedAnchor}` },
      { name: "verify.tdx.cold.interleaved_speedup_vs_dcapqvl", value: interleaved.theirs.p50 / interleaved.ours.p50, unit: "ratio", anchor: "dcap-qvl p50 ÷ teezk cold p50, alternated call by call: each side also pays part of the other's cost, which weighs more on the shorter call" },
      { name: "verify.tdx.quote_only.p50", value: quoteOnly.p50, unit: "ms", anchor: `warm, all ${all.length} real DCAP quotes, no collateral: quote and QE report signatures verified per call, QE binding, PCK chain (parse and signatures cached per platform, validity at now) (dcap-qvl cannot run without collateral)` },
    ];
  },
};

/**
 * p50 of `ours` and `theirs` taking turns of `callsPerTurn` calls each (call i of each side on sample i), after
 * `warmup` untimed calls of each, in CPU time (user + system of this process, µs resolution): on 2 shared cores a
 * preemption adds a whole time slice to whichever call it lands in, more often to the longer one, so wall time
 * under load flattered the ratio (5.4 at load 10 where CPU time gave 2.6).
 */
function timeInTurns(
  ours: (index: number) => void,
  theirs: (index: number) => void,
  { iterations, warmup, callsPerTurn }: { iterations: number; warmup: number; callsPerTurn: number },
) {
  const time = (fn: (index: number) => void, index: number) => {
    const start = process.cpuUsage();
    fn(index);
    const used = process.cpuUsage(start);
    return (used.user + used.system) / 1000;
  };
  for (let index = 0; index < warmup; index++) {
    ours(index);
    theirs(index);
  }
  const oursMs: number[] = [];
  const theirsMs: number[] = [];
  for (let first = 0; first < iterations; first += callsPerTurn) {
    const last = Math.min(first + callsPerTurn, iterations);
    for (let index = first; index < last; index++) oursMs.push(time(ours, index));
    for (let index = first; index < last; index++) theirsMs.push(time(theirs, index));
  }
  const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { ours: { p50: p50(oursMs) }, theirs: { p50: p50(theirsMs) } };
}

function dcapQvlVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL("../node_modules/@phala/dcap-qvl/package.json", import.meta.url), "utf8")) as { version: string }).version;
  } catch {
    return "";
  }
}
