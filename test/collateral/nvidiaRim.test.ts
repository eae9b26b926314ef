import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { X509Certificate } from "node:crypto";
import { OCSPRequest } from "@peculiar/asn1-ocsp";
import { AsnConvert } from "@peculiar/asn1-schema";
import { afterEach, describe, expect, it } from "vitest";
import { ocspCertId } from "../../src/evidence/nvidia/gpuOcsp.js";
import { simulateGpuOcsp } from "../../src/tee/simulated/simulateGpuOcsp.js";
import { nvidiaRimRequests } from "../../src/collateral/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { devRootPin, getDevRoots, simulateEvidence, simulateGpuReport, simulateGpuRim, simulateGpuRims } from "../../src/tee/simulated/index.js";
import { runCli } from "../cli/support/runCli.js";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { buildDevReferenceValues } from "../../src/devnet/index.js";
import { verifyGpuEvidenceSet } from "../../src/evidence/nvidia/index.js";
import { verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createKeyReleaseService, requestKeyRelease } from "../../src/services/keys/index.js";
import { createVerifierNode, requestVerdict } from "../../src/services/verifier/index.js";
import { rejection } from "../support/rejection.js";
import { ok, startStandIn, type StandIn, type StandInAnswer } from "./support/standIn.js";
import { rimService } from "./support/vendorStandIns.js";

const BINDING = `0x${"5c".repeat(32)}` as const;
const AT = new Date().toISOString();
const devRoots = getDevRoots();
const pin = devRootPin(devRoots, "nvidia").sha256;

/** Simulated JSON GPU evidence (chain embedded) and the RIMs NVIDIA would publish for its firmware. */
function gpu(registers: Record<string, `0x${string}`> = {}) {
  const { report, certificateChain } = simulateGpuReport({ binding: BINDING, devRoots, registers });
  const pem = certificateChain.map((cert) => cert.toString()).join("");
  const document = [{ arch: "HOPPER", nonce: BINDING.slice(2), evidence: Buffer.from(report).toString("base64"), certificate: Buffer.from(pem).toString("base64") }];
  const file = join(mkdtempSync(join(tmpdir(), "teezk-gpu-")), "gpu.json");
  writeFileSync(file, JSON.stringify(document));
  return { file, report, certificateChain, rims: simulateGpuRims({ devRoots, report }) };
}

type OcspOptions = { status?: "good" | "revoked"; stale?: boolean };

/**
 * NVIDIA's OCSP responder: POST application/ocsp-request → application/ocsp-response, the answer for the
 * CertID asked, signed by the certificate's issuing (dev) CA.
 */
function ocspResponder(chain: readonly X509Certificate[], options: OcspOptions = {}) {
  return (body: Uint8Array): StandInAnswer | undefined => {
    const asked = AsnConvert.parse(Buffer.from(body), OCSPRequest).tbsRequest.requestList[0]!.reqCert;
    const now = new Date();
    const window = options.stale ? { thisUpdate: new Date(now.getTime() - 48 * 3_600_000), nextUpdate: new Date(now.getTime() - 60_000) } : {};
    const answers = simulateGpuOcsp({ devRoots, certificateChain: chain, now, ...window, ...(options.status ? { status: options.status } : {}) });
    const index = chain.slice(0, -1).findIndex((certificate, i) => {
      const id = ocspCertId({ certificate, issuer: chain[i + 1]! });
      return Buffer.from(id.serialNumber).equals(Buffer.from(asked.serialNumber)) && Buffer.from(id.issuerKeyHash.buffer).equals(Buffer.from(asked.issuerKeyHash.buffer));
    });
    return index < 0 ? undefined : ok(answers[index]!, "application/ocsp-response");
  };
}

const standIns: StandIn[] = [];
afterEach(async () => {
  await Promise.all(standIns.splice(0).map((standIn) => standIn.close()));
});
async function serve(rims: Record<string, Uint8Array>, ocsp?: (body: Uint8Array) => StandInAnswer | undefined) {
  const standIn = await startStandIn(rimService(rims, ocsp));
  standIns.push(standIn);
  return standIn;
}

async function verifyGpu(file: string, url: string, cacheDir: string, ...extra: string[]) {
  const result = await runCli(["verify", file, "--type", "nvidia", "--at", AT, "--json", "--trust-root", pin, "--nvidia-rim-url", url, "--nvidia-ocsp-url", `${url}/ocsp`, "--cache-dir", cacheDir, ...extra]);
  return { ...result, report: JSON.parse(result.out) as { ok: boolean; code?: string; checks?: Record<string, string>; collateralSources: { name: string; source: string }[] } };
}

