import { createHash } from "node:crypto";
import { keccak256, parseEventLogs, toHex, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { enclaveRegistryAbi, issueChallenge, registerEnclave, revertReason } from "../../src/chain/index.js";
import { computeBinding, TeeType } from "../../src/claims/index.js";
import { simulatedRegister } from "../../src/tee/simulated/index.js";
import {
  PROGRAM_ID,
  allowSimulatedVendors,
  createNodes,
  deployTeezkSystem,
  probeSimulatedClaims,
  registerSimulatedEnclave,
  simulate,
  testAccount,
  type TeezkSystem,
} from "./support/system.js";
import { rejection } from "../support/rejection.js";

describe("registerEnclave through the committee path (3-of-3 TypeScript verifier nodes, simulated Nitro and TDX)", () => {
  let system: TeezkSystem;
  let nodes: ReturnType<typeof createNodes>;

  beforeAll(async () => {
    system = await deployTeezkSystem();
    ({ nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]));
  });

  it("the simulated measurements are the DESIGN §2 digests of the documented default registers", () => {
    const now = new Date();
    const sha256 = (...parts: Uint8Array[]) => `0x${createHash("sha256").update(Buffer.concat(parts)).digest("hex")}`;
    expect(probeSimulatedClaims("nitro", now).measurement).toBe(
      sha256(simulatedRegister("nitro", "pcr0"), simulatedRegister("nitro", "pcr1"), simulatedRegister("nitro", "pcr2")),
    );
    const zero48 = new Uint8Array(48);
    expect(probeSimulatedClaims("tdx", now).measurement).toBe(
      sha256(simulatedRegister("tdx", "mrTd"), zero48, simulatedRegister("tdx", "rtmr0"), simulatedRegister("tdx", "rtmr1"), simulatedRegister("tdx", "rtmr2")),
    );
  });

  it("registers a Nitro and a TDX enclave; both are live with the stored record the claims describe", async () => {
    const nitro = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("enclave nitro"));
    const tdx = await registerSimulatedEnclave(system, nodes, "tdx", testAccount("enclave tdx"));
    expect(tdx.claims.tcbStatus).toBe(0); // simulated collateral says UpToDate; without it the status would be UNKNOWN
    const { publicClient } = system.clients;
    for (const [enclave, teeType] of [[nitro, TeeType.NITRO], [tdx, TeeType.TDX]] as const) {
      const args = [enclave.account.address, PROGRAM_ID] as const;
      const registry = system.addresses.enclaveRegistry;
      expect(await publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "isLive", args })).toBe(true);
      expect(await publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "liveTeeType", args })).toBe(teeType);
      const info = await publicClient.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "enclaveInfo", args });
      expect(info.teeType).toBe(teeType);
      expect(info.measurement).toBe(enclave.claims.measurement);
      expect(info.path).toBe(1);
      expect(info.entryId).toBeGreaterThan(0);
      // The HPKE key hash and platform id are attested and emitted, not stored: clients read them from the event.
      const { logs } = await publicClient.getTransactionReceipt({ hash: enclave.hash });
      const [event] = parseEventLogs({ abi: enclaveRegistryAbi, eventName: "EnclaveRegistered", logs });
      expect(event?.args.hpkeKeyHash).toBe(enclave.hpkeKeyHash);
      expect(event?.args.platformId).toBe(enclave.claims.platformId);
      expect(event?.args.measurement).toBe(enclave.claims.measurement);
      expect(event?.args.expiresAt).toBe(info.expiresAt);
    }
  });

  it("refuses fewer verdicts than the threshold, a replayed nonce and another enclave's binding", async () => {
    const account = testAccount("enclave partial");
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID });
    const hpkePublicKey = keccak256(toHex("hpke partial"));
    const binding = computeBinding({ enclaveAddress: account.address, hpkePublicKey, nonce: challenge });
    const now = await system.chainNow();
    const sim = simulate("nitro", binding, now);
    const verdicts = await Promise.all(nodes.map((node) => node.attest({ evidence: sim.evidence, now })));
    const base = {
      ...system.clients,
      enclaveRegistry: system.addresses.enclaveRegistry,
      programId: PROGRAM_ID,
      claims: verdicts[0]!.claims,
      hpkeKeyHash: keccak256(hpkePublicKey),
      nonce: challenge,
    };
    const twoOfThree = await rejection(registerEnclave({ ...base, enclave: account.address, verdicts: verdicts.slice(0, 2).map((v) => v.verdict) }));
    expect(twoOfThree.details).toBe("NotEnoughVerdicts(2, 3)");
    const all = verdicts.map((v) => v.verdict);
    const thief = testAccount("enclave thief");
    const stolen = await rejection(registerEnclave({ ...base, enclave: thief.address, verdicts: all }));
    expect(stolen.details).toMatch(/^BindingMismatch\(/);
    await registerEnclave({ ...base, enclave: account.address, verdicts: all });
    const replay = await rejection(registerEnclave({ ...base, enclave: account.address, verdicts: all }));
    expect(replay.details).toBe(`NonceAlreadyUsed(${challenge})`);
  });

  it("a verdict over other claims does not count: the signer recovers to a non-member", async () => {
    const account = testAccount("enclave tampered");
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID });
    const hpkePublicKey = keccak256(toHex("hpke tampered"));
    const binding = computeBinding({ enclaveAddress: account.address, hpkePublicKey, nonce: challenge });
    const now = await system.chainNow();
    const sim = simulate("nitro", binding, now);
    const verdicts = await Promise.all(nodes.map((node) => node.attest({ evidence: sim.evidence, now })));
    const claims = { ...verdicts[0]!.claims, svn: verdicts[0]!.claims.svn + 1 };
    const error = await rejection(
      registerEnclave({
        ...system.clients,
        enclaveRegistry: system.addresses.enclaveRegistry,
        programId: PROGRAM_ID,
        claims,
        enclave: account.address,
        hpkeKeyHash: keccak256(hpkePublicKey),
        nonce: challenge,
        verdicts: verdicts.map((v) => v.verdict),
      }),
    );
    expect(error.code).toBe("CHAIN_CALL_FAILED");
    expect(revertReason(error.cause)).toMatch(/^(NotCommitteeMember|SignersNotAscending)\(/);
  });

  it("nodes refuse to sign evidence their policy rejects or that does not chain to a trusted root", async () => {
    const now = await system.chainNow();
    const production = simulate("nitro", `0x${"11".repeat(32)}`, now);
    const { simulateEvidence } = await import("../../src/tee/simulated/index.js");
    const debugEvidence = simulateEvidence({ vendor: "nitro", binding: `0x${"11".repeat(32)}`, now, debug: true }).evidence;
    const refused = await rejection(nodes[0]!.attest({ evidence: debugEvidence, now }));
    expect(refused.code).toBe("VERDICT_REFUSED");
    expect(refused.details).toMatch(/MEASUREMENT_NOT_ALLOWED/);
    expect(refused.details).toMatch(/DEBUG_ENCLAVE/);
    const wrongBinding = await rejection(nodes[0]!.attest({ evidence: production.evidence, now, expectedBinding: `0x${"22".repeat(32)}` }));
    expect(wrongBinding.details).toMatch(/BINDING_MISMATCH/);
    const { createVerifierSigner } = await import("../../src/services/verifierSigner.js");
    const strictNode = createVerifierSigner({
      account: testAccount("strict node"),
      committee: { chainId: system.chainId, verifyingContract: system.addresses.committee },
      referenceValues: { version: 1, tee: {} },
    });
    expect((await rejection(strictNode.attest({ evidence: production.evidence, now }))).code).toBe("ROOT_NOT_TRUSTED");
  });
});
