import { Option, type Command } from "commander";
import type { CliIo } from "../../io.js";
import type { TeeAttestOptions, TeeDetectOptions } from "./teeCommand.js";

/** Adds `teezk tee detect|attest`; device access and the simulated TEEs load only when one runs. */
export function registerTeeCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const tee = program.command("tee").description("Detect TEEs on this machine and produce evidence (real or simulated)");
  tee
    .command("detect")
    .description("Report which TEEs this machine offers (device nodes only; never talks to the TEE)")
    .option("--json", "machine-readable output")
    .action(async (options: TeeDetectOptions) => {
      const { teeDetectCommand } = await import("./teeCommand.js");
      setExitCode(await teeDetectCommand(options, io));
    });
  tee
    .command("attest")
    .description("Produce evidence for a 32-byte nonce, from this machine's TEE or a simulated one (dev root)")
    .requiredOption("--nonce <hex32>", "the 32-byte binding to put in the report data / user data / GPU nonce")
    .addOption(new Option("--simulate <vendor>", "simulated TEE signed by the local dev root (NOT FOR PRODUCTION)").choices(["nitro", "tdx", "sgx", "sevsnp", "nvidia"]))
    .addOption(new Option("--kind <vendor>", "hardware TEE to use (default: the first one detected)").choices(["tdx", "sevsnp", "nitro", "nvidia"]))
    .option("--out <file>", "write the evidence (hex) here; collateral goes to <file>.collateral/")
    .option("--debug", "simulate a debuggable TEE")
    .option("--dev-roots <dir>", "dev PKI folder (default $TEEZK_HOME/dev-roots or ./.teezk/dev-roots)")
    .option("--json", "machine-readable output")
    .action(async (options: TeeAttestOptions) => {
      const { teeAttestCommand } = await import("./teeCommand.js");
      setExitCode(await teeAttestCommand(options, io));
    });
}
