import * as nodeFs from "node:fs";
import { basename, join } from "node:path";
import { TeezkError } from "../errors/index.js";
import { CONFIGFS_TSM_REPORT } from "./detectTee.js";

export type CollectConfigfsTsmParameters = {
  /** 64 bytes placed in the report data (TDX REPORTDATA, SNP REPORT_DATA): binding ‖ second half (DESIGN §3). */
  reportData: Uint8Array;
  root?: string;
  /** SNP only: the VMPL to request (the guest usually runs at 0). */
  privilegeLevel?: number;
  /**
   * File operations; node:fs by default. Tests pass a stand-in that behaves like the kernel's configfs
   * (writing inblob produces outblob and bumps generation), since no TEE exists on a build machine.
   */
  fs?: ConfigfsOperations;
};

export type ConfigfsOperations = Pick<typeof nodeFs, "existsSync" | "mkdirSync" | "readFileSync" | "writeFileSync" | "rmdirSync">;

export type CollectConfigfsTsmReturnType = {
  provider: string;
  /** TDX: the DCAP quote; SNP: the attestation report. */
  outblob: Uint8Array;
  /** SNP: the certificate table (VCEK/ASK/ARK) when the host supplies it. */
  auxblob?: Uint8Array;
  generation: number;
};

/**
 * Linux ≥ 6.7 configfs-tsm: make an entry, write inblob, read outblob, remove the entry. `generation` is read
 * before and after so a concurrent writer on the same entry is detected instead of returning someone
 * else's report.
 */
export function collectConfigfsTsm({ reportData, root = "/", privilegeLevel, fs = nodeFs }: CollectConfigfsTsmParameters): CollectConfigfsTsmReturnType {
  const { existsSync, mkdirSync, readFileSync, writeFileSync, rmdirSync } = fs;
  if (reportData.length !== 64) {
    throw new TeezkError("CONFIG_INVALID", `configfs-tsm report data must be 64 bytes, got ${reportData.length}`);
  }
  const base = join(root, CONFIGFS_TSM_REPORT);
  if (!existsSync(base)) {
    throw new TeezkError("TEE_UNAVAILABLE", "configfs-tsm is not available on this machine", {
      metaMessages: [`Expected ${base}. It needs Linux ≥ 6.7 inside a TDX or SEV-SNP guest, with configfs mounted (mount -t configfs none /sys/kernel/config).`],
    });
  }
  // One entry per request: configfs entries are shared state, and a fresh name keeps two collectors apart.
  const entry = join(base, `teezk-${process.pid}-${Date.now()}-${Math.floor(Math.random() * 1e9)}`);
  try {
    mkdirSync(entry);
  } catch (error) {
    throw new TeezkError("TEE_UNAVAILABLE", `Cannot create a configfs-tsm entry under ${base}`, { cause: error });
  }
  try {
    if (privilegeLevel !== undefined) writeFileSync(join(entry, "privlevel"), String(privilegeLevel));
    const before = readGeneration(fs, entry);
    writeFileSync(join(entry, "inblob"), reportData);
    const outblob = new Uint8Array(readFileSync(join(entry, "outblob")));
    const auxPath = join(entry, "auxblob");
    const auxblob = existsSync(auxPath) ? new Uint8Array(readFileSync(auxPath)) : undefined;
    const provider = readFileSync(join(entry, "provider"), "utf8").trim();
    const generation = readGeneration(fs, entry);
    if (generation !== before + 1) {
      throw new TeezkError("TEE_UNAVAILABLE", `configfs-tsm entry ${basename(entry)} was written concurrently`, {
        details: `generation ${before} → ${generation}; expected one write`,
      });
    }
    if (outblob.length === 0) throw new TeezkError("TEE_UNAVAILABLE", "configfs-tsm returned an empty report");
    return { provider, outblob, ...(auxblob && auxblob.length > 0 ? { auxblob } : {}), generation };
  } finally {
    try {
      rmdirSync(entry);
    } catch {
      // configfs removes the entry's attribute files with it; a plain directory keeps them, which is harmless.
    }
  }
}

function readGeneration(fs: ConfigfsOperations, entry: string): number {
  const path = join(entry, "generation");
  if (!fs.existsSync(path)) return 0;
  const value = Number.parseInt(fs.readFileSync(path, "utf8").trim(), 10);
  return Number.isNaN(value) ? 0 : value;
}
