import { encodeFunctionData, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  enclaveRegistryAbi,
  multiProverRootsAbi,
  proposeRoot,
  reportConflict,
  signRoot,
  submitZkRoot,
} from "../../src/chain/index.js";
import { enclaveVendorsOf, teeVendorOf } from "../../src/claims/index.js";
import {
  ESCAPE_DELAY,
  PROGRAM_ID,
  allowSimulatedVendors,
  deployTeezkSystem,
  registerSimulatedEnclave,
  revertOf,
  testAccount,
  word,
  zkProofFor,
  type RegisteredEnclave,
  type TeezkSystem,
} from "./support/system.js";

const ZERO32 = `0x${"00".repeat(32)}`;

describe("MultiProverRoots with enclaves registered from simulated Nitro and TDX evidence", () => {
  let system: TeezkSystem;
  let nitroA: RegisteredEnclave;
  let nitroB: RegisteredEnclave;
  let tdx: RegisteredEnclave;
  const sign = (enclave: RegisteredEnclave, epoch: bigint, root: Hex) =>
    signRoot({ account: enclave.account, epoch, root, roots: { chainId: system.chainId, verifyingContract: system.addresses.multiProverRoots } });
  const read = (functionName: "halted" | "finalizedRoot" | "disputedRoots" | "vendorOf", args: readonly unknown[] = []) =>
    system.clients.publicClient.readContract({ address: system.addresses.multiProverRoots, abi: multiProverRootsAbi, functionName: functionName as never, args: args as never });

  beforeAll(async () => {
    system = await deployTeezkSystem();
    const { nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]);
    nitroA = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("roots nitro A"));
    nitroB = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("roots nitro B"));
    tdx = await registerSimulatedEnclave(system, nodes, "tdx", testAccount("roots tdx"));
  });

  it("the contract's vendor of every TEE type equals the TypeScript one (TDX and SGX are Intel, a GPU is NVIDIA)", async () => {
    for (let t = 0; t <= 6; t++) expect(await read("vendorOf", [t]), `TEE type ${t}`).toBe(teeVendorOf(t) ?? 0);
    expect(enclaveVendorsOf([1, 5, 4])).toEqual(["INTEL"]);
  });

  it("two Nitro enclaves are one vendor: not a quorum; Nitro + TDX finalizes", async () => {
    const root = word("state root 1");
    const base = { ...system.clients, roots: system.addresses.multiProverRoots, epoch: 1n, root };
    expect(await revertOf(proposeRoot({ ...base, signatures: [await sign(nitroA, 1n, root), await sign(nitroB, 1n, root)] }))).toBe("InsufficientQuorum(1, 2, false)");
    const finalized = await proposeRoot({ ...base, signatures: [await sign(tdx, 1n, root), await sign(nitroA, 1n, root)] });
    expect(finalized.teeTypes).toBe((1n << BigInt(tdx.claims.teeType)) | (1n << BigInt(nitroA.claims.teeType)));
    expect(finalized.vendors).toEqual(["INTEL", "AWS"]);
    expect(await read("finalizedRoot", [1n])).toBe(root);
  });

  it("a conflicting root for a finalized epoch halts the contract, disputes the epoch and removes its signer, once", async () => {
    const conflicting = word("forged state root 1");
    const report = { ...system.clients, roots: system.addresses.multiProverRoots, epoch: 1n, root: conflicting, signatures: [await sign(nitroB, 1n, conflicting)] };
    const reported = await reportConflict(report);
    expect(reported.halted).toBe(true);
    expect(reported.removed).toEqual([nitroB.account.address]);
    expect(await read("finalizedRoot", [1n])).toBe(ZERO32);
    expect(await read("disputedRoots", [1n])).toEqual([word("state root 1"), conflicting]);
    expect(await revertOf(reportConflict(report))).toBe(`ConflictSignersAlreadyRemoved(1, ${conflicting})`);
    const registry = (functionName: "isRemoved" | "isLive", args: readonly unknown[]) =>
      system.clients.publicClient.readContract({ address: system.addresses.enclaveRegistry, abi: enclaveRegistryAbi, functionName: functionName as never, args: args as never });
    expect(await registry("isRemoved", [nitroB.account.address])).toBe(true);
    expect(await registry("isLive", [nitroB.account.address, PROGRAM_ID])).toBe(false);
    const root2 = word("state root 2");
    expect(
      await revertOf(proposeRoot({ ...system.clients, roots: system.addresses.multiProverRoots, epoch: 2n, root: root2, signatures: [await sign(tdx, 2n, root2), await sign(nitroA, 2n, root2)] })),
    ).toBe("ContractHalted()");
  });

  it("while halted, a ZK proof alone finalizes (escape hatch); a wrong proof does not", async () => {
    const root2 = word("state root 2");
    const base = { ...system.clients, roots: system.addresses.multiProverRoots, epoch: 2n, root: root2 };
    expect(await revertOf(submitZkRoot({ ...base, zkProof: zkProofFor(2n, word("other")) }))).toBe(`InvalidZkProof(2, ${root2})`);
    await submitZkRoot({ ...base, zkProof: zkProofFor(2n, root2) });
    expect(await read("finalizedRoot", [2n])).toBe(root2);
  });

  it("after governance resumes, the escape hatch reopens only once no TEE quorum finalized for escapeDelay", async () => {
    await system.govern([
      { target: system.addresses.multiProverRoots, value: 0n, data: encodeFunctionData({ abi: multiProverRootsAbi, functionName: "resume", args: [] }) },
    ]);
    expect(await read("halted")).toBe(false);
    const root3 = word("state root 3");
    const base = { ...system.clients, roots: system.addresses.multiProverRoots, epoch: 3n, root: root3, zkProof: zkProofFor(3n, root3) };
    expect(await revertOf(submitZkRoot(base))).toMatch(/^EscapeHatchClosed\(/);
    await system.connection.networkHelpers.time.increase(ESCAPE_DELAY);
    await submitZkRoot(base);
    expect(await read("finalizedRoot", [3n])).toBe(root3);
  });
});
