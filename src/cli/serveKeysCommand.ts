import { Option, type Command } from "commander";
import { isTeezkError } from "../errors/index.js";
import { serveApp } from "../services/http/index.js";
import { createKeyReleaseService, loadReleasableKeys } from "../services/keys/index.js";
import { openArchive, type Archive } from "../store/index.js";
import { ExitCode, UsageError, type CliIo } from "./main.js";
import { parseCollateralFlags, parsePort, simulatedRootPins } from "./parseServeOptions.js";
import { runUntilSignal, type RunningService } from "./runUntilSignal.js";

export type ServeKeysOptions = {
  keys?: string;
  host?: string;
  port?: string;
  archive?: string;
  collateral?: string[];
  simulateRoots?: boolean;
  devRoots?: string;
  json?: boolean;
};

export const DEFAULT_KEYS_PORT = 7312;

/**
 * Adds `teezk serve keys` to the `serve` command: the attestation-gated key-release service, on loopback by
 * default. Prints one line when listening (`--json`: `{"service":"keys","url","keys"}`; never key material) and
 * runs until SIGINT/SIGTERM.
 */
export function registerServeKeysCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
  serve
    .command("keys")
    .description("Run the key-release service: keys leave only HPKE-sealed to an enclave whose fresh evidence passes the key's policy")
    .option("--keys <file>", 'keys JSON: { "version": 1, "keys": [{ "id", "material": { "env" | "file" | "hex" }, "policy" }] } (required)')
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", String(DEFAULT_KEYS_PORT))
    .option("--archive <file>", "record every release decision in this SQLite archive")
    .option(
      "--collateral <kind=dir>",
      "collateral folder for one evidence kind (tdx=<dir>, sgx=…, sevsnp=…, nvidia=…); repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--simulate-roots", "also trust the dev roots of simulated TEEs (NOT FOR PRODUCTION)")
    .option("--dev-roots <dir>", "dev PKI folder for --simulate-roots")
    .addOption(new Option("--json", "print the listening line as JSON"))
    .action(async (options: ServeKeysOptions) => {
      let running: RunningService;
      try {
        running = await startServeKeys(options, io);
      } catch (error) {
        if (error instanceof UsageError || !isTeezkError(error)) throw error;
        io.err(`error: ${error.message}\n`);
        setExitCode(ExitCode.REJECTED);
        return;
      }
      await runUntilSignal(running);
      setExitCode(ExitCode.OK);
    });
}

/** Builds and starts the service from the command's options; resolves once it listens. */
export async function startServeKeys(options: ServeKeysOptions, io: CliIo): Promise<RunningService & { keyIds: string[] }> {
  if (!options.keys) throw new UsageError("serve keys needs --keys <keys.json>");
  const port = parsePort(options.port, DEFAULT_KEYS_PORT);
  const collateral = parseCollateralFlags(options.collateral);
  const keys = loadReleasableKeys({ path: options.keys });
  const extraTrustedRoots = options.simulateRoots ? simulatedRootPins(options.devRoots) : undefined;
  const archive: Archive | undefined = options.archive ? openArchive(options.archive) : undefined;
  try {
    const service = createKeyReleaseService({ keys, collateral, ...(extraTrustedRoots ? { extraTrustedRoots } : {}), ...(archive ? { archive } : {}) });
    const server = await serveApp(service.app, { host: options.host ?? "127.0.0.1", port });
    const line = { service: "keys", url: server.url, keys: service.keyIds };
    io.out(options.json ? `${JSON.stringify(line)}\n` : `key-release service listening on ${server.url} (keys: ${service.keyIds.join(", ")})\n`);
    if (extraTrustedRoots) io.err("warning: --simulate-roots: evidence from simulated TEEs (dev roots) is accepted. NOT FOR PRODUCTION.\n");
    return {
      url: server.url,
      keyIds: service.keyIds,
      close: async () => {
        await server.close();
        archive?.close();
      },
    };
  } catch (error) {
    archive?.close();
    throw error;
  }
}
