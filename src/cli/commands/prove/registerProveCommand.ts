import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import type { ProveCommandOptions } from "./proveCommand.js";

/** Adds `teezk prove`; snarkjs loads only when it runs. */
export function registerProveCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command("prove")
    .description("Prove a circuit's statement with Groth16 (snarkjs or the native engine), showing progress, time and peak memory")
    .requiredOption("--circuit <name>", "circuit name (membership, sha256_64, …): artifacts under circuits/build")
    .requiredOption("--witness <file>", "JSON object of circuit inputs (values above 2^53 as decimal or 0x strings)")
    .option("--out <file>", "write {circuit, proof, publicSignals} here (default: stdout)")
    .option("--timeout <seconds>", "kill the prover after this long (default 600)")
    .option("--engine <name>", "snarkjs or native (zkprogram/groth16; falls back to snarkjs, saying so, when not built); default TEEZK_GROTH16_ENGINE, else snarkjs")
    .option("--json", "machine-readable output")
    .action(async (options: ProveCommandOptions) => {
      const { proveCommand } = await import("./proveCommand.js");
      setExitCode(await proveCommand(options, io));
    });
}
