import { Option, type Command } from "commander";
import type { CliIo } from "../../io.js";
import { addCollateralServiceOptions } from "../collateral/collateralServiceOptions.js";
import type { VerifyCommandOptions } from "./verifyCommand.js";

/** Adds `teezk verify`; the verifiers load only when it runs. */
export function registerVerifyCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
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
    const { verifyCommand } = await import("./verifyCommand.js");
    setExitCode(await verifyCommand(file, options, io));
  });
}
