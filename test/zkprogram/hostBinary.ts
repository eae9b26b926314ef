import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const zkWorkspace = join(dirname(fileURLToPath(import.meta.url)), "../../zkprogram");

/**
 * A release binary of the Rust workspace: the path in `override` when set, else target/release/<binary> built
 * first (a no-op when current; cargo's lock serialises suites that race to build it). CARGO_BUILD_JOBS=1 keeps
 * the shared 2-core box usable.
 */
export function ensureReleaseBinary(cargoPackage: string, binary: string, override: string | undefined): string {
  if (override) return override;
  execFileSync("cargo", ["build", "--release", "--locked", "-p", cargoPackage], {
    cwd: zkWorkspace,
    stdio: "inherit",
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "1" },
  });
  const built = join(zkWorkspace, "target/release", binary);
  if (!existsSync(built)) throw new Error(`cargo build did not produce ${built}`);
  return built;
}

/** The native `teezk-zk` (no `sp1` feature): TEEZK_ZK_BIN when set, else the release build. */
export function ensureHostBinary(): string {
  return ensureReleaseBinary("teezk-zk-host", "teezk-zk", process.env.TEEZK_ZK_BIN);
}
