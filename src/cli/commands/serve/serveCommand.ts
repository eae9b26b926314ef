import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import { registerServeKeysCommand } from "./serveKeysCommand.js";
import { registerServeProverCommand } from "./serveProverCommand.js";
import { registerServeVerifierCommand } from "./serveVerifierCommand.js";

/**
 * Adds `teezk serve …`: the long-running services, each on loopback by default and each until SIGINT/SIGTERM.
 * Every subcommand registers itself on the returned `serve` command (serveProverCommand.ts,
 * serveVerifierCommand.ts, serveKeysCommand.ts).
 */
export function registerServeCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): Command {
  const serve = program.command("serve").description("Run a teezk service (prover node, verifier node, key release) on loopback by default");
  registerServeProverCommand(serve, io, setExitCode);
  registerServeVerifierCommand(serve, io, setExitCode);
  registerServeKeysCommand(serve, io, setExitCode);
  return serve;
}
