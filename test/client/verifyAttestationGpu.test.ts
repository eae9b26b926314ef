import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, describe, expect, it } from "vitest";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { computeBinding } from "../../src/claims/index.js";
import { verifyAttestation } from "../../src/client/index.js";
import { buildDevReferenceValues } from "../../src/devnet/buildDevReferenceValues.js";
import { probeSimulatedClaims } from "../../src/devnet/probeSimulatedClaims.js";
import { isTeezkError } from "../../src/errors/index.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";

/**
 * Issue 12 items 2 and 6 at the delegating client: a prover "node" on a host with no CPU TEE answers the
 * attestation request with a genuine GPU report whose SPDM nonce it chose to be the binding of its own keys.
 */
describe("verifyAttestation and GPU evidence (simulated TEEs, dev roots)", () => {
  const dir = mkdtempSync(join(tmpdir(), "teezk-client-gpu-"));
  const devRoots = getDevRoots({ dir });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date();
  const policy = buildDevReferenceValues({ allowed: [probeSimulatedClaims({ vendor: "nitro", now, devRoots }).claims, probeSimulatedClaims({ vendor: "nvidia", now, devRoots }).claims] });

  async function answer(parts: (binding: Hex) => { kind: string; evidence: Uint8Array; gpuEvidence?: Uint8Array; gpuCollateral?: Record<string, string> }) {
    const nonce = `0x${"77".repeat(32)}` as Hex;
    const keyPair = await generateHpkeKeyPair();
    const enclaveAddress = privateKeyToAccount(generatePrivateKey()).address;
    const binding = computeBinding({ enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce });
    const { kind, evidence, gpuEvidence, gpuCollateral } = parts(binding);
    const attestation = {
      kind,
      evidence: Buffer.from(evidence).toString("base64"),
      ...(gpuEvidence ? { gpuEvidence: Buffer.from(gpuEvidence).toString("base64") } : {}),
      ...(gpuCollateral ? { gpuCollateral } : {}),
      enclaveAddress,
      hpkePublicKey: keyPair.publicKey,
      nonce,
      receiptDomain: { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee03" },
      programIds: {},
    };
    return () => verifyAttestation({ attestation, nonce, referenceValues: policy, allowDevRoots: true, devRoots, now });
  }
  const simulatedGpu = (binding: Hex) => simulateEvidence({ vendor: "nvidia", binding, devRoots, gpuFormat: "json", now });
  const gpu = (binding: Hex) => simulatedGpu(binding).evidence;
  const nitro = (binding: Hex) => simulateEvidence({ vendor: "nitro", binding, devRoots, now }).evidence;
  const codeOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (isTeezkError(error)) return error.code;
      throw error;
    }
    return "accepted";
  };

  it("refuses a standalone GPU report bound to the host's own keys: GPU_NOT_AN_ENCLAVE", async () => {
    expect(codeOf(await answer((binding) => ({ kind: "nvidia", evidence: gpu(binding) })))).toBe("GPU_NOT_AN_ENCLAVE");
  });

  it("refuses CPU-only evidence when the policy names GPU measurements: GPU_EVIDENCE_REQUIRED", async () => {
    expect(codeOf(await answer((binding) => ({ kind: "nitro", evidence: nitro(binding) })))).toBe("GPU_EVIDENCE_REQUIRED");
  });

  it("refuses a composite whose GPU half comes without RIMs and OCSP answers: CHECK_NOT_PERFORMED under the default policy", async () => {
    // A prover hiding the GPU's collateral so that firmware no RIM describes is never compared with golden values.
    const run = await answer((binding) => ({ kind: "nitro", evidence: nitro(binding), gpuEvidence: gpu(binding) }));
    expect(codeOf(run)).toBe("CHECK_NOT_PERFORMED");
  });

  it("accepts the composite with the GPU collateral the prover serves (RIMs and OCSP answers checked to the roots it trusts)", async () => {
    const run = await answer((binding) => {
      const { evidence, collateralFiles } = simulatedGpu(binding);
      return { kind: "nitro", evidence: nitro(binding), gpuEvidence: evidence, gpuCollateral: collateralFiles! };
    });
    const verified = run();
    expect(verified.gpu).toHaveLength(1);
    expect(verified.gpu![0]!.checks).toMatchObject({ rim: "passed", revocation: "passed" });
    expect(verified.appraisal.evaluated).toContain("gpu[0].measurement");
  });
});
