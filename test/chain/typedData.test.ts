import { hashTypedData, keccak256, toHex, type Address, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import {
  COMMITTEE_DOMAIN,
  MULTI_PROVER_ROOTS_DOMAIN,
  ROOT_TYPE,
  VERDICT_TYPE,
  batchReceiptsAbi,
  committeeAttestationVerifierAbi,
  hashVerdict,
  multiProverRootsAbi,
  multiProverRootsDomain,
  receiptVerifierAbi,
  rootTypes,
} from "../../src/chain/index.js";
import {
  BATCH_RECEIPTS_DOMAIN,
  RECEIPT_VERIFIER_DOMAIN,
  hashBatch,
  hashReceipt,
  hashReceiptLeaf,
  type Receipt,
} from "../../src/receipts/index.js";
import { deployTeezkSystem, word, type TeezkSystem } from "./support/system.js";


describe("TypeScript EIP-712 mirrors equal the deployed contracts' digests", () => {
  let system: TeezkSystem;
  const read = <T>(address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[] = []) =>
    system.clients.publicClient.readContract({ address, abi: abi as never, functionName: functionName as never, args: args as never }) as Promise<T>;

  beforeAll(async () => {
    system = await deployTeezkSystem();
  });

  it("type hashes: VERDICT_TYPEHASH and ROOT_TYPEHASH getters equal keccak256 of the TypeScript type strings", async () => {
    expect(await read(system.addresses.committee, committeeAttestationVerifierAbi, "VERDICT_TYPEHASH")).toBe(keccak256(toHex(VERDICT_TYPE)));
    expect(await read(system.addresses.committee, committeeAttestationVerifierAbi, "VERDICT_TYPE")).toBe(VERDICT_TYPE);
    expect(await read(system.addresses.multiProverRoots, multiProverRootsAbi, "ROOT_TYPEHASH")).toBe(keccak256(toHex(ROOT_TYPE)));
    expect(await read(system.addresses.multiProverRoots, multiProverRootsAbi, "ROOT_TYPE")).toBe(ROOT_TYPE);
  });

  it("domains: eip712Domain() (ERC-5267) of each contract has the TypeScript name and version", async () => {
    const cases = [
      [system.addresses.receiptVerifier, receiptVerifierAbi, RECEIPT_VERIFIER_DOMAIN],
      [system.addresses.batchReceipts, batchReceiptsAbi, BATCH_RECEIPTS_DOMAIN],
      [system.addresses.committee, committeeAttestationVerifierAbi, COMMITTEE_DOMAIN],
      [system.addresses.multiProverRoots, multiProverRootsAbi, MULTI_PROVER_ROOTS_DOMAIN],
    ] as const;
    for (const [address, abi, domain] of cases) {
      const [, name, version, chainId, verifyingContract] = await read<readonly [Hex, string, string, bigint, Address]>(address, abi, "eip712Domain");
      expect({ name, version }).toEqual(domain);
      expect(chainId).toBe(BigInt(system.chainId));
      expect(verifyingContract).toBe(address);
    }
  });

  it("receipt, batch, leaf, verdict and root digests equal the contracts' own", async () => {
    const receipt: Receipt = { programId: word("p"), inputDigest: word("i"), outputDigest: word("o"), proofDigest: word("d"), issuedAt: 1_800_000_000n, nonce: word("n") };
    const domainOf = (verifyingContract: Address) => ({ chainId: system.chainId, verifyingContract });
    expect(await read(system.addresses.receiptVerifier, receiptVerifierAbi, "receiptDigest", [receipt])).toBe(
      hashReceipt({ receipt, domain: domainOf(system.addresses.receiptVerifier) }),
    );
    const batch = { root: word("root"), count: 1024, issuedAt: 1_800_000_001n };
    expect(await read(system.addresses.batchReceipts, batchReceiptsAbi, "batchDigest", [batch])).toBe(hashBatch({ batch, domain: domainOf(system.addresses.batchReceipts) }));
    expect(await read(system.addresses.batchReceipts, batchReceiptsAbi, "leafOf", [receipt])).toBe(hashReceiptLeaf(receipt));
    const claimsHash = word("claims");
    expect(await read(system.addresses.committee, committeeAttestationVerifierAbi, "verdictDigest", [claimsHash])).toBe(
      hashVerdict({ claimsHash, committee: domainOf(system.addresses.committee) }),
    );
    expect(await read(system.addresses.multiProverRoots, multiProverRootsAbi, "rootDigest", [7n, word("state")])).toBe(
      hashTypedData({ domain: multiProverRootsDomain(domainOf(system.addresses.multiProverRoots)), types: rootTypes, primaryType: "Root", message: { epoch: 7n, root: word("state") } }),
    );
  });
});
