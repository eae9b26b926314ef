import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  assertAttestedBeforeSealing,
  generateHpkeKeyPair,
  openSealedMessage,
  sealForAttestedEnclave,
  type HpkeKeyPair,
} from "../../src/channel/index.js";
import { computeBinding, type VerifiedEvidence } from "../../src/claims/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { verifyNitroDocument } from "../../src/evidence/nitro/index.js";
import { verifyGpuEvidenceSet, type NvidiaCollateral } from "../../src/evidence/nvidia/index.js";
import { appraise, parseReferenceValues, type ReferenceValuesInput } from "../../src/policy/index.js";
import { getDevRoots, simulateEvidence, type DevRoots } from "../../src/tee/simulated/index.js";
import { toHex, type Hex } from "../../src/util/bytes.js";
import { codeOf } from "../support/rejection.js";

/**
 * The client-side gate with real evidence: a simulated Nitro enclave (real COSE/CBOR format, dev root) puts the
 * DESIGN §3 binding of its address, HPKE key and the client's nonce in user_data; the unmodified Nitro verifier
 * and the policy appraise it; only then does the witness get sealed.
 */
const now = new Date("2026-03-01T12:00:00Z");
let dir: string;
let devRoots: DevRoots;
let keyPair: HpkeKeyPair;
let enclaveAddress: Hex;
let nonce: Hex;
let binding: Hex;
let verified: VerifiedEvidence;

