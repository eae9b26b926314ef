import { createPublicClient, getAddress, http, zeroAddress, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CORE_WIRING } from "../../deploy/coreWiring.js";
import { deployTeezk } from "../../deploy/deployTeezk.js";
import {
  committeeAttestationVerifierAbi,
  enclaveRegistryAbi,
  measurementRegistryAbi,
  multiProverRootsAbi,
  ROLE_IDS,
  ROUTE_IDS,
  timelockAbi,
  type TeezkClients,
} from "../../src/chain/index.js";
import { startDevnet, type StartDevnetReturnType } from "../../src/devnet/index.js";

/** Account 0 of Hardhat's development mnemonic, the deployer of both paths here. */
const DEV_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const deployer = privateKeyToAccount(DEV_KEY).address;
const PROGRAM_ID: Hex = `0x${"ab".repeat(32)}`;

type Core = { timelock: Address; measurementRegistry: Address; enclaveRegistry: Address; committee: Address; batchReceipts: Address };

/** What the wiring list promises, read back from a deployment. */
async function wiringOf(publicClient: TeezkClients["publicClient"], core: Core, guardian: Address) {
  const mr = { address: core.measurementRegistry, abi: measurementRegistryAbi } as const;
  const er = { address: core.enclaveRegistry, abi: enclaveRegistryAbi } as const;
  const committee = { address: core.committee, abi: committeeAttestationVerifierAbi } as const;
  const hasRole = (target: typeof mr | typeof er | typeof committee, role: Hex, account: Address) =>
    publicClient.readContract({ ...target, functionName: "hasRole", args: [role, account] } as never) as Promise<boolean>;
  const [routeVerifier] = await publicClient.readContract({ ...er, functionName: "route", args: [ROUTE_IDS.committee] });
  return {
    committeeRoute: routeVerifier,
    guardianRemoves: await hasRole(er, ROLE_IDS.ENCLAVE_REMOVER_ROLE, guardian),
    registryAdvancesEpoch: await hasRole(mr, ROLE_IDS.LIVENESS_EPOCH_ROLE, core.enclaveRegistry),
    livenessSinks: await publicClient.readContract({ ...mr, functionName: "livenessSinks" }),
    timelockGoverns: await Promise.all([mr, er, committee].map((target) => hasRole(target, ROLE_IDS.GOVERNOR_ROLE, core.timelock))),
    deployerGoverns: await Promise.all([mr, er, committee].map((target) => hasRole(target, ROLE_IDS.GOVERNOR_ROLE, deployer))),
  };
}

const expected = (core: Core) => ({
  committeeRoute: getAddress(core.committee),
  guardianRemoves: true,
  registryAdvancesEpoch: true,
  livenessSinks: [getAddress(core.batchReceipts)],
  timelockGoverns: [true, true, true],
  deployerGoverns: [false, false, false],
});

// deploy/coreWiring.ts is the one wiring list: both deployment paths must end in the state it describes, and the
// role and route ids it uses must be the contracts' own.
describe("the core wiring list, as deployTeezk and Ignition apply it", () => {
  let devnet: StartDevnetReturnType;
  beforeAll(async () => {
    devnet = await startDevnet({ committee: [deployer], programId: PROGRAM_ID });
  }, 120_000);
  afterAll(async () => devnet?.close());

  it("the role ids are the contracts' constants", async () => {
    const { publicClient } = devnet.clients;
    const read = (address: Address, abi: typeof measurementRegistryAbi | typeof enclaveRegistryAbi | typeof timelockAbi, functionName: string) =>
      publicClient.readContract({ address, abi, functionName } as never) as Promise<Hex>;
    const { measurementRegistry, enclaveRegistry, timelock } = devnet.addresses;
    expect(await read(measurementRegistry, measurementRegistryAbi, "GOVERNOR_ROLE")).toBe(ROLE_IDS.GOVERNOR_ROLE);
    expect(await read(measurementRegistry, measurementRegistryAbi, "GUARDIAN_ROLE")).toBe(ROLE_IDS.GUARDIAN_ROLE);
    expect(await read(measurementRegistry, measurementRegistryAbi, "LIVENESS_EPOCH_ROLE")).toBe(ROLE_IDS.LIVENESS_EPOCH_ROLE);
    expect(await read(enclaveRegistry, enclaveRegistryAbi, "ENCLAVE_REMOVER_ROLE")).toBe(ROLE_IDS.ENCLAVE_REMOVER_ROLE);
    for (const role of ["PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"] as const) expect(await read(timelock, timelockAbi, role)).toBe(ROLE_IDS[role]);
  });

  it("Ignition (the devnet's deployment) ends wired as the list says", async () => {
    const [, guardian] = await devnet.connection.viem.getWalletClients();
    expect(CORE_WIRING.length).toBe(4);
    expect(await wiringOf(devnet.clients.publicClient, devnet.addresses, guardian!.account.address)).toEqual(expected(devnet.addresses));
  });

  it("the devnet's two roots contracts are both enclave removers; only TeeAndZkQuorumRoots requires ZK", async () => {
    const { publicClient } = devnet.clients;
    const { enclaveRegistry, multiProverRoots, teeAndZkRoots } = devnet.addresses;
    for (const [roots, zkRequired] of [[multiProverRoots, false], [teeAndZkRoots, true]] as const) {
      expect(await publicClient.readContract({ address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "hasRole", args: [ROLE_IDS.ENCLAVE_REMOVER_ROLE, roots] }), roots).toBe(true);
      expect(await publicClient.readContract({ address: roots, abi: multiProverRootsAbi, functionName: "zkRequired" }), roots).toBe(zkRequired);
    }
  });

  it("deployTeezk over HTTP ends wired the same way", async () => {
    const { network } = await import("hardhat");
    const server = await network.createServer({});
    const { address, port } = await server.listen();
    try {
      const guardian = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" as const;
      const rpcUrl = `http://${address}:${port}`;
      const deployed = await deployTeezk({ rpcUrl, privateKey: DEV_KEY, minDelay: 60n, proposers: [], executors: [zeroAddress], guardian, committeeNodes: [deployer], committeeThreshold: 1n });
      const publicClient = createPublicClient({ transport: http(rpcUrl) }) as TeezkClients["publicClient"];
      expect(await wiringOf(publicClient, deployed, guardian)).toEqual(expected(deployed));
    } finally {
      await server.close();
    }
  }, 120_000);
});
