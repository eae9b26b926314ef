import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChainDeployment } from "../../../src/cli/support/resolveDeployment.js";
import type { TeezkSystem } from "../../chain/support/system.js";

/** A fresh temporary folder per test file, for the JSON files the commands read and write. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "teezk-cli-chain-"));
}

/** Writes `content` (JSON-stringified unless a string, bigints as decimal strings) and returns the path. */
export function writeTemp(dir: string, name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
  return path;
}

/** The deployment as deploy/deploy.ts would describe it. */
export function deploymentOf(system: TeezkSystem): ChainDeployment {
  const { rootProofVerifier: _unused, ...addresses } = system.addresses;
  return { chainId: system.chainId, ...addresses };
}
