import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { keccak256, toHex, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { issueChallenge } from "../../src/chain/index.js";
import { signVerdict } from "../../src/chain/signVerdict.js";
import { computeBinding, encodeClaims, type Claims } from "../../src/claims/index.js";
import { registryChallenge } from "../../src/cli/commands/registry/registryChallenge.js";
import { registryExecute } from "../../src/cli/commands/registry/registryExecute.js";
import { registryRefreshLiveness } from "../../src/cli/commands/registry/registryRefreshLiveness.js";
import { registryRegister } from "../../src/cli/commands/registry/registryRegister.js";
import { registryRevoke } from "../../src/cli/commands/registry/registryRevoke.js";
import { registryScheduleAllow } from "../../src/cli/commands/registry/registryScheduleAllow.js";
import { registryStatus } from "../../src/cli/commands/registry/registryStatus.js";
import type { ChainDeployment } from "../../src/cli/support/resolveDeployment.js";
import type { TeezkClients } from "../../src/chain/index.js";
import { buildDevReferenceValues, probeSimulatedClaims as probeGpu, writeCollateralFolder } from "../../src/devnet/index.js";
import { simulateEvidence } from "../../src/tee/simulated/index.js";
import { serveApp } from "../../src/services/http/index.js";
import { createVerifierNode } from "../../src/services/verifier/index.js";
import type { VerifierSigner } from "../../src/services/verifierSigner.js";
import {
  ACCEPTED_STATUSES,
  MAX_EVIDENCE_AGE,
  allowClaims,
  PROGRAM_ID,
  TIMELOCK_DELAY,
  createNodes,
  deployTeezkSystem,
  probeSimulatedClaims,
  simulate,
  testAccount,
  type TeezkSystem,
  word,
} from "../chain/support/system.js";
import { deploymentOf, tempDir, writeTemp } from "./support/chainCli.js";
import { rejection } from "../support/rejection.js";

describe("teezk registry … on the in-process chain", () => {
  let system: TeezkSystem;
  let deployment: ChainDeployment;
  let guardian: TeezkClients;
  let probe: Claims;
  let nodes: VerifierSigner[];
  const dir = tempDir();
  const enclave = testAccount("cli registry enclave");
  const hpkePublicKey = keccak256(toHex("cli registry hpke key"));
  const hpkeKeyHash = keccak256(hpkePublicKey);

  /** What the verifier nodes answer for the enclave's evidence bound to `nonce`, as a verdicts file. */
  async function verdictsFor(nonce: Hex, name: string): Promise<string> {
    const binding = computeBinding({ enclaveAddress: enclave.address, hpkePublicKey, nonce });
    const now = await system.chainNow();
    const sim = simulate("nitro", binding, now);
    const answers = await Promise.all(nodes.map((node) => node.attest({ evidence: sim.evidence, now, expectedBinding: binding })));
    return writeTemp(dir, name, answers.map((a) => ({ kind: a.kind, encodedClaims: a.encodedClaims, claimsHash: a.claimsHash, verdict: a.verdict })));
  }

  beforeAll(async () => {
    system = await deployTeezkSystem();
    deployment = deploymentOf(system);
    const [, guardianWallet] = await system.connection.viem.getWalletClients();
    guardian = { publicClient: system.clients.publicClient, walletClient: guardianWallet! };
    probe = probeSimulatedClaims("nitro", await system.chainNow());
    nodes = createNodes(system, [probe], [simulate("nitro", probe.reportData, await system.chainNow()).trustedRoot]);
  });

  it("status without flags reports the governance settings of the deployment", async () => {
    const out = await registryStatus({ ...system.clients, deployment });
    expect(out.json.governance).toEqual({
      timelockMinDelay: String(TIMELOCK_DELAY),
      registrationTtl: "86400",
      committeeThreshold: "3",
      committeeMembers: "3",
      livenessEpoch: expect.stringMatching(/^\d+$/),
      livenessSinks: [system.addresses.batchReceipts],
    });
    expect(out.text).toContain("committee 3-of-3");
    expect(out.text).toContain("including BatchReceipts (cached inclusions)");
    // A deployment file naming another BatchReceipts (say, one deployed by hand and never wired) is flagged.
    const unwired = await registryStatus({ ...system.clients, deployment: { ...deployment, batchReceipts: system.addresses.receiptVerifier } });
    expect(unwired.text).toContain("BatchReceipts is NOT one");
  });

  it("schedule-allow proposes a timelock batch; execute refuses before the delay, then runs it", async () => {
    const save = join(dir, "allow-op.json");
    const scheduled = await registryScheduleAllow({
      ...system.clients,
      deployment,
      programId: PROGRAM_ID,
      teeType: probe.teeType,
      measurement: probe.measurement,
      acceptTcb: ACCEPTED_STATUSES,
      maxEvidenceAge: MAX_EVIDENCE_AGE,
      allowRoots: [probe.rootHash],
      save,
    });
    expect(scheduled.json.ok).toBe(true);
    expect(scheduled.json.gasUsed).toBeGreaterThan(0);
    expect(scheduled.json.hash).toMatch(/^0x[0-9a-f]{64}$/);
    const events = scheduled.json.events as { contract: string; name: string; args: Record<string, string> }[];
    // setTeePolicy, setRootHashAllowed, addMeasurement: one CallScheduled each, from the timelock.
    expect(events.filter((e) => e.name === "CallScheduled").map((e) => e.contract)).toEqual(["timelock", "timelock", "timelock"]);
    const file = JSON.parse(readFileSync(save, "utf8"));
    expect(file.id).toBe(scheduled.json.id);

    const early = await rejection(registryExecute({ ...system.clients, deployment, operationFile: save }));
    expect(early.code).toBe("TIMELOCK_NOT_READY");
    expect(early.shortMessage).toContain("inside its delay");

    await system.connection.networkHelpers.time.increaseTo(BigInt(file.readyAt));
    const executed = await registryExecute({ ...system.clients, deployment, operationFile: save });
    const names = (executed.json.events as { contract: string; name: string }[]).map((e) => `${e.contract}.${e.name}`);
    expect(names).toEqual(expect.arrayContaining(["measurementRegistry.TeePolicySet", "measurementRegistry.RootHashSet", "measurementRegistry.MeasurementAdded"]));
    expect(executed.text).toMatch(/^executed timelock operation 0x[0-9a-f]{64} \(3 call\(s\)\) \(tx 0x[0-9a-f]{64}, [\d,]+ gas\)/);

    expect((await rejection(registryExecute({ ...system.clients, deployment, operationFile: save }))).shortMessage).toContain("already executed");

    const status = await registryStatus({ ...system.clients, deployment, programId: PROGRAM_ID, teeType: probe.teeType, measurement: probe.measurement, rootHashes: [probe.rootHash] });
    expect(status.json.measurement).toMatchObject({ allowed: true, revoked: false });
    expect(status.json.policy).toMatchObject({ set: true, acceptedTcbStatuses: ACCEPTED_STATUSES, maxEvidenceAge: String(MAX_EVIDENCE_AGE), rootHashes: { [probe.rootHash]: true } });
  });

  it("an existing --save file or an edited operation file is refused before any transaction", async () => {
    const save = join(dir, "allow-op.json");
    const before = await system.clients.publicClient.getBlockNumber();
    const exists = await rejection(
      registryScheduleAllow({ ...system.clients, deployment, programId: PROGRAM_ID, teeType: probe.teeType, measurement: word("another"), save }),
    );
    expect(exists.shortMessage).toContain("already exists");
    expect(await system.clients.publicClient.getBlockNumber()).toBe(before);
    const file = JSON.parse(readFileSync(save, "utf8"));
    file.operation.calls[0].data = `${file.operation.calls[0].data.slice(0, -2)}ff`;
    const error = await rejection(registryExecute({ ...system.clients, deployment, operationFile: writeTemp(dir, "edited-op.json", file) }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.shortMessage).toContain("the file was edited");
  });

  it("challenge, then register with the committee's verdicts; the enclave is live", async () => {
    const challenge = await registryChallenge({ ...system.clients, deployment, programId: PROGRAM_ID });
    const nonce = challenge.json.challenge as Hex;
    expect((challenge.json.events as { name: string }[]).map((e) => e.name)).toEqual(["ChallengeIssued"]);
    const verdictsFile = await verdictsFor(nonce, "verdicts.json");
    const registered = await registryRegister({ ...system.clients, deployment, programId: PROGRAM_ID, enclave: enclave.address, hpkeKeyHash, nonce, verdictsFile });
    expect(registered.json).toMatchObject({ ok: true, command: "registry register", enclave: enclave.address, verdicts: 3, measurement: probe.measurement });
    const event = (registered.json.events as { name: string; args: Record<string, unknown> }[]).find((e) => e.name === "EnclaveRegistered");
    expect(event?.args).toMatchObject({ enclave: enclave.address, programId: PROGRAM_ID, hpkeKeyHash, teeType: probe.teeType });
    const status = await registryStatus({ ...system.clients, deployment, enclave: enclave.address, programId: PROGRAM_ID });
    expect(status.json.enclave).toMatchObject({ live: true, removed: false, measurement: probe.measurement });

    // The challenge is spent: the contract's NonceAlreadyUsed comes back decoded, with what to do.
    const replay = await rejection(registryRegister({ ...system.clients, deployment, programId: PROGRAM_ID, enclave: enclave.address, hpkeKeyHash, nonce, verdictsFile }));
    expect(replay.code).toBe("CHAIN_CALL_FAILED");
    expect(replay.details).toBe(`NonceAlreadyUsed(${nonce})`);
    expect(replay.metaMessages.join(" ")).toContain("registry challenge");
  });

  it("refuses verdicts that do not bind this enclave, or that a node did not sign, before sending", async () => {
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: deployment.enclaveRegistry!, programId: PROGRAM_ID });
    const verdictsFile = await verdictsFor(challenge, "verdicts-2.json");
    const other = testAccount("someone else");
    const binding = await rejection(registryRegister({ ...system.clients, deployment, programId: PROGRAM_ID, enclave: other.address, hpkeKeyHash, nonce: challenge, verdictsFile }));
    expect(binding.code).toBe("BINDING_MISMATCH");

    const answers = JSON.parse(readFileSync(verdictsFile, "utf8"));
    answers[1].verdict.signer = answers[0].verdict.signer;
    answers[0].verdict.signer = other.address;
    const forged = await rejection(
      registryRegister({ ...system.clients, deployment, programId: PROGRAM_ID, enclave: enclave.address, hpkeKeyHash, nonce: challenge, verdictsFile: writeTemp(dir, "forged.json", answers) }),
    );
    expect(forged.code).toBe("VERDICT_INVALID");
    expect(forged.shortMessage).toContain(`not signed by ${other.address}`);

    const mixed = [...JSON.parse(readFileSync(verdictsFile, "utf8")), { encodedClaims: "0x00", verdict: answers[0].verdict }];
    expect((await rejection(registryRegister({ ...system.clients, deployment, programId: PROGRAM_ID, enclave: enclave.address, hpkeKeyHash, nonce: challenge, verdictsFile: writeTemp(dir, "mixed.json", mixed) }))).shortMessage).toContain(
      "over different claims",
    );
  });

  it("register asks verifier nodes over HTTP; a refusing node fails the command with its code and URL", async () => {
    const trustedRoot = simulate("nitro", probe.reportData, new Date()).trustedRoot;
    const committee = { chainId: system.chainId, verifyingContract: system.addresses.committee };
    const referenceValues = buildDevReferenceValues({ allowed: [probe] });
    const servers = await Promise.all(
      system.nodeAccounts.map((account) => serveApp(createVerifierNode({ account, committee, referenceValues, extraTrustedRoots: [trustedRoot] }).app)),
    );
    // A member whose policy knows only TDX: it refuses Nitro evidence.
    const strict = await serveApp(
      createVerifierNode({ account: system.nodeAccounts[0]!, committee, referenceValues: buildDevReferenceValues({ allowed: [probeSimulatedClaims("tdx", new Date())] }), extraTrustedRoots: [trustedRoot] }).app,
    );
    try {
      const other = testAccount("cli registry enclave over http");
      const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: deployment.enclaveRegistry!, programId: PROGRAM_ID });
      const binding = computeBinding({ enclaveAddress: other.address, hpkePublicKey, nonce: challenge });
      const evidenceFile = join(dir, "evidence.bin");
      writeFileSync(evidenceFile, simulate("nitro", binding, new Date()).evidence);
      const base = { ...system.clients, deployment, programId: PROGRAM_ID, enclave: other.address, hpkeKeyHash, nonce: challenge, evidenceFile };

      const refused = await rejection(registryRegister({ ...base, verifierUrls: [servers[0]!.url, strict.url] }));
      expect(refused.code).toBe("VERDICT_REFUSED");
      expect(refused.shortMessage).toContain(strict.url);

      const registered = await registryRegister({ ...base, verifierUrls: servers.map((s) => s.url) });
      expect(registered.json).toMatchObject({ enclave: other.address, verdicts: 3, measurement: probe.measurement });
      expect((await registryStatus({ ...system.clients, deployment, enclave: other.address, programId: PROGRAM_ID })).json.enclave).toMatchObject({ live: true });
    } finally {
      await Promise.all([...servers, strict].map((s) => s.close()));
    }
  });

  it("register with a program policy naming the GPU: CPU-only, a GPU alone and verdicts over GPU claims are refused; --gpu registers the composite", async () => {
    const now = new Date();
    const { claims: gpuProbe, trustedRoot: gpuRoot } = probeGpu({ vendor: "nvidia", now });
    const trustedRoots = [simulate("nitro", probe.reportData, now).trustedRoot, gpuRoot];
    const committee = { chainId: system.chainId, verifyingContract: system.addresses.committee };
    const referenceValues = buildDevReferenceValues({ allowed: [probe, gpuProbe] });
    const other = testAccount("cli registry composite enclave");
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: deployment.enclaveRegistry!, programId: PROGRAM_ID });
    const binding = computeBinding({ enclaveAddress: other.address, hpkePublicKey, nonce: challenge });
    const gpu = simulateEvidence({ vendor: "nvidia", binding, now, gpuFormat: "json" });
    const servers = await Promise.all(
      system.nodeAccounts.map((account) =>
        serveApp(createVerifierNode({ account, committee, referenceValues, extraTrustedRoots: trustedRoots, collateral: { nvidia: writeCollateralFolder({ simulated: gpu })! } }).app),
      ),
    );
    try {
      const evidenceFile = join(dir, "composite-cpu.bin");
      writeFileSync(evidenceFile, simulate("nitro", binding, now).evidence);
      const gpuEvidenceFile = join(dir, "composite-gpu.bin");
      writeFileSync(gpuEvidenceFile, gpu.evidence);
      const base = { ...system.clients, deployment, programId: PROGRAM_ID, enclave: other.address, hpkeKeyHash, nonce: challenge, verifierUrls: servers.map((s) => s.url) };

      const cpuOnly = await rejection(registryRegister({ ...base, evidenceFile }));
      expect(cpuOnly.code).toBe("VERDICT_REFUSED");
      expect(cpuOnly.details).toContain("GPU_EVIDENCE_REQUIRED");
      expect((await rejection(registryRegister({ ...base, evidenceFile: gpuEvidenceFile }))).code).toBe("GPU_NOT_AN_ENCLAVE");

      // Verdicts a node signed over a GPU's claims (before this fix, or a rogue node) are refused before any transaction.
      const encodedClaims = encodeClaims({ ...gpuProbe, reportData: binding });
      const verdict = await signVerdict({ account: system.nodeAccounts[0]!, claimsHash: keccak256(encodedClaims), committee });
      const gpuVerdicts = writeTemp(dir, "gpu-verdicts.json", { encodedClaims, verdicts: [verdict] });
      const { verifierUrls: _http, ...offline } = base;
      expect((await rejection(registryRegister({ ...offline, verdictsFile: gpuVerdicts }))).code).toBe("GPU_NOT_AN_ENCLAVE");

      // The verdicts cover the composite, so it registers through registerComposite: the GPU must be allowlisted on chain too.
      expect((await rejection(registryRegister({ ...base, evidenceFile, gpuEvidenceFile }))).details).toContain(`MeasurementNotAllowed(${PROGRAM_ID}, 4, ${gpuProbe.measurement})`);
      await allowClaims(system, gpuProbe);
      const registered = await registryRegister({ ...base, evidenceFile, gpuEvidenceFile });
      expect(registered.json).toMatchObject({
        enclave: other.address,
        verdicts: 3,
        teeType: probe.teeType,
        measurement: probe.measurement,
        gpuMeasurements: [gpuProbe.measurement],
      });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it("register over HTTP with TDX evidence from nodes whose clocks are 0, 1 and 2 s apart: one `at`, one claims hash, registered", async () => {
    // TDX claims carry the verification time: before every node was sent one `at`, this failed every time.
    const tdxProbe = probeSimulatedClaims("tdx", new Date());
    await allowClaims(system, tdxProbe);
    const other = testAccount("cli registry tdx enclave over http");
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: deployment.enclaveRegistry!, programId: PROGRAM_ID });
    const simulated = simulate("tdx", computeBinding({ enclaveAddress: other.address, hpkePublicKey, nonce: challenge }), new Date());
    const committee = { chainId: system.chainId, verifyingContract: system.addresses.committee };
    const referenceValues = buildDevReferenceValues({ allowed: [tdxProbe] });
    const servers = await Promise.all(
      system.nodeAccounts.map((account, i) =>
        serveApp(
          createVerifierNode({
            account,
            committee,
            referenceValues,
            extraTrustedRoots: [simulated.trustedRoot],
            collateral: { tdx: simulated.collateralDir! },
            clock: () => new Date(Date.now() + i * 1000),
          }).app,
        ),
      ),
    );
    try {
      const evidenceFile = join(dir, "evidence-tdx.bin");
      writeFileSync(evidenceFile, simulated.evidence);
      const registered = await registryRegister({
        ...system.clients,
        deployment,
        programId: PROGRAM_ID,
        enclave: other.address,
        hpkeKeyHash,
        nonce: challenge,
        evidenceFile,
        verifierUrls: servers.map((s) => s.url),
      });
      expect(registered.json).toMatchObject({ enclave: other.address, verdicts: 3, teeType: tdxProbe.teeType, measurement: tdxProbe.measurement });
      expect((await registryStatus({ ...system.clients, deployment, enclave: other.address, programId: PROGRAM_ID })).json.enclave).toMatchObject({ live: true });
    } finally {
      await Promise.all(servers.map((s) => s.close()));
    }
  });

  it("refresh-liveness (anyone may send it) re-caches a live key; a key that never registered is refused with a hint", async () => {
    // Sent by the guardian's account, which holds no registry role: refreshing is open to anyone.
    const refreshed = await registryRefreshLiveness({ ...guardian, deployment, enclave: enclave.address, programId: PROGRAM_ID });
    expect(refreshed.json).toMatchObject({ ok: true, command: "registry refresh-liveness", enclave: enclave.address, programId: PROGRAM_ID });
    const event = (refreshed.json.events as { contract: string; name: string; args: Record<string, unknown> }[])[0];
    expect(event).toMatchObject({ contract: "enclaveRegistry", name: "LivenessRefreshed", args: { enclave: enclave.address, programId: PROGRAM_ID } });
    expect(event?.args.liveUntil).toBe(refreshed.json.liveUntil);
    expect(refreshed.text).toContain(`enclave ${enclave.address} is live for program ${PROGRAM_ID}`);

    const stranger = testAccount("cli never registered").address;
    const refused = await rejection(registryRefreshLiveness({ ...system.clients, deployment, enclave: stranger, programId: PROGRAM_ID }));
    expect(refused.details).toBe(`EnclaveNotLive(${stranger}, ${PROGRAM_ID})`);
    expect(refused.metaMessages.join(" ")).toContain("registry register");
  });

  it("revoke is the guardian's alone, immediate and permanent: the enclave stops being live", async () => {
    const notGuardian = await rejection(registryRevoke({ ...system.clients, deployment, teeType: probe.teeType, measurement: probe.measurement }));
    expect(notGuardian.details).toMatch(/^AccessControlUnauthorizedAccount\(/);
    expect(notGuardian.metaMessages.join(" ")).toContain("lacks GUARDIAN_ROLE");

    const revoked = await registryRevoke({ ...guardian, deployment, teeType: probe.teeType, measurement: probe.measurement });
    const event = (revoked.json.events as { name: string; args: Record<string, unknown> }[])[0];
    expect(event).toMatchObject({ contract: "measurementRegistry", name: "MeasurementRevoked", args: { teeType: probe.teeType, measurement: probe.measurement } });
    expect(revoked.text).toContain("revoked NITRO measurement");

    const status = await registryStatus({ ...system.clients, deployment, programId: PROGRAM_ID, teeType: probe.teeType, measurement: probe.measurement, enclave: enclave.address });
    expect(status.json.measurement).toMatchObject({ revoked: true, allowed: false });
    expect(status.json.enclave).toMatchObject({ live: false });
    // A revoked key cannot be refreshed back to live.
    const refresh = await rejection(registryRefreshLiveness({ ...system.clients, deployment, enclave: enclave.address, programId: PROGRAM_ID }));
    expect(refresh.details).toBe(`EnclaveNotLive(${enclave.address}, ${PROGRAM_ID})`);
  });

  it("a missing address is CONFIG_INVALID naming the flag that supplies it", async () => {
    const { measurementRegistry: _omitted, ...partial } = deployment;
    const error = await rejection(registryRevoke({ ...guardian, deployment: partial, teeType: probe.teeType, measurement: probe.measurement }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.shortMessage).toContain("--measurement-registry");
    expect(error.shortMessage).toContain("--deployment");
  });
});
