import { cpus, loadavg } from "node:os";
import { TeezkError } from "../src/errors/index.js";
import { createGroth16Prover } from "../src/prover/index.js";
import { isCircuitBuilt } from "../test/circuits/isCircuitBuilt.js";
import {
  differentialVerifiers,
  differentialWitness,
  membershipDifferential,
  rollupDifferential,
  sha256x64Differential,
  type DifferentialCircuit,
} from "../test/prover/groth16Differential.js";
import { ensureNativeGroth16Binary } from "../test/prover/nativeGroth16Binary.js";
import type { BenchSuite } from "./types.js";

/** Seeds start at 1,000 so they are not the differential tests' (0, 1, …). */
const FIRST_SEED = 1000;

type DifferentialSuiteParameters = {
  name: string;
  target: DifferentialCircuit;
  /** The environment variable that sets the witness count, and its default. */
  countVariable: string;
  defaultCount: number;
  countTarget: string;
  /** For an on-demand circuit: how to build it, said by the skipped rows when its artifacts are missing. */
  buildHint?: string;
};

/**
 * Issue 18's differential run for one committed circuit: seeded random witnesses proved by snarkjs and by the
 * native engine, every proof checked by snarkjs, the native verifier and the circuit's generated on-chain
 * verifiers, and each proof's tamperings refused by all of them (the logic is the differential tests', at a
 * bench's count).
 */
function differentialSuite({ name, target, countVariable, defaultCount, countTarget, buildHint }: DifferentialSuiteParameters): BenchSuite {
  const prefix = `differential.groth16.${target.circuit}`;
  return {
    name,
    run: async () => {
      if (buildHint !== undefined && !isCircuitBuilt(target.circuit)) {
        const skipped = `${target.circuit} not built (${buildHint})`;
        process.stderr.write(`bench: ${name} skipped: ${skipped}\n`);
        return ["witnesses", "disagreements"].map((what) => ({ name: `${prefix}.${what}`, value: Number.NaN, unit: "count", skipped }));
      }
      const witnesses = Number(process.env[countVariable] ?? String(defaultCount));
      if (!Number.isInteger(witnesses) || witnesses < 1) throw new TeezkError("CONFIG_INVALID", `${countVariable} must be a whole number ≥ 1`);
      const loadBefore = loadavg()[0]!.toFixed(1);
      const snarkjs = createGroth16Prover({ engine: "snarkjs" });
      const native = createGroth16Prover({ engine: "native", nativeBinary: ensureNativeGroth16Binary() });
      try {
        const verifiers = await differentialVerifiers(target, { snarkjs, native });
        const disagreements: string[] = [];
        let checks = 0;
        const started = performance.now();
        for (let seed = FIRST_SEED; seed < FIRST_SEED + witnesses; seed++) {
          const outcome = await differentialWitness(target, seed, { snarkjs, native }, verifiers);
          checks += outcome.checks;
          disagreements.push(...outcome.disagreements);
          for (const line of outcome.disagreements) process.stderr.write(`bench: ${name}: ${line}\n`);
        }
        const minutes = ((performance.now() - started) / 60_000).toFixed(1);
        const by = verifiers.map((v) => v.name).join(", ");
        const setting = `${witnesses} ${target.witnesses}, each proved by snarkjs and native; ${checks.toLocaleString("en-US")} verifier calls (${by}) in ${minutes} min; ${cpus().length} cores, 1-min load ${loadBefore} → ${loadavg()[0]!.toFixed(1)}`;
        return [
          { name: `${prefix}.witnesses`, value: witnesses, unit: "count", anchor: setting, target: countTarget },
          { name: `${prefix}.disagreements`, value: disagreements.length, unit: "count", anchor: setting, target: "0" },
        ];
      } finally {
        await Promise.all([snarkjs.close(), native.close()]);
      }
    },
  };
}

/** The membership circuit at the 1,000 witnesses by default (~1 h here). */
export const differentialBench = differentialSuite({
  name: "differential",
  target: membershipDifferential,
  countVariable: "TEEZK_BENCH_DIFFERENTIAL_WITNESSES",
  defaultCount: 1000,
  countTarget: "1,000 (issue 18)",
});

/** The rollup batch circuit (62,849 constraints): ~45 s of proving per witness here, so 10 by default. */
export const differentialRollupBench = differentialSuite({
  name: "differential-rollup",
  target: rollupDifferential,
  countVariable: "TEEZK_BENCH_DIFFERENTIAL_ROLLUP_WITNESSES",
  defaultCount: 10,
  countTarget: "every committed circuit (issue 18); 10 by default, TEEZK_BENCH_DIFFERENTIAL_ROLLUP_WITNESSES for more",
});

/**
 * The 64-byte SHA-256 scaling member (59,793 constraints), when built (never in CI): ~2 s snarkjs + ~0.7 s native
 * per proof plus 56 verifier calls per message here (~5 s a message at 1-min load 2), so 120 by default (~10 min).
 */
export const differentialSha256Bench = differentialSuite({
  name: "differential-sha256",
  target: sha256x64Differential,
  countVariable: "TEEZK_BENCH_DIFFERENTIAL_SHA256_WITNESSES",
  defaultCount: 120,
  countTarget: "every circuit (issue 18); 120 by default (≤ 15 min here), TEEZK_BENCH_DIFFERENTIAL_SHA256_WITNESSES for more",
  buildHint: "npm run circuits:build -- --scaling=64; circuits/README.md gives the time it takes",
});
