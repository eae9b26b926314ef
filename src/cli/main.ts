import { Command, CommanderError } from "commander";
import { registerArchiveCommand } from "./commands/archive/registerArchiveCommand.js";
import { registerCollateralCommand } from "./commands/collateral/registerCollateralCommand.js";
import { registerDelegateCommand } from "./commands/delegate/registerDelegateCommand.js";
import { registerProveCommand } from "./commands/prove/registerProveCommand.js";
import { registerReceiptsCommands } from "./commands/receipts/registerReceiptsCommands.js";
import { registerRegistryCommands } from "./commands/registry/registerRegistryCommands.js";
import { registerRootsCommands } from "./commands/roots/registerRootsCommands.js";
import { registerServeCommands } from "./commands/serve/registerServeCommands.js";
import { registerTeeCommands } from "./commands/tee/registerTeeCommands.js";
import { registerVerifyCommand } from "./commands/verify/registerVerifyCommand.js";
import { ExitCode, processIo, UsageError, type CliIo } from "./io.js";

/** Every command group, in the order `teezk --help` lists them. Each declares its flags and loads its code when run. */
const commandGroups = [
  registerVerifyCommand,
  registerTeeCommands,
  registerProveCommand,
  registerRegistryCommands,
  registerReceiptsCommands,
  registerRootsCommands,
  registerServeCommands,
  registerArchiveCommand,
  registerDelegateCommand,
  registerCollateralCommand,
] as const;

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code (io.ts's ExitCode). */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = new Command("teezk")
    .description("TEE + ZK verification stack: verify attestation evidence, appraise policy, work with receipts")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  let exitCode: number = ExitCode.OK;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  for (const register of commandGroups) register(program, io, setExitCode);

  try {
    await program.parseAsync(argv as string[], { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\n`);
      return ExitCode.USAGE;
    }
    throw error;
  }
  return exitCode;
}