describe("NVIDIA RIM service fetcher (issue 15 item 4)", () => {
  it("derives the driver and VBIOS RIM ids from the real hopper report, as NVIDIA's verifier names them", () => {
    const hex = readFileSync(fixturePath("nvidia-gpu/nvtrust-hopper-sample/attestation-report.hex"), "utf8").trim();
    const urls = nvidiaRimRequests(new Uint8Array(Buffer.from(hex, "hex")), {}).map((request) => request.url);
    expect(urls).toEqual([
      "https://rim.attestation.nvidia.com/v1/rim/NV_GPU_DRIVER_GH100_550.90.07",
      "https://rim.attestation.nvidia.com/v1/rim/NV_GPU_VBIOS_1010_0200_882_96009F0001",
    ]);
    const ppcie = readFileSync(fixturePath("nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json"));
    expect(nvidiaRimRequests(new Uint8Array(ppcie), { nvidiaRimUrl: "http://127.0.0.1:1/" }).map((request) => request.key)).toEqual([
      "nvidia:/v1/rim/NV_GPU_DRIVER_GH100_590.12",
      "nvidia:/v1/rim/NV_GPU_VBIOS_G520_0200_885_9600A50001",
    ]);
  });

  it("fetches both RIMs from the stand-in, verifies them (checks.rim passed), caches them; --offline then uses the cache", async () => {
    const { file, rims, certificateChain } = gpu();
    const standIn = await serve(rims, ocspResponder(certificateChain));
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const first = await verifyGpu(file, standIn.url, cacheDir);
    expect(first.report).toMatchObject({ ok: true, checks: { rim: "passed", signature: "passed", revocation: "passed" } });
    expect(first.report.collateralSources.map((item) => item.source)).toEqual(Array(5).fill("fetched"));
    expect(standIn.requests.sort()).toEqual([...Object.keys(rims).map((id) => `/v1/rim/${id}`), ...Array(3).fill("/ocsp")].sort());
    expect(readdirSync(cacheDir)).toHaveLength(5);
    const offline = await verifyGpu(file, standIn.url, cacheDir, "--offline");
    expect(offline.report).toMatchObject({ ok: true, checks: { rim: "passed", revocation: "passed" } });
    expect(standIn.requests).toHaveLength(5);
  });

  it("a RIM whose golden value differs from the report's block: RIM_MISMATCH, nothing cached", async () => {
    const { file, report, rims, certificateChain } = gpu();
    const other = gpu({ measurement1: `0x${"77".repeat(48)}` });
    const vbiosId = Object.keys(rims).find((id) => id.startsWith("NV_GPU_VBIOS_"))!;
    expect(Object.keys(other.rims)).toContain(vbiosId);
    const standIn = await serve({ ...rims, [vbiosId]: other.rims[vbiosId]! }, ocspResponder(certificateChain));
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const result = await verifyGpu(file, standIn.url, cacheDir);
    expect(result.code).toBe(1);
    expect(result.report).toMatchObject({ ok: false, code: "RIM_MISMATCH" });
    expect(readdirSync(cacheDir)).toEqual([]);
    expect(report.length).toBeGreaterThan(0);
  });

  it("a RIM signed under a root nobody pinned: ROOT_NOT_TRUSTED; an unknown id: 404 → COLLATERAL_FETCH_FAILED; another id's answer: COLLATERAL_INVALID", async () => {
    const { file, rims, certificateChain } = gpu();
    const [driverId, vbiosId] = Object.keys(rims) as [string, string];
    const responder = ocspResponder(certificateChain);
    const stranger = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-other-roots-")) });
    const foreign = simulateGpuRim({ devRoots: stranger, version: "550.54.15", measurements: [] });
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const signedElsewhere = await serve({ ...rims, [driverId]: foreign }, responder);
    expect((await verifyGpu(file, signedElsewhere.url, cacheDir)).report).toMatchObject({ ok: false, code: "ROOT_NOT_TRUSTED" });
    const missing = await serve({ [vbiosId]: rims[vbiosId]! }, responder);
    expect((await verifyGpu(file, missing.url, cacheDir)).report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED" });
    const swapped = await startStandIn((path, query, body) => rimService(rims, responder)(path.replace(driverId, vbiosId), query, body));
    standIns.push(swapped);
    expect((await verifyGpu(file, swapped.url, cacheDir)).report).toMatchObject({ ok: false, code: "COLLATERAL_INVALID" });
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe("NVIDIA OCSP through the stand-in responder (issue 15 item 4)", () => {
  it("a revoked device certificate refuses (CERT_REVOKED), a stale answer refuses (COLLATERAL_EXPIRED), a responder that is down is COLLATERAL_FETCH_FAILED; nothing is cached", async () => {
    const { file, rims, certificateChain } = gpu();
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-cache-"));
    const revoked = await serve(rims, ocspResponder(certificateChain, { status: "revoked" }));
    expect((await verifyGpu(file, revoked.url, cacheDir)).report).toMatchObject({ ok: false, code: "CERT_REVOKED" });
    const stale = await serve(rims, ocspResponder(certificateChain, { stale: true }));
    expect((await verifyGpu(file, stale.url, cacheDir)).report).toMatchObject({ ok: false, code: "COLLATERAL_EXPIRED" });
    const down = await serve(rims);
    expect((await verifyGpu(file, down.url, cacheDir)).report).toMatchObject({ ok: false, code: "COLLATERAL_FETCH_FAILED" });
    expect(readdirSync(cacheDir)).toEqual([]);
  });
});

describe("teezk verify <cpu> --gpu <gpu.json> fetches the GPU half's RIMs and OCSP answers (issue 15 item 4)", () => {
  it("composite Nitro + GPU with a policy requiring rim and revocation: passes with the stand-ins, refuses (RIM_MISMATCH) when the RIM service serves another firmware's RIM", async () => {
    const { file, rims, certificateChain } = gpu();
    const dir = mkdtempSync(join(tmpdir(), "teezk-composite-"));
    const nitro = simulateEvidence({ vendor: "nitro", binding: BINDING, devRoots });
    const cpuFile = join(dir, "nitro.bin");
    writeFileSync(cpuFile, nitro.evidence);
    const policyFile = join(dir, "policy.json");
    const probe = await serve(rims, ocspResponder(certificateChain));
    const run = (url: string, policy?: string) =>
      runCli(["verify", cpuFile, "--gpu", file, "--json", "--trust-root", nitro.trustedRoot.sha256, "--trust-root", pin, "--nvidia-rim-url", url, "--nvidia-ocsp-url", `${url}/ocsp`, "--cache-dir", mkdtempSync(join(tmpdir(), "teezk-cache-")), ...(policy ? ["--policy", policy] : [])]);
    const inspected = JSON.parse((await run(probe.url)).out) as { claims: { measurement: string }; gpu: { claims: { measurement: string }; registers: Record<string, unknown> }[] };
    expect(inspected.gpu[0]!.registers.rimComparedIndexes).toBe(33);
    writeFileSync(policyFile, JSON.stringify({
      version: 1,
      tee: {
        NITRO: { allowedMeasurements: [inspected.claims.measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"] },
        NVIDIA_GPU: { allowedMeasurements: [inspected.gpu[0]!.claims.measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"], requiredChecks: ["rim", "revocation"] },
      },
    }));
    const passed = await run(probe.url, policyFile);
    expect(JSON.parse(passed.out)).toMatchObject({ ok: true });
    const vbiosId = Object.keys(rims).find((id) => id.startsWith("NV_GPU_VBIOS_"))!;
    const other = gpu({ measurement2: `0x${"66".repeat(48)}` });
    const wrong = await serve({ ...rims, [vbiosId]: other.rims[vbiosId]! }, ocspResponder(certificateChain));
    const refused = await run(wrong.url, policyFile);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.out)).toMatchObject({ ok: false, code: "RIM_MISMATCH" });
  });
});

describe("a lone GPU report under a policy (issue 12 item 2 with issue 15 fetching)", () => {
  it("is refused GPU_NOT_AN_ENCLAVE without spending RIM or OCSP requests", async () => {
    const { file, rims, certificateChain } = gpu();
    const standIn = await serve(rims, ocspResponder(certificateChain));
    const policy = join(mkdtempSync(join(tmpdir(), "teezk-policy-")), "policy.json");
    writeFileSync(policy, JSON.stringify({ version: 1, tee: { NVIDIA_GPU: { allowedMeasurements: [`0x${"00".repeat(32)}`], acceptedTcbStatuses: ["NOT_APPLICABLE"] } } }));
    const result = await verifyGpu(file, standIn.url, mkdtempSync(join(tmpdir(), "teezk-cache-")), "--policy", policy);
    expect(result.report).toMatchObject({ ok: false, code: "GPU_NOT_AN_ENCLAVE" });
    expect(standIn.requests).toEqual([]);
  });
});

describe("verifier node and key release with --fetch-collateral: the composite's GPU half gets its RIMs and OCSP answers (issue 15)", () => {
  const servers: ServeAppReturnType[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee04" as Hex };

  /** Nodes whose default policy (rim and revocation required) allows this Nitro enclave and this GPU firmware. */
  async function services(url: string, clock = () => new Date()) {
    const nitro = simulateEvidence({ vendor: "nitro", binding: BINDING, devRoots });
    const gpuClaims = verifyGpuEvidenceSet({ evidence: gpuJson(BINDING), now: new Date(), extraTrustedRoots: [devRootPin(devRoots, "nvidia")] })[0]!.claims;
    const nitroClaims = verifyEvidence({ evidence: nitro.evidence, now: new Date(), extraTrustedRoots: [nitro.trustedRoot] }).evidence.claims;
    const referenceValues = buildDevReferenceValues({ allowed: [nitroClaims, gpuClaims] });
    const common = {
      extraTrustedRoots: [nitro.trustedRoot, devRootPin(devRoots, "nvidia")],
      collateralServices: { nvidiaRimUrl: url, nvidiaOcspUrl: `${url}/ocsp`, cacheDir: mkdtempSync(join(tmpdir(), "teezk-cache-")) },
    };
    const verifier = createVerifierNode({ account: privateKeyToAccount(generatePrivateKey()), committee, referenceValues, clock, ...common });
    const node = await serveApp(verifier.app);
    const keys = await serveApp(createKeyReleaseService({ keys: [{ id: "weights", material: new Uint8Array(32).fill(7), referenceValues }], ...common }).app);
    servers.push(node, keys);
    return { node: node.url, keys: keys.url, verifier };
  }
  const gpuJson = (binding: Hex) => new Uint8Array(Buffer.from(simulateEvidence({ vendor: "nvidia", binding, devRoots, gpuFormat: "json" }).evidence));
  const nitroFor = (binding: Hex) => simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence;
  const release = async (url: string) => {
    const keyPair = await generateHpkeKeyPair();
    return requestKeyRelease(url, {
      keyId: "weights",
      enclaveAddress: privateKeyToAccount(generatePrivateKey()).address,
      keyPair,
      attest: (bound) => ({ evidence: nitroFor(bound), gpuEvidence: gpuJson(bound) }),
    });
  };

  it("fetched RIMs and OCSP answers pass the default policy: a verdict and a key", async () => {
    const { rims, certificateChain } = gpu();
    const standIn = await serve(rims, ocspResponder(certificateChain));
    const { node, keys } = await services(standIn.url);
    const answer = await requestVerdict(node, { evidence: nitroFor(BINDING), gpuEvidence: gpuJson(BINDING), expectedBinding: BINDING });
    expect(answer.appraisal.ok).toBe(true);
    expect(standIn.requests.some((request) => request.startsWith("/v1/rim/NV_GPU_VBIOS_"))).toBe(true);
    expect((await release(keys)).key).toHaveLength(32);
  });

  it("the GPU half's set is refreshed in the background before its OCSP answers' nextUpdate (re-verified as a GPU, not refused as a lone one)", async () => {
    const { rims, certificateChain } = gpu();
    const standIn = await serve(rims, ocspResponder(certificateChain));
    let offsetMs = 0;
    const { node, verifier } = await services(standIn.url, () => new Date(Date.now() + offsetMs));
    await requestVerdict(node, { evidence: nitroFor(BINDING), gpuEvidence: gpuJson(BINDING), expectedBinding: BINDING });
    // The simulated answers are current for 23 hours: at 22 hours every OCSP item is within its refresh margin.
    offsetMs = 22 * 3_600_000;
    const before = standIn.requests.length;
    const report = await verifier.refreshCollateral();
    verifier.close();
    expect(report.failed).toEqual([]);
    expect(report.refreshed).toBeGreaterThan(0);
    expect(standIn.requests.length).toBeGreaterThan(before);
  });

  it("a GPU whose firmware the RIM service's RIM does not describe: no verdict, no key (RIM_MISMATCH); a lone GPU fetches nothing", async () => {
    const { rims, certificateChain } = gpu();
    const vbiosId = Object.keys(rims).find((id) => id.startsWith("NV_GPU_VBIOS_"))!;
    const other = gpu({ measurement2: `0x${"66".repeat(48)}` });
    const standIn = await serve({ ...rims, [vbiosId]: other.rims[vbiosId]! }, ocspResponder(certificateChain));
    const { node, keys } = await services(standIn.url);
    expect((await rejection(requestVerdict(node, { evidence: nitroFor(BINDING), gpuEvidence: gpuJson(BINDING), expectedBinding: BINDING }))).code).toBe("RIM_MISMATCH");
    const refused = await rejection(release(keys));
    expect(refused.code).toBe("KEY_RELEASE_REFUSED");
    expect(refused.shortMessage).toContain("RIM_MISMATCH");

    const before = standIn.requests.length;
    expect((await rejection(requestVerdict(node, { evidence: gpuJson(BINDING), expectedBinding: BINDING }))).code).toBe("GPU_NOT_AN_ENCLAVE");
    expect(standIn.requests.length).toBe(before);
  });
});
