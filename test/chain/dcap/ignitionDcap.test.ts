import { createHash } from "node:crypto";
import { getAddress, toHex, type Address } from "viem";
import { afterAll, describe, expect, it } from "vitest";
import DcapModule from "../../../ignition/modules/Dcap.js";
import { dcapAttestationVerifierAbi, dcapCollateralStoreAbi, INTEL_ROOT_DER } from "./dcapSupport.js";

describe("ignition/modules/Dcap", () => {
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => close?.());

  it("deploys the store pinned to Intel's root and the verifier reading it; a wrong pin does not deploy", async () => {
    const { network } = await import("hardhat");
    const connection = await network.create();
    close = () => connection.close();
    const pinnedRootHash = toHex(createHash("sha256").update(INTEL_ROOT_DER).digest());
    expect(pinnedRootHash).toBe("0x44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
    const deployed = await connection.ignition.deploy(DcapModule, { parameters: { Dcap: { pinnedRootHash, rootDer: toHex(INTEL_ROOT_DER) } } });
    // Hardhat's artifact types are not in the tsconfig (artifacts/ is a build output): read through the ABIs.
    const store = (deployed.dcapCollateralStore as unknown as { address: Address }).address;
    const verifier = (deployed.dcapVerifier as unknown as { address: Address }).address;
    const publicClient = await connection.viem.getPublicClient();
    expect(await publicClient.readContract({ address: store, abi: dcapCollateralStoreAbi, functionName: "rootCertificateHash" })).toBe(pinnedRootHash);
    expect(await publicClient.readContract({ address: verifier, abi: dcapAttestationVerifierAbi, functionName: "store" })).toBe(getAddress(store));
    await expect(connection.viem.deployContract("DcapCollateralStore", [`0x${"11".repeat(32)}`, toHex(INTEL_ROOT_DER)])).rejects.toThrow(/RootHashMismatch/);
  }, 120_000);
});
