import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import type { Claims } from "../../src/claims/index.js";

// Untyped on purpose: hardhat-viem's typed contract helpers come from a type augmentation these tests do not load.
export type Untyped = any;

/** The vkey the SP1 verifiers are deployed with. */
export const SP1_TEST_VKEY: Hex = keccak256(toHex("teezk sp1 program (test double)"));

/** What SP1VerifierTestDouble accepts as a proof of `publicValues`. */
export function testDoubleProof(publicValues: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "bytes" }], [SP1_TEST_VKEY, publicValues]));
}

export type Sp1TestChain = {
  viem: Untyped;
  sp1: { address: Hex };
  /** A MeasurementRegistry governed by the first wallet, so the test sets its policy directly. */
  measurements: Untyped;
  wait: (hash: Hex) => Promise<Untyped>;
};

/**
 * The in-process chain with SP1VerifierTestDouble and a MeasurementRegistry deployed; the test deploys its SP1
 * verifiers on them. The artifacts (the double lives under test/solidity) come from test/globalSetup.ts, which
 * compiles once before any suite runs.
 */
export async function deploySp1TestChain(): Promise<Sp1TestChain> {
  const hre = await import("hardhat");
  const { viem }: { viem: Untyped } = await hre.network.create();
  const [wallet] = await viem.getWalletClients();
  const sp1 = await viem.deployContract("SP1VerifierTestDouble");
  const measurements = await viem.deployContract("MeasurementRegistry", [wallet.account.address, "0x0000000000000000000000000000000000000000"]);
  const wait = async (hash: Hex) => (await viem.getPublicClient()).waitForTransactionReceipt({ hash });
  return { viem, sp1, measurements, wait };
}

/**
 * The registry admits exactly `claims` for `programId` (their TCB status, SVN, root and measurement), evidence age
 * unbounded: the chain runs at today's date, the evidence may be older.
 */
export async function allowOnMeasurementRegistry(chain: Sp1TestChain, programId: Hex, claims: Claims): Promise<void> {
  const { measurements, wait } = chain;
  const policy = await measurements.read.teePolicy([claims.teeType]);
  if (policy.maxEvidenceAge === 0n) {
    await wait(await measurements.write.setTeePolicy([claims.teeType, { acceptedTcbStatuses: 1n << BigInt(claims.tcbStatus), minSvn: claims.svn, maxEvidenceAge: 2n ** 63n }]));
  }
  if (!(await measurements.read.isRootHashAllowed([claims.teeType, claims.rootHash]))) {
    await wait(await measurements.write.setRootHashAllowed([claims.teeType, claims.rootHash, true]));
  }
  await wait(await measurements.write.addMeasurement([programId, claims.teeType, claims.measurement, 0n, 0n]));
}
