import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createPublicClient, createWalletClient, encodeFunctionData, getAddress, http, keccak256, parseAbi, toHex, zeroAddress, type Abi, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { deployTeezk } from "../../deploy/deployTeezk.js";
import { Sp1Module } from "../../ignition/modules/Sp1.js";
import { enclaveRegistryAbi, measurementRegistryAbi, ROUTE_IDS } from "../../src/chain/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { deployTeezkSystem } from "./support/system.js";

/** Account 0 of Hardhat's default development mnemonic, funded on every simulated network. */
const DEV_KEY: Hex = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const VKEY = keccak256(toHex("teezk sp1 program vkey (test)"));
const SP1_PATH = ROUTE_IDS.sp1;

const sp1Abi = parseAbi([
  "function sp1Verifier() view returns (address)",
  "function programVKey() view returns (bytes32)",
  "function measurementRegistry() view returns (address)",
]);

/**
 * The SP1 contracts are deployed only where an SP1 verifier gateway exists; SP1VerifierTestDouble stands in for
 * the gateway here (SP1 proofs cannot be produced in this environment). These tests check the wiring only; what the
 * contracts accept is tested in test/solidity and test/zkprogram/onchainDecode.test.ts.
 */
describe("SP1 paths deployed by the Ignition module and by deploy/deployTeezk.ts", () => {
  it("Ignition Sp1 module: both verifiers bound to the gateway, the vkey and the core registry; route 2 by timelock", async () => {
    const system = await deployTeezkSystem();
    const gateway = await system.connection.viem.deployContract("SP1VerifierTestDouble");
    const { sp1AttestationVerifier, sp1ReceiptVerifier } = await system.connection.ignition.deploy(Sp1Module, {
      parameters: { Sp1: { sp1Verifier: gateway.address, programVKey: VKEY, measurementRegistry: system.addresses.measurementRegistry } },
    });
    const read = (address: Address, functionName: "sp1Verifier" | "programVKey" | "measurementRegistry") =>
      system.clients.publicClient.readContract({ address, abi: sp1Abi, functionName });
    const attestation = getAddress((sp1AttestationVerifier as { address: Address }).address);
    const receipts = getAddress((sp1ReceiptVerifier as { address: Address }).address);
    for (const address of [attestation, receipts]) {
      expect(await read(address, "sp1Verifier")).toBe(getAddress(gateway.address));
      expect(await read(address, "programVKey")).toBe(VKEY);
    }
    expect(await read(receipts, "measurementRegistry")).toBe(getAddress(system.addresses.measurementRegistry));

    const route = () =>
      system.clients.publicClient.readContract({ address: system.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "route", args: [SP1_PATH] });
    expect((await route())[0]).toBe(zeroAddress);
    await system.govern([
      {
        target: system.addresses.enclaveRegistry,
        value: 0n,
        data: encodeFunctionData({ abi: enclaveRegistryAbi, functionName: "addRoute", args: [SP1_PATH, attestation] }),
      },
    ]);
    expect(await route()).toEqual([attestation, false]);
  });

  it("deployTeezk over HTTP: with a gateway, route 2 and Sp1ReceiptVerifier; without one, neither; a gateway without code is refused", async () => {
    const { network } = await import("hardhat");
    const server = await network.createServer();
    const { address, port } = await server.listen();
    const rpcUrl = `http://${address}:${port}`;
    try {
      const account = privateKeyToAccount(DEV_KEY);
      const publicClient = createPublicClient({ transport: http(rpcUrl) });
      const chain = { id: await publicClient.getChainId(), name: "hardhat", nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } } as const;
      const wallet = createWalletClient({ account, chain, transport: http(rpcUrl) });
      const artifact = JSON.parse(
        readFileSync(fileURLToPath(new URL("../../artifacts/test/solidity/doubles/SP1VerifierTestDouble.sol/SP1VerifierTestDouble.json", import.meta.url)), "utf8"),
      ) as { abi: Abi; bytecode: Hex };
      const deployed = await publicClient.waitForTransactionReceipt({ hash: await wallet.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode }) });
      const gateway = getAddress(deployed.contractAddress!);
      const base = {
        rpcUrl,
        privateKey: DEV_KEY,
        minDelay: 60n,
        proposers: [account.address],
        executors: [zeroAddress],
        guardian: account.address,
        committeeNodes: [account.address],
        committeeThreshold: 1n,
      };

      const withSp1 = await deployTeezk({ ...base, sp1: { verifier: gateway, programVKey: VKEY } });
      expect(withSp1.sp1AttestationVerifier).toBeDefined();
      expect(withSp1.sp1ReceiptVerifier).toBeDefined();
      const receipts = withSp1.sp1ReceiptVerifier!;
      expect(await publicClient.readContract({ address: receipts, abi: sp1Abi, functionName: "sp1Verifier" })).toBe(gateway);
      expect(await publicClient.readContract({ address: receipts, abi: sp1Abi, functionName: "programVKey" })).toBe(VKEY);
      expect(await publicClient.readContract({ address: receipts, abi: sp1Abi, functionName: "measurementRegistry" })).toBe(getAddress(withSp1.measurementRegistry));
      expect(await publicClient.readContract({ address: withSp1.enclaveRegistry, abi: enclaveRegistryAbi, functionName: "route", args: [SP1_PATH] })).toEqual([
        getAddress(withSp1.sp1AttestationVerifier!),
        false,
      ]);

      // BatchReceipts is wired as the measurement registry's liveness sink before the deployer hands over.
      expect(await publicClient.readContract({ address: withSp1.measurementRegistry, abi: measurementRegistryAbi, functionName: "livenessSinks" })).toEqual([
        getAddress(withSp1.batchReceipts),
      ]);

      const without = await deployTeezk(base);
      expect(without.sp1AttestationVerifier).toBeUndefined();
      expect(without.sp1ReceiptVerifier).toBeUndefined();

      const noCode = privateKeyToAccount(keccak256(toHex("not a gateway"))).address;
      const refused = await deployTeezk({ ...base, sp1: { verifier: noCode, programVKey: VKEY } }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isTeezkError(refused, "CONFIG_INVALID")).toBe(true);
    } finally {
      await server.close();
    }
  });
});
