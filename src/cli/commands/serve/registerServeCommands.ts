import { Option, type Command } from "commander";
import { DEFAULT_REQUEST_TIME_SKEW_MS } from "../../../services/verifier/constants.js";
import { simulatedProverVendors } from "../../../services/prover/types.js";
import type { CliIo } from "../../io.js";
import type { ServeConsoleOptions } from "./serveConsoleCommand.js";
import type { ServeKeysOptions } from "./serveKeysCommand.js";
import type { ServeProverOptions } from "./serveProverCommand.js";
import type { ServeVerifierOptions } from "./serveVerifierCommand.js";
import { addEvidenceTrustOptions, addListeningLineJsonOption, addListenOptions, DEFAULT_CONSOLE_PORT, DEFAULT_KEYS_PORT, DEFAULT_PROVER_CHAIN_ID, DEFAULT_PROVER_PORT, DEFAULT_VERIFIER_PORT } from "./serveOptions.js";

/**
 * Adds `teezk serve …`: the long-running services, each on loopback by default and each until SIGINT/SIGTERM.
 * Only the flags are declared here; each service loads when its subcommand runs.
 */
export function registerServeCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): Command {
  const serve = program.command("serve").description("Run a teezk service (prover node, verifier node, key release, web console) on loopback by default");
  registerServeProverCommand(serve, io, setExitCode);
  registerServeVerifierCommand(serve, io, setExitCode);
  registerServeKeysCommand(serve, io, setExitCode);
  registerServeConsoleCommand(serve, io, setExitCode);
  return serve;
}

/**
 * Adds `teezk serve prover` to the `serve` command: a prover node (attestation, sealed witnesses, Groth16 proofs,
 * signed receipts) on loopback by default, backed by a simulated TEE (`--simulate`, development) or by the TEE the
 * machine is (`--tee`). Prints one line when listening (`--json`: `{"service":"prover","url","enclaveAddress",…}`)
 * and runs until SIGINT/SIGTERM.
 */
function registerServeProverCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = serve
    .command("prover")
    .description("Run a prover node: GET /v1/attestation binds its keys to your nonce, POST /v1/prove proves a sealed witness and signs a receipt")
    .addOption(new Option("--simulate <vendor>", "simulated TEE signed by the local dev root (NOT FOR PRODUCTION)").choices([...simulatedProverVendors]))
    .addOption(new Option("--tee <kind>", "the TEE this machine is: evidence from configfs-tsm (tdx, sevsnp) or TEEZK_NITRO_ATTEST_CMD").choices(["tdx", "sevsnp", "nitro"]))
    .option(
      "--register <name=hex>",
      "with --simulate: set a register (mrTd, rtmr0, measurement, pcr0, …) to change the measurement; repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--gpu", "with --simulate: add simulated NVIDIA GPU evidence bound to the same binding (composite)")
    .option("--circuit <name>", "circuit to prove (artifacts under circuits/build); repeatable; default membership", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("--program-id <circuit=0x…>", "programId receipts carry for a circuit (the PrivateProofVerifier's); repeatable", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("--chain-id <id>", "chain id of the ReceiptVerifier receipts are signed for", DEFAULT_PROVER_CHAIN_ID)
    .option("--receipt-verifier <address>", "ReceiptVerifier address receipts are signed for (EIP-712 domain); default none (zero address)");
  addListenOptions(command, { defaultPort: DEFAULT_PROVER_PORT, archiveDescription: "record every proof and receipt in this SQLite archive before answering" });
  command.option("--key-release <url>", "key-release service (teezk serve keys) for POST /v1/prove-stored: witnesses stored encrypted under a released data key");
  command.option("--dev-roots <dir>", "dev PKI folder for --simulate (default $TEEZK_HOME/dev-roots or ./.teezk/dev-roots)");
  addListeningLineJsonOption(command).action(async (options: ServeProverOptions) => {
    const { serveProver } = await import("./serveProverCommand.js");
    await serveProver(options, io, setExitCode);
  });
}

/**
 * Adds `teezk serve verifier` to the `serve` command: a committee member's verifier node on loopback by default.
 * It prints one line when listening (`--json`: `{"service":"verifier","url","address","committee"}`) and runs
 * until SIGINT/SIGTERM.
 */
function registerServeVerifierCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = serve
    .command("verifier")
    .description("Run a verifier node: POST /v1/verify verifies evidence, appraises it and signs an EIP-712 committee verdict")
    .option("--policy <file>", "reference values JSON the node signs for (required)")
    .option("--committee <address>", "CommitteeAttestationVerifier address: the verdicts' EIP-712 domain (required)")
    .option("--chain-id <id>", "chain id of the committee contract (required)")
    .option("--key-env <NAME>", "environment variable holding the node's secp256k1 private key (hex); default: an ephemeral key");
  addListenOptions(command, { defaultPort: DEFAULT_VERIFIER_PORT, archiveDescription: "record every decision in this SQLite archive" });
  addEvidenceTrustOptions(command, {
    collateralDescription:
      "collateral folder for one evidence kind (tdx=<dir>, sgx=…, sevsnp=…, nvidia=…); repeatable; parsed once, reloaded when the folder changes or every minute",
    devRootsDescription: "dev PKI folder for --simulate-roots (default $TEEZK_HOME/dev-roots or ./.teezk/dev-roots)",
  });
  command
    .option("--allow-request-time", "accept any `at` in requests (re-verify past evidence as of its own time)")
    .option(
      "--request-time-skew <seconds>",
      "without --allow-request-time, accept an `at` this close to the node's clock (either way), so committee members asked with one time sign the same claims",
      String(DEFAULT_REQUEST_TIME_SKEW_MS / 1000),
    )
    .option("--workers <n>", "processes sharing the port (node:cluster), e.g. one per core", "1");
  addListeningLineJsonOption(command).action(async (options: ServeVerifierOptions) => {
    const { serveVerifier } = await import("./serveVerifierCommand.js");
    await serveVerifier(options, io, setExitCode);
  });
}

