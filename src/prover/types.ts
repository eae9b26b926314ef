import type { Hex } from "viem";

/** Stages reported through `onProgress`, in order. */
export type ProveStage = "witness" | "prove" | "done";

export type ProveProgress = {
  stage: ProveStage;
  /** Milliseconds since `prove` was called. */
  elapsedMs: number;
};

/** Paths of one circuit's artifacts; `resolveCircuitArtifacts` finds them by name. */
export type CircuitArtifacts = {
  name: string;
  wasmPath: string;
  zkeyPath: string;
  verificationKeyPath: string;
};

/** A circuit by name (`"membership"`, `"sha256_64"`) or by explicit artifact paths. */
export type CircuitReference = string | CircuitArtifacts;

/** A BN254 Groth16 proof as snarkjs writes it: decimal strings, projective coordinates. */
export type Groth16Proof = {
  pi_a: [string, string, string];
  pi_b: [[string, string], [string, string], [string, string]];
  pi_c: [string, string, string];
  protocol: "groth16";
  curve: "bn128";
};

/** What the SP1 host binary returns: a proof over the program's public values. */
export type Sp1Proof = {
  /** The proof bytes as the SP1 verifier contract takes them. */
  proof: Hex;
  /** The program verification key (bytes32) the proof is bound to. */
  vkey: Hex;
};

export type ProveParameters = {
  circuit: CircuitReference;
  /** Circuit inputs by signal name: bigint, number or decimal/hex string leaves, nested arrays allowed. */
  witnessInput: Record<string, unknown>;
  onProgress?: (progress: ProveProgress) => void;
};

export type ProveReturnType<TProof> = {
  proof: TProof;
  /** Public signals as decimal strings, in the circuit's order (outputs first, then public inputs). */
  publicSignals: string[];
  timings: {
    /** Wall time of the whole call. */
    ms: number;
    witnessMs?: number;
    proveMs?: number;
  };
  /**
   * Peak resident set size of the process that proved (groth16: the forked prover process's high-water mark,
   * which for a warm prover of one circuit is the per-proof peak), in MiB.
   */
  peakRssMiB?: number;
};

export type VerifyParameters<TProof> = {
  circuit: CircuitReference;
  proof: TProof;
  publicSignals: readonly string[];
};

/** One interface over every proving backend. */
export type Prover<TProof> = {
  readonly backend: "groth16" | "sp1";
  prove(parameters: ProveParameters): Promise<ProveReturnType<TProof>>;
  /** True when the proof verifies; false when it is well-formed but wrong. Malformed input throws. */
  verify(parameters: VerifyParameters<TProof>): Promise<boolean>;
  /** Stops the prover's child process. The prover must not be used afterwards. */
  close(): Promise<void>;
};
