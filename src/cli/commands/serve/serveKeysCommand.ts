import { createKeyReleaseService, loadReleasableKeys } from "../../../services/keys/index.js";
import { UsageError, type CliIo } from "../../io.js";
import { parseCollateralFlags, parsePort } from "./parseServeOptions.js";
import type { RunningService } from "./runUntilSignal.js";
import { DEFAULT_KEYS_PORT, type ServeEvidenceTrustOptions, type ServeListenOptions } from "./serveOptions.js";
import { collateralServicesOf, extraTrustedRootsOf, listenWithArchive, serveUntilSignal, SIMULATE_ROOTS_WARNING } from "./serveSupport.js";

export type ServeKeysOptions = ServeListenOptions & ServeEvidenceTrustOptions & { keys?: string };

/** `teezk serve keys`: starts the service, prints its listening line and runs until SIGINT/SIGTERM. */
export async function serveKeys(options: ServeKeysOptions, io: CliIo, setExitCode: (code: number) => void): Promise<void> {
  await serveUntilSignal({ io, setExitCode, start: () => startServeKeys(options, io) });
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