/**
 * Adds `teezk serve keys` to the `serve` command: the attestation-gated key-release service, on loopback by
 * default. Prints one line when listening (`--json`: `{"service":"keys","url","keys"}`; never key material) and
 * runs until SIGINT/SIGTERM.
 */
function registerServeKeysCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = serve
    .command("keys")
    .description("Run the key-release service: keys leave only HPKE-sealed to an enclave whose fresh evidence passes the key's policy")
    .option("--keys <file>", 'keys JSON: { "version": 1, "keys": [{ "id", "material": { "env" | "file" | "hex" }, "policy" }] } (required)');
  addListenOptions(command, { defaultPort: DEFAULT_KEYS_PORT, archiveDescription: "record every release decision in this SQLite archive" });
  addEvidenceTrustOptions(command, {
    collateralDescription: "collateral folder for one evidence kind (tdx=<dir>, sgx=…, sevsnp=…, nvidia=…); repeatable",
    devRootsDescription: "dev PKI folder for --simulate-roots",
  });
  addListeningLineJsonOption(command).action(async (options: ServeKeysOptions) => {
    const { serveKeys } = await import("./serveKeysCommand.js");
    await serveKeys(options, io, setExitCode);
  });
}

/**
 * Adds `teezk serve console`: the web console over a deployment (and, with --archive, a node's archive). Prints
 * one line when listening (`--json`: `{"service":"console","url","chainId"}`) and runs until SIGINT/SIGTERM.
 */
function registerServeConsoleCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const command = serve
    .command("console")
    .description("Run the web console: allowlist, enclaves, receipts, roots and governance of a deployment (and a node's decisions with --archive)")
    .option("--rpc-url <url>", "JSON-RPC endpoint of the deployment's chain (default: $TEEZK_RPC_URL); the page reads it through the console, never directly")
    .option("--deployment <file.json>", "addresses as deploy/deploy.ts writes them (required)")
    .option("--from-block <n>", "first block to read events from (the deployment's block on a long chain)", "0");
  addListenOptions(command, { defaultPort: DEFAULT_CONSOLE_PORT, archiveDescription: "a verifier or prover node's SQLite archive: the Decisions page and the evidence behind each enclave" });
  addListeningLineJsonOption(command).action(async (options: ServeConsoleOptions) => {
    const { serveConsole } = await import("./serveConsoleCommand.js");
    await serveConsole(options, io, setExitCode);
  });
}
