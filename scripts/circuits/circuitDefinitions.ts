import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, found from this file so the scripts work from any working directory. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export type CircuitDefinition = {
  /** Artifact base name: `<name>.wasm`, `<name>_final.zkey`. */
  name: string;
  /** The circom main file, relative to the repository root. */
  source: string;
  /** Where the committed (or, for scaling members, gitignored) artifacts go, relative to the root. */
  outDir: string;
  /** Solidity contract name of the generated verifier (snarkjs calls every one `Groth16Verifier`). */
  contractName: string;
  /** Where the verifier goes: contracts/zk for what the project deploys, the build folder otherwise. */
  verifierPath: string;
  /** Scaling members are built only with --scaling: their ceremonies take minutes on a small machine. */
  scaling: boolean;
};

const membership: CircuitDefinition = {
  name: "membership",
  source: "circuits/membership.circom",
  outDir: "circuits/build/membership",
  contractName: "MembershipGroth16Verifier",
  verifierPath: "contracts/zk/MembershipGroth16Verifier.sol",
  scaling: false,
};

/** SHA-256 preimage members, by message size in bytes (64·k for k = 1, 4, 16). */
export const scalingSizes = [64, 256, 1024] as const;

const scaling: CircuitDefinition[] = scalingSizes.map((bytes) => ({
  name: `sha256_${bytes}`,
  source: `circuits/scaling/sha256_${bytes}.circom`,
  outDir: `circuits/build/scaling/sha256_${bytes}`,
  contractName: `Sha256x${bytes}Groth16Verifier`,
  // Kept out of contracts/ so Hardhat never compiles a verifier whose zkey is not in git.
  verifierPath: `circuits/build/scaling/sha256_${bytes}/Sha256x${bytes}Groth16Verifier.sol`,
  scaling: true,
}));

export const circuitDefinitions: readonly CircuitDefinition[] = [membership, ...scaling];

/** Intermediate files (r1cs, sym, ptau, pre-beacon zkeys): gitignored, reproducible. */
export const tmpDir = path.join(repoRoot, "circuits", "build", "tmp");
export const ptauDir = path.join(tmpDir, "ptau");
