/**
 * Compiles only the given verifiers with Hardhat (a subset build never deletes other artifacts), so these
 * suites do not depend on the rest of contracts/ compiling, and connects to the in-process chain. Test doubles
 * (under test/solidity) are built in a second, tests-only pass: Hardhat refuses a test file in a contracts build.
 * An empty list builds nothing (Hardhat would read it as "everything").
 */
export async function connectWithVerifier(
  files: readonly string[] = ["contracts/zk/MembershipGroth16Verifier.sol"],
  testFiles: readonly string[] = [],
) {
  const hre = await import("hardhat");
  if (files.length > 0) await hre.tasks.getTask("build").run({ files: [...files], quiet: true, noTests: true });
  if (testFiles.length > 0) await hre.tasks.getTask("build").run({ files: [...testFiles], quiet: true, noContracts: true });
  return hre.network.create();
}
