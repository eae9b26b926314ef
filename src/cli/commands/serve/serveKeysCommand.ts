import type { Command } from "commander";
import { createKeyReleaseService, loadReleasableKeys } from "../../../services/keys/index.js";
import { UsageError, type CliIo } from "../../io.js";
import { parseCollateralFlags, parsePort } from "./parseServeOptions.js";
import type { RunningService } from "./runUntilSignal.js";
import { addEvidenceTrustOptions, addListeningLineJsonOption, addListenOptions, collateralServicesOf, extraTrustedRootsOf, listenWithArchive, serveUntilSignal, SIMULATE_ROOTS_WARNING, type ServeEvidenceTrustOptions, type ServeListenOptions } from "./serveSupport.js";

export type ServeKeysOptions = ServeListenOptions & ServeEvidenceTrustOptions & { keys?: string };

export const DEFAULT_KEYS_PORT = 7312;

/**
 * Adds `teezk serve keys` to the `serve` command: the attestation-gated key-release service, on loopback by
 * default. Prints one line when listening (`--json`: `{"service":"keys","url","keys"}`; never key material) and
 * runs until SIGINT/SIGTERM.
 */
export function registerServeKeysCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
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
    await serveUntilSignal({ io, setExitCode, start: () => startServeKeys(options, io) });
  });
}

/** Builds and starts the service from the command's options; resolves once it listens. */
export async function startServeKeys(options: ServeKeysOptions, io: CliIo): Promise<RunningService & { keyIds: string[] }> {
  if (!options.keys) throw new UsageError("serve keys needs --keys <keys.json>");
  const port = parsePort(options.port, DEFAULT_KEYS_PORT);
  const collateral = parseCollateralFlags(options.collateral);
  const keys = loadReleasableKeys({ path: options.keys });
  const extraTrustedRoots = extraTrustedRootsOf(options);
  const collateralServices = collateralServicesOf(options);
  const { url, service, close } = await listenWithArchive({
    options,
    port,
    build: (archive) => createKeyReleaseService({ keys, collateral, ...(collateralServices ? { collateralServices } : {}), ...(extraTrustedRoots ? { extraTrustedRoots } : {}), ...(archive ? { archive } : {}) }),
    closeService: async (started) => started.close(),
    announce: (service, url) => {
      const line = { service: "keys", url, keys: service.keyIds };
      io.out(options.json ? `${JSON.stringify(line)}\n` : `key-release service listening on ${url} (keys: ${service.keyIds.join(", ")})\n`);
      if (extraTrustedRoots) io.err(SIMULATE_ROOTS_WARNING);
    },
  });
  return { url, keyIds: service.keyIds, close };
}
