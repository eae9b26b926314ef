/**
 * Compiles contracts and Solidity test doubles once, before any test worker starts. Suites that deploy contracts
 * then only read artifacts: two suites building at the same time race on Hardhat's compile cache
 * (ENOENT cache/compile-cache.json.tmp). A no-op when `npm test` has just compiled.
 */
export async function setup(): Promise<void> {
  const hre = await import("hardhat");
  await hre.tasks.getTask("build").run({ quiet: true });
}