const policy = (overrides: Partial<ReferenceValuesInput> = {}, allowDebug = false) =>
  parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [verified.claims.measurement], allowDebug } }, ...overrides });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "teezk-channel-"));
  devRoots = getDevRoots({ dir });
  keyPair = await generateHpkeKeyPair();
  enclaveAddress = privateKeyToAccount(generatePrivateKey()).address;
  nonce = toHex(randomBytes(32));
  binding = computeBinding({ enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce });
  const sim = simulateEvidence({ vendor: "nitro", binding, devRoots, now });
  verified = verifyNitroDocument({ evidence: sim.evidence, now, extraTrustedRoots: [sim.trustedRoot] });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("assertAttestedBeforeSealing", () => {
  it("passes for the enclave's own key, address and the client's nonce, and the witness then reaches the enclave", async () => {
    const appraisal = appraise(verified.claims, policy(), now, { checks: verified.checks });
    expect(appraisal.ok).toBe(true);
    const result = assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce });
    expect(result.binding).toBe(binding.toLowerCase());
    expect(verified.claims.reportData.toLowerCase()).toBe(binding.toLowerCase());

    const witness = new TextEncoder().encode('{"secret":"42"}');
    const sealed = await sealForAttestedEnclave({
      hpkePublicKey: keyPair.publicKey,
      binding: result.binding,
      circuitId: "membership",
      plaintext: witness,
      attestation: { verified, appraisal, enclaveAddress, nonce },
    });
    const opened = await openSealedMessage({ keyPair, binding, circuitId: "membership", sealed });
    expect(new TextDecoder().decode(opened.plaintext)).toBe('{"secret":"42"}');
  });

  it("refuses a substituted HPKE key (a man in the middle's key is not in the report): BINDING_MISMATCH", async () => {
    const attacker = await generateHpkeKeyPair();
    const appraisal = appraise(verified.claims, policy(), now, { checks: verified.checks });
    expect(codeOf(() => assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress, hpkePublicKey: attacker.publicKey, nonce }))).toBe("BINDING_MISMATCH");
  });

  it("refuses a report made for another nonce (replay): BINDING_MISMATCH", () => {
    const appraisal = appraise(verified.claims, policy(), now, { checks: verified.checks });
    const otherNonce = toHex(randomBytes(32));
    expect(codeOf(() => assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce: otherNonce }))).toBe("BINDING_MISMATCH");
  });

  it("refuses another enclave address: BINDING_MISMATCH", () => {
    const appraisal = appraise(verified.claims, policy(), now, { checks: verified.checks });
    const other = privateKeyToAccount(generatePrivateKey()).address;
    expect(codeOf(() => assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress: other, hpkePublicKey: keyPair.publicKey, nonce }))).toBe("BINDING_MISMATCH");
  });

  it("refuses a failed appraisal with the appraisal's own code, listing every failure", () => {
    const notAllowed = parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [toHex(new Uint8Array(32).fill(7))] } } });
    const appraisal = appraise(verified.claims, notAllowed, now, { checks: verified.checks });
    expect(appraisal.ok).toBe(false);
    try {
      assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce });
      expect.unreachable();
    } catch (error) {
      expect(isTeezkError(error, "MEASUREMENT_NOT_ALLOWED")).toBe(true);
      expect((error as { details?: string }).details).toContain("measurement");
    }
  });

  it("refuses stale evidence (EVIDENCE_TOO_OLD) even though the binding matches", () => {
    const later = new Date(now.getTime() + 3_600_000);
    const appraisal = appraise(verified.claims, policy({ maxAgeSeconds: 600 }), later, { checks: verified.checks });
    expect(codeOf(() => assertAttestedBeforeSealing({ verified, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce }))).toBe("EVIDENCE_TOO_OLD");
  });

  it("refuses a debuggable enclave under a policy that forbids debug (DEBUG_ENCLAVE)", () => {
    const sim = simulateEvidence({ vendor: "nitro", binding, devRoots, now, debug: true });
    const debugVerified = verifyNitroDocument({ evidence: sim.evidence, now, extraTrustedRoots: [sim.trustedRoot] });
    expect(debugVerified.claims.debug).toBe(true);
    const refs = parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [debugVerified.claims.measurement] } } });
    const appraisal = appraise(debugVerified.claims, refs, now, { checks: debugVerified.checks });
    expect(codeOf(() => assertAttestedBeforeSealing({ verified: debugVerified, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce }))).toBe("DEBUG_ENCLAVE");
  });

  it("refuses GPU claims as the sealed-to enclave even with a passing appraisal of them (GPU_NOT_AN_ENCLAVE)", () => {
    // A host with no CPU TEE has its GPU sign the binding of its own key: the binding matches, the GPU is genuine.
    const sim = simulateEvidence({ vendor: "nvidia", binding, devRoots, now, gpuFormat: "json" });
    // With its RIMs and OCSP answers, so the appraisal passes the default rim and revocation checks too.
    const gpu = verifyGpuEvidenceSet({ evidence: sim.evidence, now, collateral: sim.collateral as NvidiaCollateral, extraTrustedRoots: [sim.trustedRoot] })[0]!;
    const refs = parseReferenceValues({ version: 1, tee: { NVIDIA_GPU: { allowedMeasurements: [gpu.claims.measurement], acceptedTcbStatuses: ["NOT_APPLICABLE"] } } });
    const appraisal = appraise(gpu.claims, refs, now, { checks: gpu.checks, part: "gpu" });
    expect(appraisal.ok).toBe(true);
    expect(codeOf(() => assertAttestedBeforeSealing({ verified: gpu, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce }))).toBe("GPU_NOT_AN_ENCLAVE");
  });

  it("an appraisal marked not ok without failures is refused too", () => {
    expect(
      codeOf(() =>
        assertAttestedBeforeSealing({ verified, appraisal: { ok: false, failures: [], evaluated: [] }, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce }),
      ),
    ).toBe("INTERNAL");
  });

  it("sealForAttestedEnclave with a failing attestation never produces a message", async () => {
    const notAllowed = parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [toHex(new Uint8Array(32).fill(7))] } } });
    const appraisal = appraise(verified.claims, notAllowed, now, { checks: verified.checks });
    await expect(
      sealForAttestedEnclave({ hpkePublicKey: keyPair.publicKey, binding, circuitId: "c", plaintext: new Uint8Array([1]), attestation: { verified, appraisal, enclaveAddress, nonce } }),
    ).rejects.toMatchObject({ code: "MEASUREMENT_NOT_ALLOWED" });
    const okAppraisal = appraise(verified.claims, policy(), now, { checks: verified.checks });
    await expect(
      sealForAttestedEnclave({
        hpkePublicKey: keyPair.publicKey,
        binding: toHex(randomBytes(32)),
        circuitId: "c",
        plaintext: new Uint8Array([1]),
        attestation: { verified, appraisal: okAppraisal, enclaveAddress, nonce },
      }),
    ).rejects.toMatchObject({ code: "BINDING_MISMATCH" });
  });

  it("rejects malformed key, nonce and address as CHANNEL_PARAMETERS_INVALID", () => {
    const appraisal = appraise(verified.claims, policy(), now, { checks: verified.checks });
    const base = { verified, appraisal, enclaveAddress, hpkePublicKey: keyPair.publicKey, nonce };
    expect(codeOf(() => assertAttestedBeforeSealing({ ...base, nonce: "0x01" }))).toBe("CHANNEL_PARAMETERS_INVALID");
    expect(codeOf(() => assertAttestedBeforeSealing({ ...base, hpkePublicKey: `0x${"11".repeat(65)}` }))).toBe("CHANNEL_PARAMETERS_INVALID");
    expect(codeOf(() => assertAttestedBeforeSealing({ ...base, enclaveAddress: "0x1234" }))).toBe("CHANNEL_PARAMETERS_INVALID");
  });
});
