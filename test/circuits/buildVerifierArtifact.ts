/**
 * Compiles only the given verifiers with Hardhat (a subset build never deletes other artifacts), so these
 * suites do not depend on the rest of contracts/ compiling, and connects to the in-process chain.
 */
export async function connectWithVerifier(
  files: readonly string[] = ["contracts/zk/MembershipGroth16Verifier.sol"],
) {
  const hre = await import("hardhat");
  await hre.tasks.getTask("build").run({ files: [...files], quiet: true, noTests: true });
  return hre.network.create();
}
