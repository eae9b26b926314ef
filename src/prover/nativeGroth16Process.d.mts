import type { Groth16Proof } from "./types.js";

export type NativeGroth16Process = {
  prove(zkeyPath: string, wtnsBytes: Uint8Array): Promise<{ proof: Groth16Proof; publicSignals: string[]; nativePeakRssMiB: number }>;
  verify(verificationKeyPath: string, proof: Groth16Proof, publicSignals: readonly string[]): Promise<boolean>;
  readonly failed: boolean;
  setIdle(idle: boolean): void;
  kill(): Promise<void>;
};

export function createNativeGroth16Process(binaryPath: string): NativeGroth16Process;
