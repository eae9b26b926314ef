import { membershipDifferential } from "./groth16Differential.js";
import { describeGroth16Differential } from "./describeGroth16Differential.js";

/** Witnesses per run; bench/differential.ts runs the 1,000 (seeds from 1,000 on, so they differ). */
describeGroth16Differential(membershipDifferential, Number(process.env.TEEZK_DIFFERENTIAL_WITNESSES ?? "6"));
