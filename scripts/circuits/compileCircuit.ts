import { spawnSync } from "node:child_process";
import { cpSync, lstatSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { TeezkError } from "../../src/errors/index.js";
import { repoRoot, type CircuitDefinition } from "./circuitDefinitions.js";

const require = createRequire(import.meta.url);

export type CompiledCircuit = { r1cs: string; wasm: string; sym: string };

/**
 * Compiles with circom2 (circom 2.x as WASI, no native toolchain needed). `--O2` removes linear constraints,
 * which halves the membership circuit and so its ptau. Runs the CLI with this Node so the pinned Node 22
 * is used whatever `node` is on PATH.
 */
export function compileCircuit(definition: CircuitDefinition, outDir: string): CompiledCircuit {
  mkdirSync(outDir, { recursive: true });
  const includeDir = circomIncludeDir(outDir);
  const cli = path.join(path.dirname(require.resolve("circom2/package.json")), "cli.js");
  const args = [
    cli,
    path.join(repoRoot, definition.source),
    "--O2",
    "--r1cs",
    "--wasm",
    "--sym",
    "-l",
    includeDir,
    "-o",
    outDir,
  ];
  const result = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: "utf8", maxBuffer: 64 << 20 });
  if (result.status !== 0) {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `circom2 failed to compile ${definition.source}`, {
      details: `${result.stdout}\n${result.stderr}`.trim(),
    });
  }
  const base = path.basename(definition.source, ".circom");
  return {
    r1cs: path.join(outDir, `${base}.r1cs`),
    wasm: path.join(outDir, `${base}_js`, `${base}.wasm`),
    sym: path.join(outDir, `${base}.sym`),
  };
}

/**
 * Where circom finds `circomlib/circuits/...`. circom2 runs under WASI, which will not follow a symlink out of
 * the working directory: in a git worktree whose node_modules links to another checkout, circomlib's circuits
 * are copied next to the build output first.
 */
function circomIncludeDir(outDir: string): string {
  const nodeModules = path.join(repoRoot, "node_modules");
  if (!lstatSync(nodeModules).isSymbolicLink()) return nodeModules;
  const includeDir = path.join(outDir, "include");
  const circomlib = path.dirname(require.resolve("circomlib/package.json"));
  cpSync(path.join(circomlib, "circuits"), path.join(includeDir, "circomlib", "circuits"), { recursive: true });
  return includeDir;
}

export function circomVersion(): string {
  const cli = path.join(path.dirname(require.resolve("circom2/package.json")), "cli.js");
  const result = spawnSync(process.execPath, [cli, "--version"], { encoding: "utf8" });
  return (result.stdout || "").trim().split("\n").pop() ?? "unknown";
}
