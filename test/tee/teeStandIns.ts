import * as nodeFs from "node:fs";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { CONFIGFS_TSM_REPORT, type ConfigfsOperations } from "../../src/tee/index.js";

/**
 * A stand-in for the kernel's configfs-tsm (no TEE exists on a build machine): a temporary directory laid
 * out like /sys/kernel/config/tsm/report, where writing `inblob` produces `outblob` (a real quote from the
 * fixtures, with the requested report data recorded) and bumps `generation`, as the kernel does.
 */
export function configfsStandIn(provider: string, outblob: Uint8Array): { fs: ConfigfsOperations; inblobs: Uint8Array[] } {
  const inblobs: Uint8Array[] = [];
  const fs: ConfigfsOperations = {
    ...nodeFs,
    mkdirSync: ((path: string) => {
      mkdirSync(path);
      writeFileSync(join(path, "provider"), `${provider}\n`);
      writeFileSync(join(path, "generation"), "0\n");
    }) as typeof nodeFs.mkdirSync,
    writeFileSync: ((path: string, data: Uint8Array | string) => {
      writeFileSync(path, data);
      if (basename(path) === "inblob") {
        inblobs.push(new Uint8Array(typeof data === "string" ? Buffer.from(data) : data));
        const entry = dirname(path);
        writeFileSync(join(entry, "outblob"), outblob);
        const generation = Number(readFileSync(join(entry, "generation"), "utf8"));
        writeFileSync(join(entry, "generation"), `${generation + 1}\n`);
      }
    }) as typeof nodeFs.writeFileSync,
  };
  return { fs, inblobs };
}

const roots: string[] = [];

/** A machine root with the given device files and an empty configfs-tsm report folder. */
export function fakeRoot(devices: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "teezk-tee-"));
  roots.push(root);
  for (const device of devices) {
    mkdirSync(dirname(join(root, device)), { recursive: true });
    writeFileSync(join(root, device), "");
  }
  mkdirSync(join(root, CONFIGFS_TSM_REPORT), { recursive: true });
  return root;
}

/** A machine with no TEE devices and no configfs-tsm. */
export function emptyRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "teezk-none-"));
  roots.push(root);
  return root;
}

/** Removes the roots made since the last call (call it in afterEach). */
export function removeFakeRoots(): void {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
}
