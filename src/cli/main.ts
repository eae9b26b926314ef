import { Command, CommanderError, Option } from "commander";
import { verifyCommand, type VerifyCommandOptions } from "./commands/verify/verifyCommand.js";
import { ExitCode, processIo, UsageError, type CliIo } from "./io.js";
import { teeAttestCommand, teeDetectCommand, type TeeAttestOptions, type TeeDetectOptions } from "./commands/tee/teeCommand.js";
import { proveCommand, type ProveCommandOptions } from "./commands/prove/proveCommand.js";
import { registerServeCommand } from "./commands/serve/serveCommand.js";
import { registerArchiveCommand } from "./commands/archive/archiveCommand.js";
import { registerChainCommands } from "./support/chainCommand.js";
import { registerDelegateCommand } from "./commands/delegate/delegateCommand.js";
import { addCollateralServiceOptions, registerCollateralCommand } from "./commands/collateral/collateralCommand.js";

export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = new Command("teezk")
    .description("TEE + ZK verification stack: verify attestation evidence, appraise policy, work with receipts")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  let exitCode: number = ExitCode.OK;

  const verify = program
    .command("verify")
    .description("Verify attestation evidence (raw, hex or base64) and print its claims")
    .argument("<file>", "evidence file")
    .addOption(new Option("--type <type>", "evidence type (detected when omitted)").choices(["nitro", "tdx", "sgx", "sevsnp", "nvidia"]))
    .option("--at <iso-time>", "verification time (default: now)")
    .option(
      "--collateral <dir>",
      "collateral folder (Intel PCS files or dcap-qvl JSON; AMD certificates; NVIDIA chain); repeat to merge folders. Without it, TDX/SGX/SEV-SNP collateral is fetched (or taken from the cache)",
      (dir: string, previous: string[] = []) => [...previous, dir],
    )
    .option("--policy <file>", "reference values JSON to appraise every part against (a GPU report alone is refused: GPU_NOT_AN_ENCLAVE)")
    .option("--gpu <file>", "GPU evidence for composite CPU+GPU attestation")
    .option("--gpu-collateral <dir>", "folder with the GPU certificate chain when --gpu is a raw SPDM report")
    .option(
      "--trust-root <sha256>",
      "also trust this root fingerprint (a simulated TEE's dev root; never in production); repeatable",
      (pin: string, previous: string[] = []) => [...previous, pin],
    )
    .option("--no-fetch", "without --collateral, verify with no collateral at all (TCB status UNKNOWN, revocation not checked) instead of fetching it")
    .option("--json", "machine-readable output");
  addCollateralServiceOptions(verify).action(async (file: string, options: VerifyCommandOptions) => {
    exitCode = await verifyCommand(file, options, io);
  });

  const tee = program.command("tee").description("Detect TEEs on this machine and produce evidence (real or simulated)");
  tee
    .command("detect")
    .description("Report which TEEs this machine offers (device nodes only; never talks to the TEE)")
    .option("--json", "machine-readable output")
    .action(async (options: TeeDetectOptions) => {
      exitCode = await teeDetectCommand(options, io);
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
      exitCode = await teeAttestCommand(options, io);
    });

  program
    .command("prove")
    .description("Prove a circuit's statement with Groth16 (snarkjs), showing progress, time and peak memory")
    .requiredOption("--circuit <name>", "circuit name (membership, sha256_64, …): artifacts under circuits/build")
    .requiredOption("--witness <file>", "JSON object of circuit inputs (values above 2^53 as decimal or 0x strings)")
    .option("--out <file>", "write {circuit, proof, publicSignals} here (default: stdout)")
    .option("--timeout <seconds>", "kill the prover after this long (default 600)")
    .option("--json", "machine-readable output")
    .action(async (options: ProveCommandOptions) => {
      exitCode = await proveCommand(options, io);
    });

  registerChainCommands(program, io, (code) => {
    exitCode = code;
  });

  const setExitCode = (code: number) => {
    exitCode = code;
  };
  registerServeCommand(program, io, setExitCode);
  registerArchiveCommand(program, io, setExitCode);
  registerDelegateCommand(program, io, setExitCode);
  registerCollateralCommand(program, io, setExitCode);

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
