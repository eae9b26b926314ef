import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export type DetectTeeParameters = {
  /**
   * Filesystem root to probe. "/" on a real machine; tests pass a temporary directory laid out like one (a
   * stand-in for hardware, since no TEE exists on a build machine).
   */
  root?: string;
};

export type DetectTeeReturnType = {
  /** Intel TDX guest device (`/dev/tdx_guest`). */
  tdx: boolean;
  /** AMD SEV-SNP guest device (`/dev/sev-guest`). */
  sevSnp: boolean;
  /** Linux ≥ 6.7 configfs-tsm report interface; its providers say which TEE answers. */
  configfsTsm: { available: boolean; path: string };
  /** AWS Nitro Secure Module (`/dev/nsm`), present inside an enclave. */
  nitro: boolean;
  /** NVIDIA GPUs whose driver reports confidential-computing mode. */
  nvidiaGpu: { present: boolean; confidentialComputing: boolean | "unknown"; gpus: string[] };
  /** The kinds `collect()` can produce evidence for on this machine. */
  collectable: Array<"tdx" | "sevsnp" | "nitro" | "nvidia">;
};

export const CONFIGFS_TSM_REPORT = "sys/kernel/config/tsm/report";

/** Reports what the machine offers, from device nodes and driver files only: it never talks to the TEE. */
export function detectTee({ root = "/" }: DetectTeeParameters = {}): DetectTeeReturnType {
  const at = (path: string) => join(root, path);
  const tdx = existsSync(at("dev/tdx_guest"));
  const sevSnp = existsSync(at("dev/sev-guest"));
  const tsmPath = at(CONFIGFS_TSM_REPORT);
  const configfsTsm = { available: existsSync(tsmPath), path: tsmPath };
  const nitro = existsSync(at("dev/nsm"));
  const nvidiaGpu = detectNvidia(at("proc/driver/nvidia/gpus"));
  const collectable: DetectTeeReturnType["collectable"] = [];
  if (configfsTsm.available && tdx) collectable.push("tdx");
  if (configfsTsm.available && sevSnp) collectable.push("sevsnp");
  if (nitro) collectable.push("nitro");
  if (nvidiaGpu.present && nvidiaGpu.confidentialComputing !== false) collectable.push("nvidia");
  return { tdx, sevSnp, configfsTsm, nitro, nvidiaGpu, collectable };
}

function detectNvidia(gpusDir: string): DetectTeeReturnType["nvidiaGpu"] {
  if (!existsSync(gpusDir)) return { present: false, confidentialComputing: false, gpus: [] };
  let gpus: string[] = [];
  try {
    gpus = readdirSync(gpusDir);
  } catch {
    return { present: false, confidentialComputing: false, gpus: [] };
  }
  // The driver's per-GPU information file carries no CC flag on every version; "unknown" means ask
  // `nvidia-smi conf-compute -f` on the machine itself.
  let confidentialComputing: boolean | "unknown" = "unknown";
  for (const gpu of gpus) {
    try {
      const info = readFileSync(join(gpusDir, gpu, "information"), "utf8");
      const match = /Confidential Computing:\s*(\S+)/i.exec(info);
      if (match) confidentialComputing = /^(on|enabled|yes)$/i.test(match[1]!);
    } catch {
      // Unreadable entries do not change the answer.
    }
  }
  return { present: gpus.length > 0, confidentialComputing, gpus };
}
