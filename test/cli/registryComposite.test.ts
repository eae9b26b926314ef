import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { keccak256, toHex, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildAllowMeasurementCalls,
  issueChallenge,
  measurementRegistryAbi,
  registerComposite,
  registerEnclave,
  signVerdict,
  tcbStatusBitmap,
} from "../../src/chain/index.js";
import { computeBinding, encodeCompositeClaims, type Claims } from "../../src/claims/index.js";
import { registryRegister } from "../../src/cli/commands/registry/registryRegister.js";
import { registryStatus } from "../../src/cli/commands/registry/registryStatus.js";
import type { ChainDeployment } from "../../src/cli/support/resolveDeployment.js";
import { buildDevReferenceValues, probeSimulatedClaims as probeGpu, writeCollateralFolder } from "../../src/devnet/index.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createVerifierNode, requestCommitteeVerdicts } from "../../src/services/verifier/index.js";
import { simulateEvidence } from "../../src/tee/simulated/index.js";
import type { PinnedRoot } from "../../src/util/x509.js";
import {
  ACCEPTED_STATUSES,
  MAX_EVIDENCE_AGE,
  deployTeezkSystem,
  probeSimulatedClaims,
  revertOf,
  simulate,
  testAccount,
  type TeezkSystem,
} from "../chain/support/system.js";
import { rejection } from "../support/rejection.js";
import { deploymentOf, tempDir } from "./support/chainCli.js";

/**
 * Issue 12 item 6 end to end: simulated TDX + simulated NVIDIA GPU evidence, three live verifier nodes, the
 * production contracts. A program that requires a GPU registers only composites whose GPUs answered the
 * enclave's binding and are allowlisted under type 4 for it, and the nodes' verdicts cover the whole composite.
 */
