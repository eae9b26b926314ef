import type { Command } from "commander";
import type { TeezkAddresses } from "../../chain/index.js";

/*
 * What the chain commands declare before anything runs: their connection flags and the names of the values those
 * flags carry. Kept free of viem so that declaring every command (for `--help` or for another command) costs nothing.
 */

/** The contracts a CLI command may address, and the flag that gives each one. */
export const DEPLOYMENT_FLAGS = {
  timelock: "--timelock",
  measurementRegistry: "--measurement-registry",
  enclaveRegistry: "--enclave-registry",
  committee: "--committee",
  receiptVerifier: "--receipt-verifier",
  batchReceipts: "--batch-receipts",
  multiProverRoots: "--multi-prover-roots",
  // The on-chain DCAP route (issue 14), deployed by ignition/modules/Dcap.ts when a chain uses it.
  dcapCollateralStore: "--dcap-collateral-store",
  dcapVerifier: "--dcap-verifier",
} as const satisfies Record<keyof TeezkAddresses | "dcapCollateralStore" | "dcapVerifier", string>;

export type DeploymentContract = keyof typeof DEPLOYMENT_FLAGS;

/** The environment variable that holds the signing key unless --private-key-env names another. */
export const DEFAULT_PRIVATE_KEY_ENV = "TEEZK_PRIVATE_KEY";
/** Read when --rpc-url is absent. */
export const RPC_URL_ENV = "TEEZK_RPC_URL";

/** A chain command's parsed flags, as commander hands them over. */
export type ChainFlags = Record<string, string | string[] | boolean | undefined>;

/** Collects a repeatable flag's values. */
export const repeat = (value: string, previous: string[] = []) => [...previous, value];

/** `--rpc-url`, `--private-key-env` (signing commands), `--deployment`, one flag per contract used, `--json`. */
export function addConnectionOptions(cmd: Command, contracts: readonly DeploymentContract[], signer: boolean): Command {
  cmd.option("--rpc-url <url>", `JSON-RPC endpoint (default: $${RPC_URL_ENV})`);
  if (signer) cmd.option("--private-key-env <name>", "environment variable holding the sender's private key (never pass a key on the command line)", DEFAULT_PRIVATE_KEY_ENV);
  cmd.option("--deployment <file.json>", "addresses as deploy/deploy.ts prints them (TEEZK_DEPLOYMENT_OUT)");
  for (const contract of contracts) cmd.option(`${DEPLOYMENT_FLAGS[contract]} <address>`, `${contract} address (overrides --deployment)`);
  return cmd.option("--json", "print one JSON object");
}

/** A flag's string value, or "" when absent (commander enforces required flags before the body runs). */
export function str(value: ChainFlags[string]): string {
  return typeof value === "string" ? value : "";
}

/** `build(value)` spread into parameters when the flag was given, nothing otherwise. */
export function opt<T>(value: ChainFlags[string], build: (v: string) => T): T | Record<string, never> {
  return typeof value === "string" ? build(value) : {};
}
