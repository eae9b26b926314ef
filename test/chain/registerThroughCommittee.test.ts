import { encodeFunctionData, keccak256, toHex, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enclaveRegistryAbi, measurementRegistryAbi, registerThroughCommittee, type CollectVerdictsRequest, type EnclaveAttestation } from "../../src/chain/index.js";
import { computeBinding } from "../../src/claims/index.js";
import type { VerifierSigner } from "../../src/services/verifierSigner.js";
import { rejection } from "../support/rejection.js";
import { allowSimulatedVendors, deployTeezkSystem, PROGRAM_ID, simulate, testAccount, type SimulatedVendorName, type TeezkSystem } from "./support/system.js";

// The library flow itself (src/chain registerThroughCommittee), driven as a relayer or a faulty committee would:
// each refusal must come before the register transaction, with the flow's own code.
describe("registerThroughCommittee refuses before registering", () => {
  let system: TeezkSystem;
  let nodes: VerifierSigner[];
  const hpkePublicKey = keccak256(toHex("flow test hpke key"));

  beforeAll(async () => {
    system = await deployTeezkSystem();
    ({ nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]));
  });
  afterAll(async () => system?.devnet.close());

  const flow = (overrides: { programId?: Hex; attest: (nonce: Hex) => Promise<EnclaveAttestation>; collectVerdicts: (request: CollectVerdictsRequest) => ReturnType<VerifierSigner["attest"]>[] }) =>
    registerThroughCommittee({
      ...system.clients,
      enclaveRegistry: system.addresses.enclaveRegistry,
      committee: system.addresses.committee,
      measurementRegistry: system.addresses.measurementRegistry,
      programId: overrides.programId ?? PROGRAM_ID,
      attest: overrides.attest,
      collectVerdicts: (request) => Promise.all(overrides.collectVerdicts(request)),
    });
  const attestAs = (vendor: SimulatedVendorName, label: string, bindingFor = (nonce: Hex) => computeBinding({ enclaveAddress: testAccount(label).address, hpkePublicKey, nonce })) =>
    async (nonce: Hex): Promise<EnclaveAttestation> => {
      const simulated = simulate(vendor, bindingFor(nonce), await system.chainNow());
      return { enclaveAddress: testAccount(label).address, hpkePublicKey, evidence: simulated.evidence, ...(simulated.collateralDir ? { collateralDir: simulated.collateralDir } : {}) };
    };
  const sentBy = async () => system.clients.publicClient.getTransactionCount({ address: system.clients.walletClient.account.address });
  const isLive = (label: string) =>
    system.clients.publicClient.readContract({ address: system.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "isLive", args: [testAccount(label).address, PROGRAM_ID] });

  it("evidence bound to another nonce, signed by members that were not told the binding: BINDING_MISMATCH, only the challenge sent", async () => {
    const before = await sentBy();
    const stale = keccak256(toHex("an older challenge"));
    const refused = await rejection(
      flow({
        attest: attestAs("nitro", "flow stale", () => computeBinding({ enclaveAddress: testAccount("flow stale").address, hpkePublicKey, nonce: stale })),
        collectVerdicts: ({ attestation, now }) => nodes.map((node) => node.attest({ evidence: attestation.evidence, now })),
      }),
    );
    expect(refused.code).toBe("BINDING_MISMATCH");
    expect(await sentBy()).toBe(before + 1);
    expect(await isLive("flow stale")).toBe(false);
  });

  it("members reading different claims from the same evidence (TDX verified a second apart): CONFIG_INVALID, not outvoted", async () => {
    const before = await sentBy();
    const refused = await rejection(
      flow({
        attest: attestAs("tdx", "flow split"),
        collectVerdicts: ({ attestation, binding, now }) =>
          nodes.map((node, i) =>
            node.attest({ evidence: attestation.evidence, now: new Date(now.getTime() + (i === 0 ? 1000 : 0)), expectedBinding: binding, collateralDir: attestation.collateralDir! }),
          ),
      }),
    );
    expect(refused.code).toBe("CONFIG_INVALID");
    expect(refused.shortMessage).toContain("different claims");
    expect(await sentBy()).toBe(before + 1);
  });

  it("a program that requires a GPU, evidence without a GPU half: GPU_EVIDENCE_REQUIRED before any member is asked", async () => {
    const gpuProgram = keccak256(toHex("flow test gpu program"));
    await system.govern([
      { target: system.addresses.measurementRegistry, value: 0n, data: encodeFunctionData({ abi: measurementRegistryAbi, functionName: "setProgramRequiresGpu", args: [gpuProgram, true] }) },
    ]);
    let asked = 0;
    const refused = await rejection(
      flow({
        programId: gpuProgram,
        attest: attestAs("nitro", "flow cpu only"),
        collectVerdicts: ({ attestation, binding, now }) => {
          asked += 1;
          return nodes.map((node) => node.attest({ evidence: attestation.evidence, now, expectedBinding: binding }));
        },
      }),
    );
    expect(refused.code).toBe("GPU_EVIDENCE_REQUIRED");
    expect(asked).toBe(0);
  });
});
