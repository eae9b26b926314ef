import { keccak256, toHex, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dcapAttestationVerifierAbi } from "../../../src/chain/contractAbis.js";
import { issueChallenge, registerViaDcap } from "../../../src/chain/index.js";
import { addDcapRoute } from "../../../src/devnet/index.js";
import { computeBinding, TeeType } from "../../../src/claims/index.js";
import { getDevRoots, simulateDcapQuote } from "../../../src/tee/simulated/index.js";
import { allowClaims, deployTeezkSystem, PROGRAM_ID, revertOf, testAccount, type TeezkSystem } from "../support/system.js";

/**
 * An enclave registered through route 3 (DcapAttestationVerifier) with no committee: the devnet's governance adds the
 * route and allows the simulated TDX measurement; the dev store pins the simulated TEE's dev root.
 */
describe("EnclaveRegistry route 3: on-chain DCAP", () => {
  let system: TeezkSystem;
  let verifier: Address;
  const devRoots = getDevRoots();
  const enclave = testAccount("dcap enclave");
  const hpkePublicKey = keccak256(toHex("dcap enclave hpke"));

  beforeAll(async () => {
    system = await deployTeezkSystem();
    verifier = (await addDcapRoute({ devnet: system.devnet, devRoots })).verifier;
    const probe = simulateDcapQuote({ kind: "tdx", binding: `0x${"00".repeat(32)}`, devRoots });
    const claims = (await system.clients.publicClient.readContract({ address: verifier, abi: dcapAttestationVerifierAbi, functionName: "verifyQuote", args: [toHex(probe)] })) as never;
    await allowClaims(system, claims);
  }, 180_000);
  afterAll(async () => system?.devnet.close());

  it("registers a simulated TDX enclave from its raw quote, and refuses the quote for another key", async () => {
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID });
    const quote = simulateDcapQuote({ kind: "tdx", binding: computeBinding({ enclaveAddress: enclave.address, hpkePublicKey, nonce: challenge }), devRoots });
    const base = { ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, dcapVerifier: verifier, programId: PROGRAM_ID, hpkeKeyHash: keccak256(hpkePublicKey), nonce: challenge, quote };
    // The same quote cannot register another enclave address: the binding is recomputed on-chain.
    expect(await revertOf(registerViaDcap({ ...base, enclave: testAccount("someone else").address }))).toMatch(/BindingMismatch/);
    const registered = await registerViaDcap({ ...base, enclave: enclave.address });
    expect(registered.claims.teeType).toBe(TeeType.TDX);
    console.log(`gas.register.dcap ${registered.gasUsed}`);
    expect(registered.expiresAt).toBeGreaterThan(0n);
  }, 120_000);
});
