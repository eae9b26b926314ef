import { Option, type Command } from "commander";

/*
 * The flags the `teezk serve …` subcommands share, declared without loading the services (so `teezk --help` and
 * the other commands do not pay for them).
 */

/** Default ports of `teezk serve …` by convention: prover 7310, verifier 7311, keys 7312, console 7320. */
export const DEFAULT_PROVER_PORT = 7310;
export const DEFAULT_VERIFIER_PORT = 7311;
export const DEFAULT_KEYS_PORT = 7312;
export const DEFAULT_CONSOLE_PORT = 7320;
/** The chain id receipts are signed for when --chain-id is not given: Hardhat's and anvil's. */
export const DEFAULT_PROVER_CHAIN_ID = "31337";

/** The flags every `teezk serve …` subcommand has: where it listens, its archive, the listening line's format. */
export type ServeListenOptions = {
  host?: string;
  port?: string;
  archive?: string;
  json?: boolean;
};

/** The flags of the services that verify evidence themselves (verifier, keys): collateral and dev-root trust. */
export type ServeEvidenceTrustOptions = {
  collateral?: string[];
  fetchCollateral?: boolean;
  pcsUrl?: string;
  kdsUrl?: string;
  cacheDir?: string;
  simulateRoots?: boolean;
  devRoots?: string;
};

/** Adds `--host`, `--port` and `--archive` (in that order, so every subcommand's help reads alike). */
export function addListenOptions(command: Command, parameters: { defaultPort: number; archiveDescription: string }): Command {
  return command
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", String(parameters.defaultPort))
    .option("--archive <file>", parameters.archiveDescription);
}

/** Adds `--collateral` (repeatable), `--fetch-collateral` and its services, `--simulate-roots` and `--dev-roots`. */
export function addEvidenceTrustOptions(command: Command, parameters: { collateralDescription: string; devRootsDescription: string }): Command {
  return command
    .option("--collateral <kind=dir>", parameters.collateralDescription, (value: string, previous: string[] = []) => [...previous, value])
    .option("--fetch-collateral", "for TDX/SGX/SEV-SNP evidence without a --collateral folder, fetch from Intel PCS/PCCS and AMD KDS through the collateral cache")
    .option("--pcs-url <url>", "with --fetch-collateral: Intel PCS v4 or a PCCS (default Intel's)")
    .option("--kds-url <url>", "with --fetch-collateral: AMD KDS (default AMD's)")
    .option("--cache-dir <dir>", "with --fetch-collateral: the collateral cache (default $TEEZK_CACHE_DIR, $TEEZK_HOME/collateral-cache or ~/.teezk/collateral-cache)")
    .option("--simulate-roots", "also trust the dev roots of simulated TEEs (NOT FOR PRODUCTION)")
    .option("--dev-roots <dir>", parameters.devRootsDescription);
}

/** Adds `--json`, last: it only changes how the one listening line is printed. */
export function addListeningLineJsonOption(command: Command): Command {
  return command.addOption(new Option("--json", "print the listening line as JSON"));
}
