import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createPublicClient, getAddress, http, toFunctionSelector, toHex, zeroAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployTeezk, type DeployTeezkParameters } from "../../deploy/deployTeezk.js";
import { dcapAttestationVerifierAbi, dcapCollateralStoreAbi } from "../../src/chain/contractAbis.js";
import { enclaveRegistryAbi, ROLE_IDS, ROUTE_IDS } from "../../src/chain/index.js";
import { INTEL_SGX_ROOT_CA, INTEL_SGX_ROOT_CA_DER_BASE64 } from "../../src/evidence/tdx/collateral/index.js";
import { resolveDeployment } from "../../src/cli/support/resolveDeployment.js";
import { getDevRoots } from "../../src/tee/simulated/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { rejection } from "../support/rejection.js";
import { ANVIL_DEV_KEY, startAnvil, type Anvil } from "../support/startAnvil.js";

const INTEL_ROOT_HASH: Hex = `0x${INTEL_SGX_ROOT_CA.sha256}`;
const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const accessControlAbi = [
  { type: "function", name: "hasRole", stateMutability: "view", inputs: [{ type: "bytes32" }, { type: "address" }], outputs: [{ type: "bool" }] },
] as const;

/**
 * The on-chain DCAP route as the operator's deployment creates it, on a separate node (anvil): deploy/deploy.ts
 * pins Intel's SGX Root CA by default and adds route 3 before the deployer hands governance to the timelock; a dev
 * deployment pins its own root; a root that does not hash to its pin is refused by the store's constructor.
 */
describe("the on-chain DCAP route in deploy/deploy.ts and deployTeezk (anvil)", () => {
  let anvil: Anvil;
  let base: DeployTeezkParameters;
  const client = () => createPublicClient({ transport: http(anvil.rpcUrl) });

  beforeAll(async () => {
    anvil = await startAnvil();
    const deployer = privateKeyToAccount(ANVIL_DEV_KEY).address;
    base = {
      rpcUrl: anvil.rpcUrl,
      privateKey: ANVIL_DEV_KEY,
      minDelay: 60n,
      proposers: [deployer],
      executors: [zeroAddress],
      guardian: deployer,
      committeeNodes: [deployer],
      committeeThreshold: 1n,
    };
  });
  afterAll(async () => {
    await anvil?.stop();
  });

  async function dcapRoute(enclaveRegistry: Address): Promise<Address> {
    const [verifier] = await client().readContract({ address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "route", args: [ROUTE_IDS.dcap] });
    return verifier;
  }

  async function expectPinnedRoute(deployed: { enclaveRegistry: Address; dcapCollateralStore?: Address; dcapVerifier?: Address }, rootHash: Hex): Promise<void> {
    const store = deployed.dcapCollateralStore!;
    const verifier = deployed.dcapVerifier!;
    expect(await client().readContract({ address: store, abi: dcapCollateralStoreAbi, functionName: "rootCertificateHash" })).toBe(rootHash);
    expect(await client().readContract({ address: verifier, abi: dcapAttestationVerifierAbi, functionName: "store" })).toBe(getAddress(store));
    expect(await dcapRoute(deployed.enclaveRegistry)).toBe(getAddress(verifier));
  }

  it("the embedded Intel SGX Root CA is the fixture's certificate, whose SHA-256 is the pin", () => {
    const embedded = Buffer.from(INTEL_SGX_ROOT_CA_DER_BASE64, "base64");
    expect(embedded.equals(readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der")))).toBe(true);
    expect(createHash("sha256").update(embedded).digest("hex")).toBe(INTEL_SGX_ROOT_CA.sha256);
  });

  it("deploy/deploy.ts by default: store pinned to Intel's root, its verifier as route 3, added before the hand-over; TEEZK_DCAP=false leaves route 3 empty", async () => {
    const run = async (extra: Record<string, string>) => {
      const env = { ...process.env, TEEZK_RPC_URL: anvil.rpcUrl, TEEZK_PRIVATE_KEY: ANVIL_DEV_KEY, TEEZK_MIN_DELAY: "60", ...extra };
      const { stdout } = await promisify(execFile)("node_modules/.bin/tsx", ["deploy/deploy.ts"], { cwd: REPO_ROOT, env });
      return JSON.parse(stdout) as { deployer: Address; enclaveRegistry: Address; timelock: Address; dcapCollateralStore?: Address; dcapVerifier?: Address };
    };
    const file = join(mkdtempSync(join(tmpdir(), "teezk-deploy-dcap-")), "deployment.json");
    const deployed = await run({ TEEZK_DEPLOYMENT_OUT: file });
    await expectPinnedRoute(deployed, INTEL_ROOT_HASH);
    // The CLI's --deployment file reads both addresses (`teezk collateral push`, `registry register --route dcap`).
    const forCli = resolveDeployment({ file });
    expect([forCli.dcapCollateralStore, forCli.dcapVerifier]).toEqual([getAddress(deployed.dcapCollateralStore!), getAddress(deployed.dcapVerifier!)]);
    const hasGovernor = (who: Address) =>
      client().readContract({ address: deployed.enclaveRegistry, abi: accessControlAbi, functionName: "hasRole", args: [ROLE_IDS.GOVERNOR_ROLE, who] });
    expect(await hasGovernor(deployed.deployer)).toBe(false);
    expect(await hasGovernor(deployed.timelock)).toBe(true);

    // A dev root without the hash it pins is refused before anything is sent.
    const deployer = privateKeyToAccount(ANVIL_DEV_KEY).address;
    const sent = await client().getTransactionCount({ address: deployer });
    await expect(run({ TEEZK_DCAP_ROOT: fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.der") })).rejects.toThrow(/TEEZK_DCAP_ROOT_SHA256 is not set/);
    expect(await client().getTransactionCount({ address: deployer })).toBe(sent);

    const skipped = await run({ TEEZK_DCAP: "false" });
    expect(skipped.dcapCollateralStore).toBeUndefined();
    expect(await dcapRoute(skipped.enclaveRegistry)).toBe(zeroAddress);
  });

  it("a dev deployment pins the root it is given", async () => {
    const devRoot = new Uint8Array(getDevRoots().intel.root.certificate.raw);
    const sha256 = toHex(createHash("sha256").update(devRoot).digest());
    expect(sha256).not.toBe(INTEL_ROOT_HASH);
    await expectPinnedRoute(await deployTeezk({ ...base, dcap: { root: { der: devRoot, sha256 } } }), sha256);
  });

  it("a root that does not hash to its pin is refused by the store (RootHashMismatch) before anything is deployed", async () => {
    const devRoot = new Uint8Array(getDevRoots().intel.root.certificate.raw);
    const deployer = privateKeyToAccount(ANVIL_DEV_KEY).address;
    const before = await client().getTransactionCount({ address: deployer });
    const error = await rejection(deployTeezk({ ...base, dcap: { root: { der: devRoot, sha256: INTEL_ROOT_HASH } } }));
    expect(error.code).toBe("CHAIN_CALL_FAILED");
    expect(error.message).toContain("Deploying DcapCollateralStore");
    const actual = createHash("sha256").update(devRoot).digest("hex");
    expect(error.message).toContain(`${toFunctionSelector("RootHashMismatch(bytes32,bytes32)")}: ${INTEL_SGX_ROOT_CA.sha256}${actual}`);
    expect(await client().getTransactionCount({ address: deployer })).toBe(before);
  });
});
