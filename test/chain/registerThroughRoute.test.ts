import { encodeAbiParameters, encodeFunctionData, keccak256, toFunctionSelector, toHex, type Address, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enclaveRegistryAbi, registerThroughRoute, ROUTE_IDS, type EnclaveAttestation, type RouteAttestation } from "../../src/chain/index.js";
import { computeBinding, encodeClaims, type Claims } from "../../src/claims/index.js";
import type { VerifierSigner } from "../../src/services/verifierSigner.js";
import { rejection } from "../support/rejection.js";
import { allowSimulatedVendors, deployTeezkSystem, PROGRAM_ID, simulate, testAccount, type TeezkSystem } from "./support/system.js";

// The registration flow with a proof in place of verdicts (route 2, Sp1AttestationVerifier). No SP1 proof can be
// made here: the gateway is the SP1VerifierTestDouble, which accepts exactly keccak256(abi.encode(vkey, publicValues)).
const VKEY = keccak256(toHex("teezk sp1 program vkey (route flow test)"));
const doubleProofFor = (claims: Claims): Hex => keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes" }], [VKEY, encodeClaims(claims)]));

describe("registerThroughRoute (route 2 with the SP1 gateway double)", () => {
  let system: TeezkSystem;
  let node: VerifierSigner;
  const hpkePublicKey = keccak256(toHex("route flow hpke key"));

  beforeAll(async () => {
    system = await deployTeezkSystem();
    node = (await allowSimulatedVendors(system, ["nitro"])).nodes[0]!;
    const gateway = await system.connection.viem.deployContract("SP1VerifierTestDouble");
    const sp1 = await system.connection.viem.deployContract("Sp1AttestationVerifier", [gateway.address, VKEY]);
    await system.govern([
      { target: system.addresses.enclaveRegistry, value: 0n, data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "addRoute", args: [ROUTE_IDS.sp1, sp1.address] }) },
    ]);
  });
  afterAll(async () => system?.devnet.close());

  const attestAs = (label: string) => async (nonce: Hex): Promise<EnclaveAttestation> => {
    const enclaveAddress = testAccount(label).address as Address;
    const simulated = simulate("nitro", computeBinding({ enclaveAddress, hpkePublicKey, nonce }), await system.chainNow());
    return { enclaveAddress, hpkePublicKey, evidence: simulated.evidence };
  };
  /** What an SP1 prover would commit: the claims the evidence verifies to (here read by a verifier node). */
  const proved = async (evidence: Uint8Array, now: Date): Promise<Claims> => (await node.assess({ evidence, now })).claims;
  const flow = (label: string, prove: (claims: Claims) => RouteAttestation) =>
    registerThroughRoute({
      ...system.clients,
      enclaveRegistry: system.addresses.enclaveRegistry,
      measurementRegistry: system.addresses.measurementRegistry,
      programId: PROGRAM_ID,
      attest: attestAs(label),
      prove: async ({ attestation, now }) => prove(await proved(attestation.evidence, now)),
    });
  const sentBy = () => system.clients.publicClient.getTransactionCount({ address: system.clients.walletClient.account.address });

  it("challenge → evidence → proof → register on route 2: the enclave is live", async () => {
    const registered = await flow("route ok", (claims) => ({ claims, path: ROUTE_IDS.sp1, proof: doubleProofFor(claims) }));
    expect(registered.path).toBe(ROUTE_IDS.sp1);
    expect(registered.challengeHash).toBeDefined();
    const live = await system.clients.publicClient.readContract({
      address: system.addresses.enclaveRegistry,
      abi: enclaveRegistryAbi,
      functionName: "isLive",
      args: [registered.enclave, PROGRAM_ID],
    });
    expect(live).toBe(true);
  });

  it("a proof over claims bound to another enclave is BINDING_MISMATCH before the register transaction", async () => {
    const before = await sentBy();
    const refused = await rejection(
      flow("route elsewhere", (claims) => {
        const elsewhere = { ...claims, reportData: keccak256(toHex("another enclave's binding")) };
        return { claims: elsewhere, path: ROUTE_IDS.sp1, proof: doubleProofFor(elsewhere) };
      }),
    );
    expect(refused.code).toBe("BINDING_MISMATCH");
    expect(await sentBy()).toBe(before + 1);
  });

  it("the committee's route is refused (CONFIG_INVALID), and a proof the gateway rejects comes back as the contract's error", async () => {
    expect((await rejection(flow("route committee", (claims) => ({ claims, path: ROUTE_IDS.committee, proof: doubleProofFor(claims) })))).code).toBe("CONFIG_INVALID");
    const wrong = await rejection(flow("route wrong proof", (claims) => ({ claims, path: ROUTE_IDS.sp1, proof: doubleProofFor({ ...claims, svn: claims.svn + 1 }) })));
    expect(wrong.code).toBe("CHAIN_CALL_FAILED");
    // The double's own error, by selector (its ABI is no contract's the client knows).
    expect(wrong.details).toContain(toFunctionSelector("InvalidProof()"));
  });
});
