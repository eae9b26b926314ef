/**
 * Compiles only the generated verifier with Hardhat (a subset build never deletes other artifacts), so this
 * suite does not depend on the rest of contracts/ compiling, and connects to the in-process chain.
 */
export async function connectWithVerifier() {
  const hre = await import("hardhat");
  await hre.tasks.getTask("build").run({
    files: ["contracts/zk/MembershipGroth16Verifier.sol"],
    quiet: true,
    noTests: true,
  });
  return hre.network.connect();
}
