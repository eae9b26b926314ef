import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadNvidiaCollateral, verifyGpuEvidence, verifyGpuEvidenceSet } from "../../../src/evidence/nvidia/index.js";
import { createFakeDevice } from "./fakeDevice.js";
import { chainMutations, reportMutations } from "./mutations.js";
import { hopperChainPem, hopperReport, ppcieChainPem, ppcieEntries, ppcieReport } from "./samples.js";
import { codeOf } from "../../support/rejection.js";

const NOW = new Date("2025-06-01T00:00:00Z");

const fake = createFakeDevice();
const fakeChainPem = [fake.leaf(), fake.root].map((cert) => cert.toString()).join("");
const workDir = mkdtempSync(join(tmpdir(), "teezk-nvidia-"));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe("mutation corpus: nvtrust hopper sample (raw report + collateral folder)", () => {
  const raw = hopperReport();
  const pem = hopperChainPem();
  const dir = join(workDir, "hopper");
  const collateralFor = (chainPem: string) => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "cert-chain.pem"), chainPem);
    return loadNvidiaCollateral(dir);
  };
  const collateral = collateralFor(pem);
  const reports = reportMutations(raw);
  const chains = chainMutations(pem, ppcieChainPem(0), fakeChainPem);

  it("the unmutated sample verifies (so every rejection below is caused by its mutation)", () => {
    expect(codeOf(() => verifyGpuEvidence({ evidence: raw, now: NOW, collateral }))).toBe("OK");
    expect(reports.length + chains.length).toBeGreaterThanOrEqual(30);
  });

  it.each(reports.map((mutation) => [mutation.name, mutation] as const))("report: %s", (_name, mutation) => {
    expect(mutation.codes).toContain(codeOf(() => verifyGpuEvidence({ evidence: mutation.bytes, now: NOW, collateral })));
  });

  it.each(chains.map((mutation) => [mutation.name, mutation] as const))("chain: %s", (_name, mutation) => {
    const code = codeOf(() => verifyGpuEvidence({ evidence: raw, now: NOW, collateral: collateralFor(mutation.pem) }));
    expect(mutation.codes).toContain(code);
  });

  it("oversized and empty evidence are refused before parsing", () => {
    expect(codeOf(() => verifyGpuEvidence({ evidence: new Uint8Array(2 * 1024 * 1024), now: NOW, collateral }))).toBe("INPUT_TOO_LARGE");
    expect(codeOf(() => verifyGpuEvidence({ evidence: new Uint8Array(0), now: NOW, collateral }))).toBe("INPUT_EMPTY");
  });

  it("a collateral folder without a chain is COLLATERAL_MISSING", () => {
    const empty = join(workDir, "empty");
    mkdirSync(empty, { recursive: true });
    expect(codeOf(() => loadNvidiaCollateral(empty))).toBe("COLLATERAL_MISSING");
    expect(codeOf(() => loadNvidiaCollateral(join(workDir, "does-not-exist")))).toBe("COLLATERAL_MISSING");
  });
});

describe("mutation corpus: nvtrust PPCIe 8×H100 JSON (each mutation in one GPU's entry, rotating)", () => {
  const entries = ppcieEntries();
  const setWith = (gpu: number, change: Partial<(typeof entries)[number]>) =>
    new TextEncoder().encode(JSON.stringify(entries.map((entry, index) => (index === gpu ? { ...entry, ...change } : entry))));
  const reports = Array.from({ length: 8 }, (_, gpu) => reportMutations(ppcieReport(gpu)));
  const cases = reports[0]!.map((_, n) => ({ gpu: n % 8, mutation: reports[n % 8]![n]! }));
  const chains = chainMutations(ppcieChainPem(3), hopperChainPem(), fakeChainPem);

  it("the unmutated set verifies and the corpus is large enough", () => {
    expect(verifyGpuEvidenceSet({ evidence: setWith(0, {}), now: NOW })).toHaveLength(8);
    expect(cases.length + chains.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases.map(({ gpu, mutation }) => [gpu, mutation.name, mutation] as const))("GPU %i report: %s", (gpu, _name, mutation) => {
    // The envelope nonce is unsigned: drop it so the signed-data check, not the envelope check, decides.
    const evidence = setWith(gpu, { evidence: Buffer.from(mutation.bytes).toString("base64"), nonce: undefined });
    expect(mutation.codes).toContain(codeOf(() => verifyGpuEvidenceSet({ evidence, now: NOW })));
  });

  it.each(chains.map((mutation) => [mutation.name, mutation] as const))("GPU 3 chain: %s", (_name, mutation) => {
    const evidence = setWith(3, { certificate: Buffer.from(mutation.pem).toString("base64") });
    expect(mutation.codes).toContain(codeOf(() => verifyGpuEvidenceSet({ evidence, now: NOW })));
  });

  it.each([
    ["not JSON", new TextEncoder().encode("{ not json"), "MALFORMED"],
    ["empty list", new TextEncoder().encode("[]"), "MALFORMED"],
    ["entry without evidence", new TextEncoder().encode('[{"certificate":"x"}]'), "MALFORMED"],
    ["evidence neither hex nor base64", setWith(1, { evidence: "!!not base64!!" }), "INPUT_ENCODING"],
    ["certificate not PEM", setWith(1, { certificate: Buffer.from("hello").toString("base64") }), "INPUT_ENCODING"],
    ["envelope nonce not hex", setWith(1, { nonce: "zz" }), "MALFORMED"],
    ["envelope nonce differs from the signed one", setWith(6, { nonce: "00".repeat(32) }), "GPU_NONCE_MISMATCH"],
    ["65 GPUs", new TextEncoder().encode(JSON.stringify(Array.from({ length: 65 }, (_, i) => entries[i % 8]))), "INPUT_TOO_LARGE"],
    ["GPU listed twice", new TextEncoder().encode(JSON.stringify([...entries, entries[0]])), "GPU_EVIDENCE_SET_INVALID"],
    ["oversized JSON", new TextEncoder().encode(`[${" ".repeat(1024 * 1024)}]`), "INPUT_TOO_LARGE"],
  ] as const)("envelope: %s", (_name, evidence, code) => {
    expect(codeOf(() => verifyGpuEvidenceSet({ evidence, now: NOW }))).toBe(code);
  });
});
