import { ensureReleaseBinary } from "../zkprogram/hostBinary.js";

/** The native Groth16 prover: TEEZK_GROTH16_BIN when set, else zkprogram/target/release/teezk-groth16. */
export const ensureNativeGroth16Binary = (): string => ensureReleaseBinary("teezk-groth16", "teezk-groth16", process.env.TEEZK_GROTH16_BIN);
