import { rollupDifferential } from "./groth16Differential.js";
import { describeGroth16Differential } from "./describeGroth16Differential.js";

/**
 * One random batch by default: a rollup proof is ~35 s with snarkjs and ~10 s native here, so one witness costs
 * about a minute, like RollupGroth16Verifier.test.ts' two proofs; `npm run bench -- differential-rollup` runs
 * more (seeds from 1,000 on). TEEZK_DIFFERENTIAL_ROLLUP_WITNESSES raises it.
 */
describeGroth16Differential(rollupDifferential, Number(process.env.TEEZK_DIFFERENTIAL_ROLLUP_WITNESSES ?? "1"));
