// snarkjs 0.7 ships no type declarations; these cover the calls teezk makes. File names are paths;
// `logger` is any object with info/debug/warn/error.
declare module "snarkjs" {
  type Logger = {
    info: (message: string) => void;
    debug: (message: string) => void;
    warn: (message: string) => void;
    error: (message: string) => void;
  };
  type Groth16Proof = {
    pi_a: string[];
    pi_b: string[][];
    pi_c: string[];
    protocol: string;
    curve: string;
  };
  type WitnessTarget = string | { type: "mem"; data?: Uint8Array };

  /** ffjavascript's curve; cached per thread, its worker threads keep the process alive until terminate(). */
  type Curve = { terminate(): Promise<void> };
  export const curves: {
    getCurveFromName(name: string, options?: { singleThread?: boolean }): Promise<Curve>;
  };
  export const powersOfTau: {
    newAccumulator(curve: unknown, power: number, fileName: string, logger?: Logger): Promise<unknown>;
    beacon(
      oldPtau: string,
      newPtau: string,
      name: string,
      beaconHashHex: string,
      numIterationsExp: number,
      logger?: Logger,
    ): Promise<unknown>;
    preparePhase2(oldPtau: string, newPtau: string, logger?: Logger): Promise<void>;
    verify(ptau: string, logger?: Logger): Promise<boolean>;
  };
  export const zKey: {
    newZKey(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<unknown>;
    beacon(
      oldZkey: string,
      newZkey: string,
      name: string,
      beaconHashHex: string,
      numIterationsExp: number,
      logger?: Logger,
    ): Promise<unknown>;
    verifyFromR1cs(r1cs: string, ptau: string, zkey: string, logger?: Logger): Promise<boolean>;
    exportVerificationKey(zkey: string, logger?: Logger): Promise<Record<string, unknown>>;
    exportSolidityVerifier(zkey: string, templates: { groth16: string }, logger?: Logger): Promise<string>;
  };
  export const r1cs: {
    info(r1cs: string, logger?: Logger): Promise<{
      nConstraints: number;
      nPubInputs: number;
      nPrvInputs: number;
      nOutputs: number;
      nVars: number;
    }>;
  };
  export const wtns: {
    calculate(input: Record<string, unknown>, wasm: string, target: WitnessTarget, options?: unknown): Promise<void>;
    /** Every witness value, index 0 being the constant 1, then outputs and public inputs. */
    exportJson(witness: WitnessTarget): Promise<bigint[]>;
  };
  export const groth16: {
    prove(
      zkey: string,
      witness: WitnessTarget,
      logger?: Logger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    fullProve(
      input: Record<string, unknown>,
      wasm: string,
      zkey: string,
      logger?: Logger,
    ): Promise<{ proof: Groth16Proof; publicSignals: string[] }>;
    verify(vkey: unknown, publicSignals: readonly string[], proof: unknown, logger?: Logger): Promise<boolean>;
  };
}
