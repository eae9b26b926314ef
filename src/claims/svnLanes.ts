/**
 * DESIGN §2 `svn` is a vector of six 8-bit lanes in a uint48 (lane 0 the low byte), compared lane by lane: a TCB
 * is at least a minimum only when every component is. One packed integer compared as a whole let a high
 * bootloader SVN hide a zero microcode SVN (issue 12 item 7). Lanes per TEE type:
 * SNP 0 microcode, 1 SNP firmware, 2 TEE, 3 bootloader, 4 FMC (Turin; 0 elsewhere); TDX 0–1 TEE_TCB_SVN[0], [1];
 * SGX 0–1 ISVSVN low and high byte (lane-wise is stricter than numeric above 255, never weaker); Nitro and NVIDIA 0.
 */
export const SVN_LANE_COUNT = 6;
const LANE = 256;
export const MAX_SVN = LANE ** SVN_LANE_COUNT - 1;

/** The lanes of `svn`, lane 0 first. Arithmetic, not bit operators: JavaScript's are 32-bit and svn has 48 bits. */
export function svnLanes(svn: number): number[] {
  return Array.from({ length: SVN_LANE_COUNT }, (_, lane) => Math.floor(svn / LANE ** lane) % LANE);
}

/** Packs lanes (lane 0 first, each 0–255, at most six) into an svn. */
export function packSvnLanes(lanes: readonly number[]): number {
  return lanes.reduce((svn, lane, index) => svn + (lane & 0xff) * LANE ** index, 0);
}

/** True when every lane of `svn` is at least the same lane of `minimum`. */
export function svnAtLeast(svn: number, minimum: number): boolean {
  const have = svnLanes(svn);
  return svnLanes(minimum).every((lane, index) => have[index]! >= lane);
}

/** SEV-SNP components as the svn lanes hold them; `fmc` exists on Turin only. */
export type SnpTcbComponents = { bootloader: number; tee: number; snp: number; microcode: number; fmc?: number };

export function snpSvn(tcb: SnpTcbComponents): number {
  return packSvnLanes([tcb.microcode, tcb.snp, tcb.tee, tcb.bootloader, tcb.fmc ?? 0]);
}
