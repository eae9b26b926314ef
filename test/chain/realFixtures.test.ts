import { X509Certificate, createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { decode } from "cbor2";
import { keccak256, toHex, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildAllowMeasurementCalls,
  committeeAttestationVerifierAbi,
  encodeCommitteeProof,
  issueChallenge,
  measurementRegistryAbi,
  registerEnclave,
  revertReason,
  tcbStatusBitmap,
} from "../../src/chain/index.js";
import { computeBinding, encodeClaims, type Claims } from "../../src/claims/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { realSamples } from "../../src/fixtures/realSamples.js";
import { parseReferenceValues } from "../../src/policy/index.js";
import { createVerifierSigner, type VerifierSigner } from "../../src/services/verifierSigner.js";
import { PROGRAM_ID, deployTeezkSystem, testAccount, type TeezkSystem } from "./support/system.js";
import { rejection } from "../support/rejection.js";

/*
 * Real evidence cannot register: its report data was chosen by whoever produced it, not as the DESIGN §3 binding
 * of an enclave key to a registry nonce, and EnclaveRegistry recomputes keccak256(abi.encode("teezk/v1",
 * enclave, hpkeKeyHash, nonce)) on-chain (a preimage nobody can find). So each real sample goes as far as the
 * chain lets it: verified and appraised by three TypeScript verifier nodes at the sample's own time, its claims
 * accepted by CommitteeAttestationVerifier.verifyAttestation (the claims-hash verdict path), accepted by
 * MeasurementRegistry.checkClaims with the chain clock set to the evidence time (the in-process chain starts at
 * the Nitro document's time and is moved forward to the TDX sample's), and then refused by register() with
 * BindingMismatch — which the registry checks only after the committee route accepted the proof.
 */

const nitroSample = realSamples.find((s) => s.id === "nitro/evervault-beta-2022-10")!;
const tdxSample = realSamples.find((s) => s.id === "tdx/dcapqvl-v4-b0c06f")!;
const sha256 = (...parts: Uint8Array[]): Hex => `0x${createHash("sha256").update(Buffer.concat(parts)).digest("hex")}`;
const rootHashOf = (path: string) => sha256(new X509Certificate(readFileSync(fixturePath(path))).raw);

/** Nitro measurement straight from the COSE payload (cbor2), DESIGN §2: sha256(PCR0‖PCR1‖PCR2). */
function nitroExpected(bytes: Uint8Array): { measurement: Hex; pcr0: string } {
  const cose = decode(bytes) as unknown[];
  const payload = decode(cose[2] as Uint8Array) as { pcrs: Map<number, Uint8Array> };
  const pcr = (i: number) => payload.pcrs.get(i)!;
  return { measurement: sha256(pcr(0), pcr(1), pcr(2)), pcr0: Buffer.from(pcr(0)).toString("hex") };
}

/** TDX measurement and report data sliced at the offsets of the TDX 1.0 TD report (quote v4, 48-byte header). */
function tdxExpected(quote: Uint8Array): { measurement: Hex; reportData: Hex } {
  const body = 48;
  const slice = (offset: number, length: number) => quote.subarray(body + offset, body + offset + length);
  return {
    // MRTD 136, MRCONFIGID 184, RTMR0..2 328..472, REPORTDATA 520.
    measurement: sha256(slice(136, 48), slice(184, 48), slice(328, 48), slice(376, 48), slice(424, 48)),
    reportData: toHex(slice(520, 32)),
  };
}

/** The decoded custom error a view call reverts with; undefined when it does not revert. */
const revertOf = (call: Promise<unknown>): Promise<string | undefined> => call.then(() => undefined, (error: unknown) => revertReason(error) ?? String(error));

describe("real Nitro and TDX evidence through the committee verdict path, at the evidence's own time", () => {
  let system: TeezkSystem;
  let nodes: VerifierSigner[];
  const nitroBytes = readFileSync(fixturePath(nitroSample.evidence));
  const tdxBytes = readFileSync(fixturePath(tdxSample.evidence));
  const nitro = nitroExpected(nitroBytes);
  const tdx = tdxExpected(tdxBytes);
  const nitroRoot = rootHashOf("roots/aws-nitro/root.pem");
  const intelRoot = rootHashOf("roots/intel-sgx/Intel_SGX_Root_CA.pem");

  beforeAll(async () => {
    // The chain starts 30 s before the Nitro document; deployment and the timelock delay add a few minutes.
    system = await deployTeezkSystem({ initialDate: new Date(Date.parse(nitroSample.at) - 30_000).toISOString() });
    const referenceValues = parseReferenceValues({
      version: 1,
      maxAgeSeconds: 3600,
      tee: {
        NITRO: { allowedMeasurements: [nitro.measurement], allowedRoots: [nitroRoot], acceptedTcbStatuses: ["NOT_APPLICABLE"] },
        TDX: {
          allowedMeasurements: [tdx.measurement],
          allowedRoots: [intelRoot],
          acceptedTcbStatuses: ["UP_TO_DATE"],
          requiredChecks: ["tcbInfo", "qeIdentity", "pckRevocation"],
        },
      },
    });
    nodes = system.nodeAccounts.map((account) =>
      createVerifierSigner({ account, committee: { chainId: system.chainId, verifyingContract: system.addresses.committee }, referenceValues }),
    );
  });

  /** Governance allows the sample's measurement and vendor root; nodes sign; the chain judges. */
  async function throughTheChain(teeType: number, measurement: Hex, rootHash: Hex, statuses: Parameters<typeof tcbStatusBitmap>[0], claims: Claims, proof: Hex) {
    await system.govern(
      buildAllowMeasurementCalls({
        measurementRegistry: system.addresses.measurementRegistry,
        programId: PROGRAM_ID,
        teeType,
        measurement,
        policy: { acceptedTcbStatuses: tcbStatusBitmap(statuses), minSvn: 0, maxEvidenceAge: 3600n },
        allowRootHashes: [rootHash],
      }),
    );
    const { publicClient } = system.clients;
    // The committee's claims-hash verdict path accepts the real claims (reverts otherwise).
    await publicClient.readContract({
      address: system.addresses.committee,
      abi: committeeAttestationVerifierAbi,
      functionName: "verifyAttestation",
      args: [encodeClaims(claims), proof],
    });
    // The registry's policy accepts them at a chain time within maxEvidenceAge of the evidence.
    const block = await publicClient.getBlock();
    expect(block.timestamp - claims.timestamp).toBeGreaterThanOrEqual(0n);
    expect(block.timestamp - claims.timestamp).toBeLessThan(3600n);
    await publicClient.readContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "checkClaims", args: [PROGRAM_ID, claims] });
    // Registration gets past the committee route and stops at the binding.
    const enclave = testAccount(`real ${teeType}`);
    const hpkeKeyHash = keccak256(toHex("hpke"));
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID });
    const refused = await rejection(
      registerEnclave({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID, claims, enclave: enclave.address, hpkeKeyHash, nonce: challenge, path: 1, proof }),
    );
    const expected = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey: toHex("unused"), nonce: challenge });
    expect(expected).not.toBe(claims.reportData);
    expect(refused.details).toMatch(new RegExp(`^BindingMismatch\\(0x[0-9a-f]{64}, ${claims.reportData}\\)$`));
  }

  it("Nitro (evervault beta, 2022-10-13): verified, appraised, signed by 3 nodes, accepted by the committee and the policy", async () => {
    expect(nitro.pcr0.startsWith("f4d48b81")).toBe(true); // PROVENANCE.md
    const now = new Date(nitroSample.at);
    const verdicts = await Promise.all(nodes.map((node) => node.attest({ evidence: nitroBytes, now })));
    const claims = verdicts[0]!.claims;
    expect(claims.measurement).toBe(nitro.measurement);
    expect(claims.rootHash).toBe(nitroRoot);
    expect(claims.reportData).toBe(`0x${"00".repeat(32)}`); // PROVENANCE: empty user_data
    expect(claims.timestamp).toBe(BigInt(Math.floor(Date.parse(nitroSample.at) / 1000)));
    expect(new Set(verdicts.map((v) => v.claimsHash)).size).toBe(1);
    await throughTheChain(3, nitro.measurement, nitroRoot, ["NOT_APPLICABLE"], claims, encodeCommitteeProof(verdicts.map((v) => v.verdict)));
  });

  it("the same Nitro document today: nodes refuse (expired leaf), and the chain calls the evidence too old", async () => {
    const today = await rejection(nodes[0]!.attest({ evidence: nitroBytes, now: new Date() }));
    expect(today.code).toBe("CERT_EXPIRED");
    const claims = (await nodes[0]!.attest({ evidence: nitroBytes, now: new Date(nitroSample.at) })).claims;
    await system.connection.networkHelpers.time.increase(7200);
    const tooOld = await revertOf(
      system.clients.publicClient.readContract({ address: system.addresses.measurementRegistry, abi: measurementRegistryAbi, functionName: "checkClaims", args: [PROGRAM_ID, claims] }),
    );
    expect(tooOld).toMatch(/^EvidenceTooOld\(/);
  });

  it("TDX (dcap-qvl v4 quote, 2025-06-20, full collateral): verified, appraised, signed by 3 nodes, accepted by the committee and the policy", async () => {
    const at = BigInt(Math.floor(Date.parse(tdxSample.at) / 1000));
    await system.connection.networkHelpers.time.increaseTo(at);
    const now = new Date(tdxSample.at);
    const verdicts = await Promise.all(
      nodes.map((node) => node.attest({ evidence: tdxBytes, now, collateralDir: tdxSample.collateral!.map((dir) => fixturePath(dir)) })),
    );
    const claims = verdicts[0]!.claims;
    expect(claims.measurement).toBe(tdx.measurement);
    expect(claims.reportData).toBe(tdx.reportData);
    expect(claims.rootHash).toBe(intelRoot);
    expect(claims.timestamp).toBe(at); // TDX claims carry the verification time
    await throughTheChain(1, tdx.measurement, intelRoot, ["UP_TO_DATE"], claims, encodeCommitteeProof(verdicts.map((v) => v.verdict)));
  });

  it("a proof for the Nitro claims does not vouch for the TDX claims", async () => {
    const nitroVerdicts = await Promise.all(nodes.map((node) => node.attest({ evidence: nitroBytes, now: new Date(nitroSample.at) })));
    const tdxClaims = (await nodes[0]!.attest({ evidence: tdxBytes, now: new Date(tdxSample.at), collateralDir: tdxSample.collateral!.map((dir) => fixturePath(dir)) })).claims;
    const error = await revertOf(
      system.clients.publicClient.readContract({
        address: system.addresses.committee,
        abi: committeeAttestationVerifierAbi,
        functionName: "verifyAttestation",
        args: [encodeClaims(tdxClaims), encodeCommitteeProof(nitroVerdicts.map((v) => v.verdict))],
      }),
    );
    expect(error).toMatch(/^(NotCommitteeMember|SignersNotAscending)\(/);
  });
});
