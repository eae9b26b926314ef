import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const zkWorkspace = join(dirname(fileURLToPath(import.meta.url)), "../../zkprogram");

/**
 * The native `teezk-zk` (no `sp1` feature): TEEZK_ZK_BIN when set, else zkprogram/target/release/teezk-zk,
 * built first (a no-op when current; cargo's lock serialises suites that race to build it).
 * CARGO_BUILD_JOBS=1 keeps the shared 2-core box usable.
 */
export function ensureHostBinary(): string {
  if (process.env.TEEZK_ZK_BIN) return process.env.TEEZK_ZK_BIN;
  execFileSync("cargo", ["build", "--release", "--locked", "-p", "teezk-zk-host"], {
    cwd: zkWorkspace,
    stdio: "inherit",
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "1" },
  });
  const binary = join(zkWorkspace, "target/release/teezk-zk");
  if (!existsSync(binary)) throw new Error(`cargo build did not produce ${binary}`);
  return binary;
}
