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
  /** The lean verifier (scripts/circuits/leanVerifier.ts): same key and equation, less gas. */
  leanContractName: string;
  leanVerifierPath: string;
  /** Scaling members are built only with --scaling: their ceremonies take minutes on a small machine. */
  scaling: boolean;
};

const membership: CircuitDefinition = {
  name: "membership",
  source: "circuits/membership.circom",
  outDir: "circuits/build/membership",
  contractName: "MembershipGroth16Verifier",
  verifierPath: "contracts/zk/MembershipGroth16Verifier.sol",
  leanContractName: "MembershipGroth16VerifierLean",
  leanVerifierPath: "contracts/zk/MembershipGroth16VerifierLean.sol",
  scaling: false,
};

/** The rollup's state transition (circuits/rollup.circom), verified on-chain behind RollupRootProofVerifier. */
const rollup: CircuitDefinition = {
  name: "rollup",
  source: "circuits/rollup.circom",
  outDir: "circuits/build/rollup",
  contractName: "RollupGroth16Verifier",
  verifierPath: "contracts/zk/RollupGroth16Verifier.sol",
  leanContractName: "RollupGroth16VerifierLean",
  leanVerifierPath: "contracts/zk/RollupGroth16VerifierLean.sol",
  // Its zkey is committed: a default build finds it current and skips the ceremony (a 2^16 phase 1 is 48 min on
  // 2 quiet cores), so it never starts one unless circuits/rollup.circom changed.
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
  leanContractName: `Sha256x${bytes}Groth16VerifierLean`,
  leanVerifierPath: `circuits/build/scaling/sha256_${bytes}/Sha256x${bytes}Groth16VerifierLean.sol`,
  scaling: true,
}));

export const circuitDefinitions: readonly CircuitDefinition[] = [membership, rollup, ...scaling];

/** Intermediate files (r1cs, sym, ptau, pre-beacon zkeys): gitignored, reproducible. */
export const tmpDir = path.join(repoRoot, "circuits", "build", "tmp");
/**
 * Phase-1 files, shared by every circuit of the same or smaller power. TEEZK_PTAU_CACHE moves them outside the
 * checkout (a CI cache, or one folder shared by several checkouts): they are the slow part of a build.
 */
export const ptauDir = process.env["TEEZK_PTAU_CACHE"] ? path.resolve(process.env["TEEZK_PTAU_CACHE"]) : path.join(tmpDir, "ptau");
