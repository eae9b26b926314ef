import { isTeezkError } from "../../src/errors/index.js";
import { resolveCircuitArtifacts } from "../../src/prover/index.js";

/** Whether a circuit's artifacts exist (the scaling members are built on demand and never committed). */
export function isCircuitBuilt(circuit: string): boolean {
  try {
    resolveCircuitArtifacts({ circuit });
    return true;
  } catch (error) {
    if (isTeezkError(error, "CIRCUIT_NOT_BUILT")) return false;
    throw error;
  }
}
