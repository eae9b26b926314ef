import { snpSvn } from "../../claims/svnLanes.js";
import type { SnpProduct, SnpTcbVersion } from "./types.js";

/**
 * TCB_VERSION is a u64 whose byte meaning depends on the product: Turin added an FMC SVN and moved the
 * others down, so the same 8 bytes read differently on Turin than on Milan/Genoa. An unknown product reads
 * as Milan/Genoa, the only layout v2 reports (which carry no CPUID) can have been produced with.
 */
export function decodeTcbVersion(bytes: Uint8Array, product: SnpProduct | undefined): SnpTcbVersion {
  const raw = Buffer.from(bytes).toString("hex");
  if (product === "Turin") {
    return { raw, fmc: bytes[0]!, bootloader: bytes[1]!, tee: bytes[2]!, snp: bytes[3]!, microcode: bytes[7]! };
  }
  return { raw, bootloader: bytes[0]!, tee: bytes[1]!, snp: bytes[6]!, microcode: bytes[7]! };
}

/** DESIGN §2 `svn` lanes: microcode, snp, tee, bootloader, fmc (Turin; 0 elsewhere). Milan/Genoa keep the old bytes. */
export function packTcbSvn(tcb: SnpTcbVersion): number {
  return snpSvn(tcb);
}
