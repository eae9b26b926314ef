import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { keccak256, toHex, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dcapAttestationVerifierAbi } from "../../src/chain/contractAbis.js";
import { issueChallenge } from "../../src/chain/index.js";
import { computeBinding } from "../../src/claims/index.js";
import { collateralPush } from "../../src/cli/commands/collateral/collateralPush.js";
import { registryRegisterDcap } from "../../src/cli/commands/registry/registryRegisterDcap.js";
import { addDcapRoute, writeCollateralFolder } from "../../src/devnet/index.js";
import { getDevRoots, simulateDcapQuote, simulateEvidence } from "../../src/tee/simulated/index.js";
import { allowClaims, deployTeezkSystem, PROGRAM_ID, testAccount, type TeezkSystem } from "../chain/support/system.js";
import { rejection } from "../support/rejection.js";
import { deploymentOf, tempDir } from "./support/chainCli.js";

describe("teezk collateral push / registry register --route dcap", () => {
  let system: TeezkSystem;
  let route: { store: Address; verifier: Address };
  const devRoots = getDevRoots();
  const dir = tempDir();
  const enclave = testAccount("cli dcap enclave");
  const hpkePublicKey = keccak256(toHex("cli dcap hpke key"));

  beforeAll(async () => {
    system = await deployTeezkSystem();
    route = await addDcapRoute({ devnet: system.devnet, devRoots });
    const probe = simulateDcapQuote({ kind: "tdx", binding: `0x${"00".repeat(32)}`, devRoots });
    await allowClaims(system, (await system.clients.publicClient.readContract({ address: route.verifier, abi: dcapAttestationVerifierAbi, functionName: "verifyQuote", args: [toHex(probe)] })) as never);
  }, 180_000);
  afterAll(async () => system?.devnet.close());

  it("collateral push sends only what the store lacks: a fresh folder's items are current after addDcapRoute pushed them, a newer set is sent", async () => {
    const now = await system.chainNow();
    const simulated = simulateEvidence({ vendor: "tdx", binding: `0x${"33".repeat(32)}`, now: new Date(now.getTime() + 3_600_000) });
    const collateralDir = writeCollateralFolder({ simulated, parentDir: dir })!;
    const quoteFile = join(dir, "quote.bin");
    writeFileSync(quoteFile, simulated.evidence);
    const deployment = { ...deploymentOf(system), dcapCollateralStore: route.store };
    const first = await collateralPush({ ...system.clients, deployment, collateralDir, quoteFile });
    // Issued an hour later than addDcapRoute's: the CRLs are newer (sent); the certificates are the same (current).
    expect((first.json.sent as unknown[]).length).toBeGreaterThan(0);
    expect(first.json.skipped as string[]).toEqual(expect.arrayContaining([expect.stringMatching(/^certificate /)]));
    const again = await collateralPush({ ...system.clients, deployment, collateralDir, quoteFile });
    expect(again.json.sent).toEqual([]);
    expect((await rejection(collateralPush({ ...system.clients, deployment: deploymentOf(system), collateralDir }))).message).toMatch(/dcapCollateralStore|dcap-collateral-store/);
  }, 120_000);

  it("registry register --route dcap registers from the raw quote file, and refuses another enclave's binding", async () => {
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID });
    const quoteFile = join(dir, "enclave-quote.hex");
    writeFileSync(quoteFile, toHex(simulateDcapQuote({ kind: "tdx", binding: computeBinding({ enclaveAddress: enclave.address, hpkePublicKey, nonce: challenge }), devRoots })));
    const deployment = { ...deploymentOf(system), dcapVerifier: route.verifier };
    const base = { ...system.clients, deployment, programId: PROGRAM_ID, hpkeKeyHash: keccak256(hpkePublicKey), nonce: challenge, quoteFile };
    expect((await rejection(registryRegisterDcap({ ...base, enclave: testAccount("not the enclave").address }))).message).toMatch(/BindingMismatch/);
    const out = await registryRegisterDcap({ ...base, enclave: enclave.address });
    expect(out.text).toMatch(/through the on-chain DCAP route/);
    expect(out.json.route).toBe("dcap");
  }, 120_000);
});
