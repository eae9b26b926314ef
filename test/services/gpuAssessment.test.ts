import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { encodeCompositeClaims } from "../../src/claims/index.js";
import { verifyGpuEvidenceSet } from "../../src/evidence/nvidia/index.js";
import { parseReferenceValues, type ReferenceValuesInput } from "../../src/policy/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createKeyReleaseService, requestKeyRelease } from "../../src/services/keys/index.js";
import { createVerifierNode, requestVerdict } from "../../src/services/verifier/index.js";
import { devRootPin, getDevRoots, simulateEvidence, simulatedRegister, type DevRoots } from "../../src/tee/simulated/index.js";
import { rejection } from "../support/rejection.js";

/**
 * Item 2 and 6 of issue 12, as an attacker plays them against the verifier node and the key-release service:
 * a GPU report alone (its SPDM nonce is whatever the host driving the GPU chose, here the attacker's own binding)
 * must never be taken for an enclave, and in composite CPU+GPU evidence the GPU half is appraised like the CPU's.
 */
const nitroMeasurement = `0x${createHash("sha256")
  .update(Buffer.concat(["pcr0", "pcr1", "pcr2"].map((pcr) => simulatedRegister("nitro", pcr))))
  .digest("hex")}` as Hex;

describe("GPU evidence at the verifier node and the key-release service (simulated TEEs, dev roots)", () => {
  let dir: string;
  let devRoots: DevRoots;
  let gpuMeasurement: Hex;
  const servers: ServeAppReturnType[] = [];
  const material = new Uint8Array(randomBytes(32));
  const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee02" as Hex };

  const gpu = (binding: Hex) => simulateEvidence({ vendor: "nvidia", binding, devRoots, gpuFormat: "json" }).evidence;
  const nitro = (binding: Hex) => simulateEvidence({ vendor: "nitro", binding, devRoots }).evidence;
  const policy = (tee: ReferenceValuesInput["tee"]) => parseReferenceValues({ version: 1, maxAgeSeconds: 600, tee });
  const nitroRefs = () => ({ allowedMeasurements: [nitroMeasurement], acceptedTcbStatuses: ["NOT_APPLICABLE" as const] });
  const gpuRefs = (measurement: Hex) => ({ allowedMeasurements: [measurement], acceptedTcbStatuses: ["NOT_APPLICABLE" as const] });
  const trust = () => [devRootPin(devRoots, "nitro"), devRootPin(devRoots, "nvidia")];

  /** A GPU collateral folder (the RIM service's RIMs and the OCSP answers for the simulated GPUs), as a service is configured. */
  const gpuFolder = () => {
    const folder = join(dir, "gpu-collateral");
    mkdirSync(folder, { recursive: true });
    const { collateralFiles } = simulateEvidence({ vendor: "nvidia", binding: `0x${"00".repeat(32)}`, devRoots, gpuFormat: "json" });
    for (const [name, text] of Object.entries(collateralFiles!)) writeFileSync(join(folder, name), text);
    return folder;
  };
  type WithGpuCollateral = { gpuCollateral?: boolean };

  async function verifierNode(tee: ReferenceValuesInput["tee"], { gpuCollateral }: WithGpuCollateral = {}): Promise<string> {
    const node = createVerifierNode({
      account: privateKeyToAccount(generatePrivateKey()),
      committee,
      referenceValues: policy(tee),
      extraTrustedRoots: trust(),
      ...(gpuCollateral ? { collateral: { nvidia: gpuFolder() } } : {}),
    });
    const server = await serveApp(node.app);
    servers.push(server);
    return server.url;
  }

  async function keyService(tee: ReferenceValuesInput["tee"], { gpuCollateral }: WithGpuCollateral = {}): Promise<string> {
    const service = createKeyReleaseService({
      keys: [{ id: "model-weights", material, referenceValues: policy(tee) }],
      extraTrustedRoots: trust(),
      ...(gpuCollateral ? { collateral: { nvidia: gpuFolder() } } : {}),
    });
    const server = await serveApp(service.app);
    servers.push(server);
    return server.url;
  }

  /**
   * The same evidence, bound to a fresh binding, sent to a verifier node and to a key-release service under one
   * policy; both must refuse. Returns each refusal for the caller's assertions.
   */
  async function refusalsAtBothServices(
    tee: ReferenceValuesInput["tee"],
    attest: (binding: Hex) => { evidence: Uint8Array; gpuEvidence?: Uint8Array },
    binding: Hex,
  ) {
    const verdict = await rejection(requestVerdict(await verifierNode(tee), { ...attest(binding), expectedBinding: binding }));
    const enclave = { address: privateKeyToAccount(generatePrivateKey()).address, keyPair: await generateHpkeKeyPair() };
    const release = await rejection(
      requestKeyRelease(await keyService(tee), { keyId: "model-weights", enclaveAddress: enclave.address, keyPair: enclave.keyPair, attest }),
    );
    expect(verdict.code).toBe("VERDICT_REFUSED");
    expect(release.code).toBe("KEY_RELEASE_REFUSED");
    return { verdict, release };
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-gpu-assessment-"));
    devRoots = getDevRoots({ dir: join(dir, "dev-roots") });
    const probe = simulateEvidence({ vendor: "nvidia", binding: `0x${"00".repeat(32)}`, devRoots, gpuFormat: "json" });
    gpuMeasurement = verifyGpuEvidenceSet({ evidence: probe.evidence, now: new Date(), extraTrustedRoots: [probe.trustedRoot] })[0]!.claims.measurement;
  });

  afterAll(async () => {
    for (const server of servers) await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the key-release service refuses a standalone GPU report bound to the attacker's own key: GPU_NOT_AN_ENCLAVE", async () => {
    // The key's policy even allows the GPU's measurement: the attacker's best case.
    const url = await keyService({ NITRO: nitroRefs(), NVIDIA_GPU: gpuRefs(gpuMeasurement) });
    const attacker = { address: privateKeyToAccount(generatePrivateKey()).address, keyPair: await generateHpkeKeyPair() };
    const error = await rejection(
      requestKeyRelease(url, { keyId: "model-weights", enclaveAddress: attacker.address, keyPair: attacker.keyPair, attest: (binding) => ({ evidence: gpu(binding) }) }),
    );
    expect(error.code).toBe("KEY_RELEASE_REFUSED");
    expect(error.details).toContain("GPU_NOT_AN_ENCLAVE");
  });

  it("the verifier node signs no verdict for a standalone GPU report: GPU_NOT_AN_ENCLAVE", async () => {
    const url = await verifierNode({ NITRO: nitroRefs(), NVIDIA_GPU: gpuRefs(gpuMeasurement) });
    const binding = `0x${"1d".repeat(32)}` as Hex;
    const error = await rejection(requestVerdict(url, { evidence: gpu(binding), expectedBinding: binding }));
    expect(error.code).toBe("GPU_NOT_AN_ENCLAVE");
  });

  it("a composite whose GPU measurement the policy does not allow: no verdict, no key (gpu[0].measurement)", async () => {
    const tee = { NITRO: nitroRefs(), NVIDIA_GPU: gpuRefs(`0x${"ee".repeat(32)}`) };
    const { verdict, release } = await refusalsAtBothServices(tee, (bound) => ({ evidence: nitro(bound), gpuEvidence: gpu(bound) }), `0x${"2e".repeat(32)}`);
    expect(verdict.details).toContain("gpu[0].measurement MEASUREMENT_NOT_ALLOWED");
    expect(release.details).toContain("gpu[0].measurement MEASUREMENT_NOT_ALLOWED");
  });

  it("a policy naming GPU measurements refuses CPU-only evidence: GPU_EVIDENCE_REQUIRED at the node and the key service", async () => {
    const tee = { NITRO: nitroRefs(), NVIDIA_GPU: gpuRefs(gpuMeasurement) };
    const { verdict, release } = await refusalsAtBothServices(tee, (bound) => ({ evidence: nitro(bound) }), `0x${"3f".repeat(32)}`);
    expect(verdict.details).toContain("GPU_EVIDENCE_REQUIRED");
    expect(release.details).toContain("GPU_EVIDENCE_REQUIRED");
  });

  it("a composite whose GPU half comes without RIMs or OCSP answers: no verdict, no key under the default policy (CHECK_NOT_PERFORMED)", async () => {
    // The attacker's GPU runs firmware no NVIDIA RIM describes; it sends no collateral and the services hold none
    // for it, so nothing compares its measurements with golden values. The policy even allows its measurement.
    const tee = { NITRO: nitroRefs(), NVIDIA_GPU: gpuRefs(gpuMeasurement) };
    const { verdict, release } = await refusalsAtBothServices(tee, (bound) => ({ evidence: nitro(bound), gpuEvidence: gpu(bound) }), `0x${"5b".repeat(32)}`);
    expect(verdict.details).toContain("gpu[0].check.rim CHECK_NOT_PERFORMED");
    expect(verdict.details).toContain("gpu[0].check.revocation CHECK_NOT_PERFORMED");
    expect(release.details).toContain("gpu[0].check.rim CHECK_NOT_PERFORMED");
  });

  it("a composite whose GPU passes the policy gets its verdict and its key", async () => {
    const tee = { NITRO: nitroRefs(), NVIDIA_GPU: gpuRefs(gpuMeasurement) };
    const binding = `0x${"4a".repeat(32)}` as Hex;
    const answer = await requestVerdict(await verifierNode(tee, { gpuCollateral: true }), { evidence: nitro(binding), gpuEvidence: gpu(binding), expectedBinding: binding });
    expect(answer.appraisal.evaluated).toContain("gpu[0].measurement");
    // Its RIMs and OCSP answers came from the services' GPU folder, checked to the RIM root they trust.
    expect(answer.appraisal.skippedChecks ?? []).toEqual([]);
    expect(answer.claims.reportData).toBe(binding);
    // The verdict covers the whole composite (what EnclaveRegistry.registerComposite hands the committee route).
    expect(answer.gpuClaims?.map((claims) => claims.measurement)).toEqual([gpuMeasurement]);
    expect(answer.claimsHash).toBe(keccak256(encodeCompositeClaims({ claims: answer.claims, gpuClaims: answer.gpuClaims! })));

    const enclave = { address: privateKeyToAccount(generatePrivateKey()).address, keyPair: await generateHpkeKeyPair() };
    const released = await requestKeyRelease(await keyService(tee, { gpuCollateral: true }), {
      keyId: "model-weights",
      enclaveAddress: enclave.address,
      keyPair: enclave.keyPair,
      attest: (bound) => ({ evidence: nitro(bound), gpuEvidence: gpu(bound) }),
    });
    expect(Buffer.from(released.key).toString("hex")).toBe(Buffer.from(material).toString("hex"));
  });
});
