import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { X509Certificate } from "node:crypto";
import { join } from "node:path";
import { keccak256, toHex, type Address } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dcapAttestationVerifierAbi } from "../../src/chain/contractAbis.js";
import { issueChallenge } from "../../src/chain/index.js";
import { computeBinding } from "../../src/claims/index.js";
import { collateralPush } from "../../src/cli/commands/collateral/collateralPush.js";
import { registryRegisterDcap } from "../../src/cli/commands/registry/registryRegisterDcap.js";
import { addDcapRoute, writeCollateralFolder } from "../../src/devnet/index.js";
import { getDevRoots, simulateDcapCollateral, simulateDcapQuote, simulateEvidence } from "../../src/tee/simulated/index.js";
import { issueDevCrl } from "../../src/tee/simulated/issueDevCrl.js";
import { pcsDataFromSimulated, pcsHandler } from "../collateral/support/vendorStandIns.js";
import { startStandIn, type StandIn } from "../collateral/support/standIn.js";
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

  /** A PCS for the simulated platform serving collateral issued at `issuedAt`, its PCK CRL revoking the dev PCK leaf or not. */
  async function pcsFor(issuedAt: Date, revokePck: boolean): Promise<StandIn> {
    const collateral = simulateDcapCollateral({ kind: "tdx", devRoots, now: issuedAt });
    const revoking = revokePck ? issueDevCrl({ issuer: devRoots.intel.pckCa, now: issuedAt, revoked: [devRoots.intel.pckLeaf.certificate as X509Certificate] }) : undefined;
    const standIn = await startStandIn(pcsHandler(pcsDataFromSimulated(collateral, devRoots, revoking)));
    closers.push(standIn.close);
    return standIn;
  }
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it("collateral push without a folder fetches the quote's collateral from the PCS (verified with the quote first) and sends what the store lacks", async () => {
    const now = await system.chainNow();
    const pcs = await pcsFor(new Date(now.getTime() + 2 * 3_600_000), false);
    const quoteFile = join(dir, "push-fetch-quote.bin");
    writeFileSync(quoteFile, simulateDcapQuote({ kind: "tdx", binding: `0x${"44".repeat(32)}`, devRoots }));
    const deployment = { ...deploymentOf(system), dcapCollateralStore: route.store };
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-push-cache-"));
    const pushed = await collateralPush({ ...system.clients, deployment, quoteFile, fetchOptions: { pcsUrl: pcs.url, cacheDir }, now: new Date(now.getTime() + 3 * 3_600_000) });
    expect((pushed.json.sent as unknown[]).length).toBeGreaterThan(0);
    expect(pushed.json.from).toMatch(/fetched for the quote/);
    expect(pushed.json.quoteRefused).toBeUndefined();
    expect(readdirSync(cacheDir).length).toBeGreaterThan(0);
    // Offline, the same cache serves the same set: nothing left to send.
    const again = await collateralPush({ ...system.clients, deployment, quoteFile, fetchOptions: { offline: true, cacheDir }, now: new Date(now.getTime() + 3 * 3_600_000) });
    expect(again.json.sent).toEqual([]);
    // Offline with an empty cache, or with neither a folder nor a quote: refused before any transaction.
    const empty = mkdtempSync(join(tmpdir(), "teezk-push-cache-"));
    expect((await rejection(collateralPush({ ...system.clients, deployment, quoteFile, fetchOptions: { offline: true, cacheDir: empty } }))).code).toBe("COLLATERAL_UNAVAILABLE_OFFLINE");
    expect((await rejection(collateralPush({ ...system.clients, deployment }))).code).toBe("CONFIG_INVALID");
  }, 120_000);

  it("a PCS whose PCK CRL revokes the platform: the revoking CRL still reaches the store, and the on-chain DCAP route then refuses the quote", async () => {
    const now = await system.chainNow();
    const pcs = await pcsFor(new Date(now.getTime() + 4 * 3_600_000), true);
    const { challenge } = await issueChallenge({ ...system.clients, enclaveRegistry: system.addresses.enclaveRegistry, programId: PROGRAM_ID });
    const quoteFile = join(dir, "revoked-quote.hex");
    writeFileSync(quoteFile, toHex(simulateDcapQuote({ kind: "tdx", binding: computeBinding({ enclaveAddress: enclave.address, hpkePublicKey, nonce: challenge }), devRoots })));
    const deployment = { ...deploymentOf(system), dcapCollateralStore: route.store, dcapVerifier: route.verifier };
    const cacheDir = mkdtempSync(join(tmpdir(), "teezk-push-cache-"));
    const pushed = await collateralPush({ ...system.clients, deployment, quoteFile, fetchOptions: { pcsUrl: pcs.url, cacheDir }, now: new Date(now.getTime() + 5 * 3_600_000) });
    expect(pushed.json.quoteRefused).toBe("CERT_REVOKED");
    expect(pushed.json.sent as { name: string }[]).toEqual(expect.arrayContaining([expect.objectContaining({ name: expect.stringMatching(/PCK CRL|pck crl|crl/i) })]));
    const register = registryRegisterDcap({ ...system.clients, deployment, programId: PROGRAM_ID, hpkeKeyHash: keccak256(hpkePublicKey), nonce: challenge, quoteFile, enclave: enclave.address });
    expect((await rejection(register)).message).toMatch(/CertificateRevoked/);
  }, 120_000);
});
