import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateHpkeKeyPair } from "../../src/channel/index.js";
import { computeBinding } from "../../src/claims/index.js";
import { verifyAttestation } from "../../src/client/index.js";
import { buildDevReferenceValues } from "../../src/devnet/buildDevReferenceValues.js";
import { probeSimulatedClaims } from "../../src/devnet/probeSimulatedClaims.js";
import { encodeAttestationResponse } from "../../src/protocol/index.js";
import { getDevRoots, simulateEvidence } from "../../src/tee/simulated/index.js";

/**
 * Issue 13 item 6: collateral a prover serves is a value. The client parses it from the answer in memory; it used
 * to write it into a temporary folder and read it back, so a client without a writable temp folder could not
 * verify at all (and the served names became paths on its disk).
 */
describe("verifyAttestation with collateral served by the prover (simulated SEV-SNP + GPU, dev roots)", () => {
  const dir = mkdtempSync(join(tmpdir(), "teezk-client-values-"));
  const devRoots = getDevRoots({ dir });
  const savedTmp = process.env.TMPDIR;
  afterEach(() => {
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const now = new Date();
  const policy = buildDevReferenceValues({
    allowed: [probeSimulatedClaims({ vendor: "sevsnp", now, devRoots }).claims, probeSimulatedClaims({ vendor: "nvidia", now, devRoots }).claims],
  });

  async function servedAnswer() {
    const nonce = `0x${"5a".repeat(32)}` as Hex;
    const keyPair = await generateHpkeKeyPair();
    const enclaveAddress = privateKeyToAccount(generatePrivateKey()).address;
    const binding = computeBinding({ enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce });
    const cpu = simulateEvidence({ vendor: "sevsnp", binding, devRoots, now });
    const gpu = simulateEvidence({ vendor: "nvidia", binding, devRoots, gpuFormat: "json", now });
    const attestation = encodeAttestationResponse({
      kind: "sevsnp",
      evidence: cpu.evidence,
      collateral: cpu.collateralFiles!,
      gpuEvidence: gpu.evidence,
      gpuCollateral: gpu.collateralFiles!,
      enclaveAddress,
      hpkePublicKey: keyPair.publicKey,
      nonce,
      binding,
      receiptDomain: { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee03" },
      programIds: {},
    });
    return { attestation, nonce };
  }

  it("verifies the served CPU and GPU collateral with no temporary folder to write to", async () => {
    const { attestation, nonce } = await servedAnswer();
    // Before: mkdtempSync under TMPDIR failed (ENOENT) and the client could not verify; the collateral is parsed in memory now.
    process.env.TMPDIR = join(dir, "no-such-folder");
    const verified = verifyAttestation({ attestation, nonce, referenceValues: policy, allowDevRoots: true, devRoots, now });
    expect(verified.kind).toBe("sevsnp");
    expect(verified.appraisal.ok).toBe(true);
    expect(verified.gpu![0]!.checks).toMatchObject({ rim: "passed", revocation: "passed" });
  });

  it("still refuses the answer when the served collateral is withheld (the values are what was verified)", async () => {
    const { attestation, nonce } = await servedAnswer();
    const { collateral: _withheld, ...withoutCpuCollateral } = attestation;
    expect(() => verifyAttestation({ attestation: withoutCpuCollateral, nonce, referenceValues: policy, allowDevRoots: true, devRoots, now })).toThrowError(
      expect.objectContaining({ code: "COLLATERAL_MISSING" }),
    );
  });
});