describe("teezk registry register --gpu: composite CPU+GPU enclaves on chain", () => {
  const GPU_PROGRAM = keccak256(toHex("teezk gpu program"));
  // Requires a GPU too, but allowlists another GPU firmware than the simulated one.
  const OTHER_GPU_PROGRAM = keccak256(toHex("teezk gpu program, other firmware"));
  const hpkePublicKey = keccak256(toHex("composite hpke key"));
  const hpkeKeyHash = keccak256(hpkePublicKey);
  const dir = tempDir();
  const servers: ServeAppReturnType[] = [];
  let system: TeezkSystem;
  let deployment: ChainDeployment;
  let tdxProbe: Claims;
  let gpuProbe: Claims;
  let tdxCollateral: string;
  /** The simulated GPUs' RIMs and OCSP answers: what a GPU program's nodes hold (or fetch) for the GPU half. */
  let gpuCollateral: string;
  let trustedRoots: PinnedRoot[];
  /** Nodes whose policy names the GPU (what a GPU program's committee runs). */
  let gpuNodes: string[];

  async function serveNodes(allowed: Claims[]): Promise<string[]> {
    const committee = { chainId: system.chainId, verifyingContract: system.addresses.committee };
    const referenceValues = buildDevReferenceValues({ allowed });
    const started = await Promise.all(
      system.nodeAccounts.map((account) =>
        serveApp(createVerifierNode({ account, committee, referenceValues, extraTrustedRoots: trustedRoots, collateral: { tdx: tdxCollateral, nvidia: gpuCollateral } }).app),
      ),
    );
    servers.push(...started);
    return started.map((s) => s.url);
  }

  /** A fresh key and challenge for `programId`, and the evidence files of its TDX enclave and of a GPU bound to `gpuBinding` (default: the enclave's). */
  async function enclaveFor(programId: Hex, label: string, gpuBinding?: Hex) {
    const account = testAccount(label);
    const { challenge: nonce } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId });
    const binding = computeBinding({ enclaveAddress: account.address, hpkePublicKey, nonce });
    const now = new Date();
    const evidenceFile = join(dir, `${label}-tdx.bin`);
    writeFileSync(evidenceFile, simulate("tdx", binding, now).evidence);
    const gpuEvidenceFile = join(dir, `${label}-gpu.json`);
    writeFileSync(gpuEvidenceFile, simulateEvidence({ vendor: "nvidia", binding: gpuBinding ?? binding, now, gpuFormat: "json" }).evidence);
    const base = { ...system.clients, deployment, programId, enclave: account.address, hpkeKeyHash, nonce };
    return { account, nonce, binding, evidenceFile, gpuEvidenceFile, base };
  }

  beforeAll(async () => {
    system = await deployTeezkSystem();
    deployment = deploymentOf(system);
    const now = await system.chainNow();
    tdxProbe = probeSimulatedClaims("tdx", now);
    const gpu = probeGpu({ vendor: "nvidia", now });
    gpuProbe = gpu.claims;
    const tdx = simulate("tdx", tdxProbe.reportData, now);
    tdxCollateral = tdx.collateralDir!;
    gpuCollateral = writeCollateralFolder({ simulated: simulateEvidence({ vendor: "nvidia", binding: tdxProbe.reportData, now, gpuFormat: "json" }) })!;
    trustedRoots = [tdx.trustedRoot, gpu.trustedRoot];

    const measurementRegistry = system.addresses.measurementRegistry;
    const policy = { acceptedTcbStatuses: tcbStatusBitmap(ACCEPTED_STATUSES), minSvn: 0, maxEvidenceAge: MAX_EVIDENCE_AGE };
    // The first batch of each program marks it as requiring a GPU (what `registry schedule-allow --require-gpu` proposes).
    const allow = (programId: Hex, claims: Claims, withPolicy: boolean, requireGpu = false) =>
      buildAllowMeasurementCalls({
        measurementRegistry,
        programId,
        teeType: claims.teeType,
        measurement: claims.measurement,
        ...(withPolicy ? { policy, allowRootHashes: [claims.rootHash] } : {}),
        requireGpu,
      });
    await system.govern([
      ...allow(GPU_PROGRAM, tdxProbe, true, true),
      ...allow(OTHER_GPU_PROGRAM, tdxProbe, false, true),
      ...allow(GPU_PROGRAM, gpuProbe, true),
      ...allow(OTHER_GPU_PROGRAM, { ...gpuProbe, measurement: keccak256(toHex("another GPU firmware")) }, false),
    ]);
    gpuNodes = await serveNodes([tdxProbe, gpuProbe]);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it("registers the TDX + GPU composite through the nodes: live, its GPU entry recorded on chain", async () => {
    const { account, evidenceFile, gpuEvidenceFile, base } = await enclaveFor(GPU_PROGRAM, "composite ok");
    const registered = await registryRegister({ ...base, evidenceFile, gpuEvidenceFile, verifierUrls: gpuNodes });
    expect(registered.json).toMatchObject({ enclave: account.address, verdicts: 3, teeType: tdxProbe.teeType, gpuMeasurements: [gpuProbe.measurement] });
    const status = await registryStatus({ ...system.clients, deployment, enclave: account.address, programId: GPU_PROGRAM });
    const entry = await system.clients.publicClient.readContract({
      address: system.addresses.measurementRegistry,
      abi: measurementRegistryAbi,
      functionName: "measurementEntry",
      args: [GPU_PROGRAM, 4, gpuProbe.measurement],
    });
    expect(status.json.enclave).toMatchObject({ live: true, gpuEntryIds: [entry.id] });
    expect(status.text).toContain(`with 1 GPU(s) (MeasurementRegistry entries ${entry.id})`);
  });

  it("a CPU-only enclave for the GPU program: refused by the CLI, and on chain (GpuEvidenceRequired) even with verdicts from nodes that ignore GPUs", async () => {
    const { account, nonce, binding, evidenceFile, base } = await enclaveFor(GPU_PROGRAM, "cpu only");
    expect((await rejection(registryRegister({ ...base, evidenceFile, verifierUrls: gpuNodes }))).code).toBe("GPU_EVIDENCE_REQUIRED");

    // The attack: a committee whose off-chain policy does not name the GPU signs the CPU half alone.
    const cpuOnlyNodes = await serveNodes([tdxProbe]);
    const evidence = simulate("tdx", binding, new Date()).evidence;
    const answered = await requestCommitteeVerdicts({ urls: cpuOnlyNodes, evidence, expectedBinding: binding, committee: { chainId: system.chainId, verifyingContract: system.addresses.committee } });
    const register = registerEnclave({
      ...system.clients,
      enclaveRegistry: system.addresses.enclaveRegistry,
      programId: GPU_PROGRAM,
      claims: answered.claims,
      enclave: account.address,
      hpkeKeyHash,
      nonce,
      verdicts: answered.verdicts,
    });
    expect(await revertOf(register)).toBe(`GpuEvidenceRequired(${GPU_PROGRAM})`);
  });

  it("a composite whose GPU measurement is not allowlisted for the program: MeasurementNotAllowed for type 4", async () => {
    const { evidenceFile, gpuEvidenceFile, base } = await enclaveFor(OTHER_GPU_PROGRAM, "gpu not allowlisted");
    const refused = await rejection(registryRegister({ ...base, evidenceFile, gpuEvidenceFile, verifierUrls: gpuNodes }));
    expect(refused.code).toBe("CHAIN_CALL_FAILED");
    expect(refused.shortMessage).toContain("MeasurementNotAllowed");
    expect(refused.shortMessage).toContain(gpuProbe.measurement);
  });

  it("a GPU whose nonce is not the CPU binding: the nodes refuse (BORROWED_GPU_REPORT), and so does the chain (GpuBindingMismatch) for verdicts a rogue committee signed", async () => {
    const elsewhere = keccak256(toHex("another session's binding"));
    const { account, nonce, binding, evidenceFile, gpuEvidenceFile, base } = await enclaveFor(GPU_PROGRAM, "borrowed gpu", elsewhere);
    expect((await rejection(registryRegister({ ...base, evidenceFile, gpuEvidenceFile, verifierUrls: gpuNodes }))).code).toBe("BORROWED_GPU_REPORT");

    const now = BigInt(Math.floor((await system.chainNow()).getTime() / 1000));
    const claims: Claims = { ...tdxProbe, reportData: binding, timestamp: now };
    const gpuClaims: Claims[] = [{ ...gpuProbe, reportData: elsewhere, timestamp: now }];
    const committee = { chainId: system.chainId, verifyingContract: system.addresses.committee };
    const claimsHash = keccak256(encodeCompositeClaims({ claims, gpuClaims }));
    const verdicts = await Promise.all(system.nodeAccounts.map((node) => signVerdict({ account: node, claimsHash, committee })));
    const parameters = { ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: GPU_PROGRAM, claims, enclave: account.address, hpkeKeyHash, nonce };
    expect(await revertOf(registerComposite({ ...parameters, gpuClaims, verdicts }))).toBe(`GpuBindingMismatch(0, ${binding}, ${elsewhere})`);
    // Nor do verdicts over the composite register the CPU half alone: over another digest, they recover to no member.
    const bound = [{ ...gpuClaims[0]!, reportData: binding }];
    const boundHash = keccak256(encodeCompositeClaims({ claims, gpuClaims: bound }));
    const boundVerdicts = await Promise.all(system.nodeAccounts.map((node) => signVerdict({ account: node, claimsHash: boundHash, committee })));
    expect(await revertOf(registerEnclave({ ...parameters, verdicts: boundVerdicts }))).toMatch(/^NotCommitteeMember\(/);
  });
});
