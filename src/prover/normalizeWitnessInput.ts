import { TeezkError } from "../errors/index.js";

/** The BN254 scalar field order: every circuit signal is an element of this field. */
export const bn254ScalarField = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** A witness with more leaves than this is refused before it reaches the worker. */
export const maxWitnessLeaves = 1 << 20;
const maxNesting = 8;

export type WitnessValue = string | WitnessValue[];
export type NormalizeWitnessInputReturnType = Record<string, WitnessValue>;

/**
 * Turns caller input (bigint, safe integer, decimal or 0x-hex string, nested arrays) into the decimal strings
 * the circom witness calculator reads, checking each value is a field element. Bounded in size and depth so a
 * hostile request cannot make the prover allocate without limit.
 * @throws TeezkError WITNESS_INVALID naming the offending signal.
 */
export function normalizeWitnessInput(input: Record<string, unknown>): NormalizeWitnessInputReturnType {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new TeezkError("WITNESS_INVALID", "the witness input must be an object of signal name → value");
  }
  let leaves = 0;
  const convert = (value: unknown, where: string, depth: number): WitnessValue => {
    if (Array.isArray(value)) {
      if (depth >= maxNesting) {
        throw new TeezkError("WITNESS_INVALID", `signal ${where} is nested deeper than ${maxNesting} levels`);
      }
      if (leaves + value.length > maxWitnessLeaves) {
        throw new TeezkError("WITNESS_INVALID", `the witness has more than ${maxWitnessLeaves} values`);
      }
      return value.map((item, i) => convert(item, `${where}[${i}]`, depth + 1));
    }
    if (++leaves > maxWitnessLeaves) {
      throw new TeezkError("WITNESS_INVALID", `the witness has more than ${maxWitnessLeaves} values`);
    }
    let n: bigint;
    if (typeof value === "bigint") n = value;
    else if (typeof value === "number" && Number.isSafeInteger(value)) n = BigInt(value);
    else if (typeof value === "string" && /^(0|[1-9][0-9]{0,77}|0x[0-9a-fA-F]{1,64})$/.test(value)) n = BigInt(value);
    else {
      throw new TeezkError("WITNESS_INVALID", `signal ${where} is not an integer`, {
        details: `got ${typeof value === "string" ? JSON.stringify(value.slice(0, 80)) : typeof value}`,
      });
    }
    if (n < 0n || n >= bn254ScalarField) {
      throw new TeezkError("WITNESS_INVALID", `signal ${where} is outside the BN254 scalar field`, {
        details: `value ${n.toString().slice(0, 90)}`,
      });
    }
    return n.toString();
  };
  const out: NormalizeWitnessInputReturnType = {};
  for (const [key, value] of Object.entries(input)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key)) {
      throw new TeezkError("WITNESS_INVALID", `"${key.slice(0, 80)}" is not a signal name`);
    }
    out[key] = convert(value, key, 0);
  }
  return out;
}
