import { cpus, loadavg } from "node:os";
import { TeezkError } from "../src/errors/index.js";
import { createGroth16Prover } from "../src/prover/index.js";
import { differentialVerifiers, differentialWitness } from "../test/prover/groth16Differential.js";
import { ensureNativeGroth16Binary } from "../test/prover/nativeGroth16Binary.js";
import type { BenchRow, BenchSuite } from "./types.js";

/** The 1,000 by default; seeds start at 1,000 so they are not the differential test's. */
const WITNESSES = Number(process.env.TEEZK_BENCH_DIFFERENTIAL_WITNESSES ?? "1000");
const FIRST_SEED = 1000;

/**
 * Issue 18's differential run: random membership witnesses proved by snarkjs and by the native engine, every
 * proof checked by snarkjs, the native verifier and the generated on-chain verifier, and 8 tamperings of each
 * refused by all three (the logic is the differential test's, at the issue's count). Slow: ~2 proofs and 54
 * verifications per witness.
 */
export const differentialBench: BenchSuite = {
  name: "differential",
  run: async () => {
    if (!Number.isInteger(WITNESSES) || WITNESSES < 1) throw new TeezkError("CONFIG_INVALID", "TEEZK_BENCH_DIFFERENTIAL_WITNESSES must be a whole number ≥ 1");
    const loadBefore = loadavg()[0]!.toFixed(1);
    const snarkjs = createGroth16Prover({ engine: "snarkjs" });
    const native = createGroth16Prover({ engine: "native", nativeBinary: ensureNativeGroth16Binary() });
    try {
      const verifiers = await differentialVerifiers(snarkjs, native);
      const disagreements: string[] = [];
      let checks = 0;
      const started = performance.now();
      for (let seed = FIRST_SEED; seed < FIRST_SEED + WITNESSES; seed++) {
        const outcome = await differentialWitness(seed, { snarkjs, native }, verifiers);
        checks += outcome.checks;
        disagreements.push(...outcome.disagreements);
        for (const line of outcome.disagreements) process.stderr.write(`bench: differential: ${line}\n`);
      }
      const minutes = ((performance.now() - started) / 60_000).toFixed(1);
      const setting = `${WITNESSES} seeded random membership witnesses, each proved by snarkjs and native; ${checks.toLocaleString("en-US")} verifier calls (snarkjs, native, on-chain) in ${minutes} min; ${cpus().length} cores, 1-min load ${loadBefore} → ${loadavg()[0]!.toFixed(1)}`;
      return [
        { name: "differential.groth16.membership.witnesses", value: WITNESSES, unit: "count", anchor: setting, target: "1,000 (issue 18)" },
        { name: "differential.groth16.membership.disagreements", value: disagreements.length, unit: "count", anchor: setting, target: "0" },
      ];
    } finally {
      await Promise.all([snarkjs.close(), native.close()]);
    }
  },
};
