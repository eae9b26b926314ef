import { mkdtempSync, readdirSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delegateProof, type DelegateProofParameters } from "../../src/client/index.js";
import type { IntelTcbStatus } from "../../src/evidence/tdx/collateral/index.js";
import { createGroth16Prover } from "../../src/prover/index.js";
import { serveApp } from "../../src/services/http/index.js";
import { createSimulatedEvidenceSource } from "../../src/services/prover/index.js";
import { getDevRoots, simulateDcapCollateral, simulateGpuReport, simulateGpuRims } from "../../src/tee/simulated/index.js";
import { issueDevCrl } from "../../src/tee/simulated/issueDevCrl.js";
import { membershipFixture } from "../prover/membershipFixture.js";
import { createProxyApp, devReferenceValues, rejection, startTestProver, type TestProver } from "../services/proverSupport.js";
import { startStandIn, type StandIn } from "../collateral/support/standIn.js";
import { pcsDataFromSimulated, pcsHandler, rimService } from "../collateral/support/vendorStandIns.js";

const fixture = membershipFixture();
const HOUR_MS = 3_600_000;
const devRoots = getDevRoots();

/**
 * Issue 15: the delegation client verifies a prover's evidence with collateral it fetched or cached itself. The
 * prover is untrusted: it serves collateral that is genuine and still valid but superseded (issued two hours
 * before the PCS's current items), or omits the PCK CRL; the client's own PCS (or cache) holds newer collateral
 * that downgrades the platform or revokes its PCK.
 */
describe("delegateProof with the client's own collateral (issue 15)", () => {
  const prover = createGroth16Prover();
  const closers: (() => Promise<void>)[] = [];
  let node: TestProver;

  beforeAll(async () => {
    // The prover's collateral is current as of two hours ago: old but valid (nextUpdate is 30 days on).
    node = await startTestProver({ vendor: "tdx", prover, evidenceSource: createSimulatedEvidenceSource({ vendor: "tdx", devRoots, clock: () => new Date(Date.now() - 2 * HOUR_MS) }) });
    closers.push(node.close);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    await prover.close();
  });

  /** A PCS for the simulated platform serving current collateral: a TCB status, and a PCK CRL revoking the dev PCK leaf or not. */
  async function pcs(tcbStatus: IntelTcbStatus, revokePck = false): Promise<StandIn> {
    const now = new Date();
    const collateral = simulateDcapCollateral({ kind: "tdx", devRoots, now, tcbStatus });
    const revoked = revokePck ? issueDevCrl({ issuer: devRoots.intel.pckCa, now, revoked: [devRoots.intel.pckLeaf.certificate as X509Certificate] }) : undefined;
    const standIn = await startStandIn(pcsHandler(pcsDataFromSimulated(collateral, devRoots, revoked)));
    closers.push(standIn.close);
    return standIn;
  }

  const delegate = (proverUrl: string, extra: Partial<DelegateProofParameters>) =>
    delegateProof({ proverUrl, circuit: "membership", witnessInput: fixture.witnessInput, referenceValues: devReferenceValues(["tdx"]), allowDevRoots: true, verifier: prover, ...extra });

  it("a prover serving superseded UpToDate collateral is refused when the client's PCS says OutOfDate, and the cache then refuses offline", async () => {
    const outOfDate = await pcs("OutOfDate");
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-client-cache-"));
    expect((await rejection(delegate(node.url, { collateralSources: { pcsUrl: outOfDate.url, cacheDir } }))).code).toBe("TCB_STATUS_NOT_ACCEPTED");
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    await outOfDate.close();
    expect((await rejection(delegate(node.url, { collateralSources: { cacheDir, offline: true } }))).code).toBe("TCB_STATUS_NOT_ACCEPTED");
  });

  it("a prover serving a superseded PCK CRL is refused when the client's PCS lists the PCK as revoked", async () => {
    const revoking = await pcs("UpToDate", true);
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-client-cache-"));
    expect((await rejection(delegate(node.url, { collateralSources: { pcsUrl: revoking.url, cacheDir } }))).code).toBe("CERT_REVOKED");
  });

  it("a prover omitting the PCK CRL is judged by the client's own CRL (revoked), not left unchecked", async () => {
    const proxy = createProxyApp(node.url, {
      attestation: (body) => {
        const collateral = { ...(body.collateral as Record<string, string>) };
        for (const name of Object.keys(collateral)) if (/crl/i.test(name) && !/root/i.test(name)) delete collateral[name];
        return { ...body, collateral };
      },
    });
    const served = await serveApp(proxy.app);
    closers.push(served.close);
    const revoking = await pcs("UpToDate", true);
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-client-cache-"));
    expect((await rejection(delegate(served.url, { collateralSources: { pcsUrl: revoking.url, cacheDir } }))).code).toBe("CERT_REVOKED");
  });

  it("what the prover serves fills in what the client lacks: an empty cache offline still delegates", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-client-cache-"));
    const result = await delegate(node.url, { collateralSources: { cacheDir, offline: true }, expectedPublicSignals: fixture.expectedPublicSignals });
    expect(result.appraisal.ok).toBe(true);
    expect(readdirSync(cacheDir)).toHaveLength(0);
  }, 120_000);
});

describe("delegateProof with the client's own GPU collateral (issue 15)", () => {
  const prover = createGroth16Prover();
  const closers: (() => Promise<void>)[] = [];
  let node: TestProver;

  beforeAll(async () => {
    node = await startTestProver({ vendor: "nitro", gpu: true, prover });
    closers.push(node.close);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
    await prover.close();
  });

  const delegate = (extra: Partial<DelegateProofParameters>) =>
    delegateProof({ proverUrl: node.url, circuit: "membership", witnessInput: fixture.witnessInput, referenceValues: devReferenceValues(["nitro", "nvidia"]), allowDevRoots: true, verifier: prover, ...extra });

  it("the prover serves RIMs matching its GPU; the client's RIM service publishes another VBIOS RIM: refused (RIM_MISMATCH), the client's RIMs win", async () => {
    const { report } = simulateGpuReport({ binding: `0x${"00".repeat(32)}`, devRoots });
    const rims = simulateGpuRims({ devRoots, report });
    const vbiosId = Object.keys(rims).find((id) => id.startsWith("NV_GPU_VBIOS_"))!;
    const other = simulateGpuRims({ devRoots, report: simulateGpuReport({ binding: `0x${"00".repeat(32)}`, devRoots, registers: { measurement2: `0x${"66".repeat(48)}` } }).report });
    const standIn = await startStandIn(rimService({ ...rims, [vbiosId]: other[vbiosId]! }));
    closers.push(standIn.close);
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-client-cache-"));
    expect((await rejection(delegate({ collateralSources: { nvidiaRimUrl: standIn.url, cacheDir } }))).code).toBe("RIM_MISMATCH");
    expect(standIn.requests.some((request) => request.startsWith(`/v1/rim/${vbiosId}`))).toBe(true);
  });

  it("with the RIM service publishing the GPU's own RIMs the composite delegates, its rim check passed", async () => {
    const { report } = simulateGpuReport({ binding: `0x${"00".repeat(32)}`, devRoots });
    const standIn = await startStandIn(rimService(simulateGpuRims({ devRoots, report })));
    closers.push(standIn.close);
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-client-cache-"));
    const result = await delegate({ collateralSources: { nvidiaRimUrl: standIn.url, cacheDir }, expectedPublicSignals: fixture.expectedPublicSignals });
    expect(result.appraisal.ok).toBe(true);
  }, 120_000);
});
