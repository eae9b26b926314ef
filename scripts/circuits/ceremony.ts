import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import * as snarkjs from "snarkjs";

/**
 * DEVELOPMENT ceremony. Every contribution's randomness is derived from a public label, so anyone can rebuild
 * byte-identical ptau and zkey files — and anyone can also recompute the toxic waste. These keys prove
 * nothing against a dishonest prover; a deployment replaces them (circuits/README.md, "Production phase 2").
 *
 * snarkjs' `contribute` mixes 64 bytes of OS randomness into the entropy string, so it can never be
 * reproduced; `beacon` derives the contribution from a hash alone. Each contribution below is therefore
 * applied with `beacon`, and is recorded in the transcript as such.
 */
export const ceremonyLabels = {
  ptauContribution1: "teezk/dev-ceremony/v1/ptau/contribution-1",
  ptauContribution2: "teezk/dev-ceremony/v1/ptau/contribution-2",
  ptauBeacon: "teezk/dev-ceremony/v1/ptau/beacon",
  zkeyContribution1: "teezk/dev-ceremony/v1/zkey/contribution-1",
  zkeyBeacon: "teezk/dev-ceremony/v1/zkey/beacon",
} as const;

/** 2^10 hash iterations per beacon: snarkjs' documented default, cheap here. */
export const beaconIterationsExp = 10;

/** The beacon hash (hex) of a label: sha256 of its UTF-8 bytes. */
export function beaconHash(label: string): string {
  return createHash("sha256").update(label, "utf8").digest("hex");
}

export type CeremonyLogger = {
  /** snarkjs' powersoftau_new calls `log` (not `info`) every 100,000 points, i.e. from 2^16 up. */
  log: (message: string) => void;
  info: (message: string) => void;
  debug: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
};

export function createLogger(verbose: boolean): CeremonyLogger {
  const write = (message: string) => process.stderr.write(`  snarkjs: ${message}\n`);
  const quiet = () => {};
  return { log: verbose ? write : quiet, info: verbose ? write : quiet, debug: quiet, warn: write, error: write };
}

/** Smallest power of two domain that fits the circuit in Groth16 (constraints + public signals + 1). */
export function ptauPowerFor(info: { nConstraints: number; nPubInputs: number; nOutputs: number }): number {
  const needed = info.nConstraints + info.nPubInputs + info.nOutputs + 1;
  // snarkjs' smallest supported accumulator is 2^1; 2^8 keeps tiny circuits from edge cases.
  return Math.max(8, Math.ceil(Math.log2(needed)));
}

export function ptauPath(ptauDir: string, power: number): string {
  return path.join(ptauDir, `pot${power}_final.ptau`);
}

/**
 * Phase 1 for `power`: new accumulator, two deterministic contributions, a beacon, then preparePhase2.
 * Cached: a second call with the file present returns at once.
 */
export async function ensurePtau(ptauDir: string, power: number, logger: CeremonyLogger): Promise<string> {
  const finalPath = ptauPath(ptauDir, power);
  if (existsSync(finalPath)) return finalPath;
  mkdirSync(ptauDir, { recursive: true });
  const step = (n: number) => path.join(ptauDir, `pot${power}_${n}.ptau.partial`);
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  // Each step's wall time goes to stderr: phase 1 dominates a build, and its cost per power is worth knowing.
  const started = Date.now();
  let stepStarted = started;
  const stepLog = (message: string) => {
    const now = Date.now();
    process.stderr.write(`  ptau 2^${power}: ${message} (previous step ${((now - stepStarted) / 1000).toFixed(1)} s)\n`);
    stepStarted = now;
  };
  process.stderr.write(
    `  ptau 2^${power}: not cached in ${ptauDir}, generating it (2^16 took 48 min on 2 shared cores; ` +
      "each extra power a little more than doubles it; see circuits/README.md)\n",
  );
  stepLog("new accumulator");
  await snarkjs.powersOfTau.newAccumulator(curve, power, step(0), logger);
  stepLog("contribution 1");
  await snarkjs.powersOfTau.beacon(step(0), step(1), "teezk dev contribution 1",
    beaconHash(ceremonyLabels.ptauContribution1), beaconIterationsExp, logger);
  stepLog("contribution 2");
  await snarkjs.powersOfTau.beacon(step(1), step(2), "teezk dev contribution 2",
    beaconHash(ceremonyLabels.ptauContribution2), beaconIterationsExp, logger);
  stepLog("beacon");
  await snarkjs.powersOfTau.beacon(step(2), step(3), "teezk dev beacon",
    beaconHash(ceremonyLabels.ptauBeacon), beaconIterationsExp, logger);
  stepLog("prepare phase 2");
  await snarkjs.powersOfTau.preparePhase2(step(3), step(4), logger);
  stepLog("done");
  process.stderr.write(`  ptau 2^${power}: phase 1 took ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  renameSync(step(4), finalPath);
  for (let n = 0; n < 4; n++) rmSync(step(n), { force: true });
  return finalPath;
}

/** Phase 2 for one circuit: new zkey, one deterministic contribution, a beacon. */
export async function setupZkey(
  r1csPath: string,
  ptauFile: string,
  finalZkeyPath: string,
  workDir: string,
  logger: CeremonyLogger,
): Promise<void> {
  mkdirSync(workDir, { recursive: true });
  const z0 = path.join(workDir, "circuit_0000.zkey");
  const z1 = path.join(workDir, "circuit_0001.zkey");
  await snarkjs.zKey.newZKey(r1csPath, ptauFile, z0, logger);
  await snarkjs.zKey.beacon(z0, z1, "teezk dev phase-2 contribution 1",
    beaconHash(ceremonyLabels.zkeyContribution1), beaconIterationsExp, logger);
  // Written beside the final path and renamed: a reader (a prover, a test) never sees half a zkey, and an
  // interrupted build leaves the previous one.
  const partial = `${finalZkeyPath}.partial`;
  await snarkjs.zKey.beacon(z1, partial, "teezk dev phase-2 beacon",
    beaconHash(ceremonyLabels.zkeyBeacon), beaconIterationsExp, logger);
  renameSync(partial, finalZkeyPath);
  rmSync(z0, { force: true });
  rmSync(z1, { force: true });
}
