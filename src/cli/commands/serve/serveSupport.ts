import type { Hono } from "hono";
import { isTeezkError } from "../../../errors/index.js";
import { serveApp } from "../../../services/http/index.js";
import { openArchive, type Archive } from "../../../store/index.js";
import type { PinnedRoot } from "../../../util/x509.js";
import type { ServiceCollateralOptions } from "../../../collateral/index.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { simulatedRootPins } from "./parseServeOptions.js";
import { runUntilSignal, type RunningService } from "./runUntilSignal.js";
import type { ServeEvidenceTrustOptions, ServeListenOptions } from "./serveOptions.js";

/** What `--fetch-collateral` and its services ask for, or undefined when the flag is off. */
export function collateralServicesOf(options: ServeEvidenceTrustOptions): ServiceCollateralOptions | undefined {
  if (!options.fetchCollateral) {
    if (options.pcsUrl || options.kdsUrl || options.cacheDir) throw new UsageError("--pcs-url, --kds-url and --cache-dir need --fetch-collateral");
    return undefined;
  }
  return {
    ...(options.pcsUrl ? { pcsUrl: options.pcsUrl } : {}),
    ...(options.kdsUrl ? { kdsUrl: options.kdsUrl } : {}),
    ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
  };
}

/** The extra trusted roots `--simulate-roots` asks for, or undefined when the flag is off. */
export function extraTrustedRootsOf(options: ServeEvidenceTrustOptions): PinnedRoot[] | undefined {
  return options.simulateRoots ? simulatedRootPins(options.devRoots) : undefined;
}

/** Said on stderr whenever `--simulate-roots` is on, so nobody runs it in production unawares. */
export const SIMULATE_ROOTS_WARNING = "warning: --simulate-roots: evidence from simulated TEEs (dev roots) is accepted. NOT FOR PRODUCTION.\n";

export type ListenWithArchiveParameters<TService extends { app: Hono }> = {
  options: ServeListenOptions;
  port: number;
  /** Builds the service on the archive `--archive` opened (undefined without it). */
  build: (archive: Archive | undefined) => TService | Promise<TService>;
  /** Prints the listening line (and any warnings) once the server listens; a throw here closes it all again. */
  announce: (service: TService, url: string) => void;
  /** Releases what `build` made beyond its app (a prover node's workers); called on failure and on close. */
  closeService?: (service: TService) => Promise<void>;
};

export type ListenWithArchiveReturnType<TService> = RunningService & { service: TService };

/**
 * Opens the optional archive, builds the service on it and listens on `--host`/`port`. Whatever was opened is
 * closed again when building or listening fails; `close` shuts the server first and the archive last, so no
 * acknowledged write is cut off.
 */
export async function listenWithArchive<TService extends { app: Hono }>(
  parameters: ListenWithArchiveParameters<TService>,
): Promise<ListenWithArchiveReturnType<TService>> {
  const { options, port, build, announce, closeService } = parameters;
  const archive: Archive | undefined = options.archive ? openArchive(options.archive) : undefined;
  let service: TService | undefined;
  try {
    service = await build(archive);
    const server = await serveApp(service.app, { host: options.host ?? "127.0.0.1", port });
    announce(service, server.url);
    const started = service;
    return {
      url: server.url,
      service: started,
      close: async () => {
        await server.close();
        await closeService?.(started);
        archive?.close();
      },
    };
  } catch (error) {
    if (service) await closeService?.(service);
    archive?.close();
    throw error;
  }
}

export type ServeUntilSignalParameters = {
  io: CliIo;
  setExitCode: (code: number) => void;
  /** Starts the service and prints its listening line. */
  start: () => Promise<RunningService>;
  /** Also stops the service when it aborts (a cluster worker whose primary is gone); made once it listens. */
  stopSignal?: () => AbortSignal;
  /** Runs after the service closed, before the exit code is set. */
  afterStop?: () => void;
};

/**
 * The action of a `teezk serve …` subcommand: start the service, then run until SIGINT/SIGTERM. A TeezkError
 * while starting (bad config, port taken) is printed and exits 1; usage errors and bugs propagate to main.
 */
export async function serveUntilSignal(parameters: ServeUntilSignalParameters): Promise<void> {
  const { io, setExitCode } = parameters;
  let running: RunningService;
  try {
    running = await parameters.start();
  } catch (error) {
    if (error instanceof UsageError || !isTeezkError(error)) throw error;
    io.err(`error: ${error.message}\n`);
    setExitCode(ExitCode.REJECTED);
    return;
  }
  await runUntilSignal(running, parameters.stopSignal?.());
  parameters.afterStop?.();
  setExitCode(ExitCode.OK);
}
