import { getAddress, parseEventLogs, type Abi, type Address, type Log } from "viem";
import * as abis from "../../chain/contractAbis.js";
import type { TransactionResult } from "../../chain/index.js";
import type { DeploymentContract } from "./chainOptions.js";
import type { ChainDeployment } from "./resolveDeployment.js";

/** A JSON value; uint values are decimal strings (JSON numbers cannot hold a uint256), gasUsed is a number. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What every chain command returns: one readable summary and the same facts as a JSON object. */
export type ChainCommandOutput = {
  /** One line (plus indented event lines for transactions), ending in a newline. */
  text: string;
  json: JsonObject;
};

/** One decoded event of a transaction, named by the contract that emitted it when it is part of the deployment. */
export type DecodedEvent = { contract: string; address: Address; name: string; args: JsonObject };

// Every event of every teezk contract: a timelock execution emits the registry's events, a conflict report the
// enclave registry's, so decoding with the addressed contract's ABI alone would drop them.
const eventsAbi: Abi = (() => {
  const seen = new Map<string, Abi[number]>();
  for (const abi of Object.values(abis) as Abi[]) {
    for (const item of abi) if (item.type === "event") seen.set(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`, item);
  }
  return [...seen.values()];
})();

/** Converts bigints to decimal strings and readonly arrays/objects to plain JSON. */
export function toJsonValue(value: unknown): JsonValue {
  if (typeof value === "bigint") return value.toString();
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonValue(v)]));
  return String(value);
}

/** Decodes the teezk events in `logs`; logs of other contracts (or unknown events) are skipped. */
export function decodeTeezkEvents(logs: readonly Log[], deployment: ChainDeployment = {}): DecodedEvent[] {
  const names = new Map<string, string>();
  for (const [key, address] of Object.entries(deployment) as [DeploymentContract | "chainId", unknown][]) {
    if (key !== "chainId" && typeof address === "string") names.set(getAddress(address), key);
  }
  return parseEventLogs({ abi: eventsAbi, logs: [...logs] }).map((log) => {
    const address = getAddress(log.address);
    const args = (log as unknown as { args?: unknown }).args;
    return {
      contract: names.get(address) ?? address,
      address,
      name: (log as unknown as { eventName: string }).eventName,
      args: (toJsonValue(args ?? {}) as JsonObject) ?? {},
    };
  });
}

/**
 * The output of a command that sent one transaction: `summary` first, then one indented line per decoded event;
 * the JSON carries the hash, gas used, events and `fields` (the command's own results).
 */
export function transactionOutput(
  command: string,
  summary: string,
  tx: TransactionResult,
  deployment: ChainDeployment,
  fields: Record<string, unknown> = {},
): ChainCommandOutput {
  const events = decodeTeezkEvents(tx.receipt.logs, deployment);
  const lines = [`${summary} (tx ${tx.hash}, ${tx.gasUsed.toLocaleString("en-US")} gas)`];
  for (const event of events) lines.push(`  ${event.contract}.${event.name}(${formatArgs(event.args)})`);
  return {
    text: `${lines.join("\n")}\n`,
    json: {
      ok: true,
      command,
      ...(toJsonValue(fields) as JsonObject),
      hash: tx.hash,
      gasUsed: Number(tx.gasUsed),
      blockNumber: tx.receipt.blockNumber.toString(),
      events: events as unknown as JsonValue[],
    },
  };
}

/** The output of a read-only command: `text` as given, the JSON with ok and the command name first. */
export function viewOutput(command: string, text: string, fields: Record<string, unknown>): ChainCommandOutput {
  return { text: text.endsWith("\n") ? text : `${text}\n`, json: { ok: true, command, ...(toJsonValue(fields) as JsonObject) } };
}

/** Event arguments for the readable line; long byte strings (calldata) are cut, the JSON keeps them whole. */
function formatArgs(args: JsonObject): string {
  return Object.entries(args)
    .map(([k, v]) => `${k}=${typeof v === "string" ? shorten(v) : JSON.stringify(v)}`)
    .join(", ");
}

function shorten(value: string): string {
  return /^0x[0-9a-fA-F]{67,}$/.test(value) ? `${value.slice(0, 10)}…(${(value.length - 2) / 2} bytes)` : value;
}

/** Seconds since the epoch as ISO time; "never" for 0 (unset) and "no end" for uint64 max (an open window). */
export function isoTime(seconds: bigint): string {
  if (seconds === 0n) return "never";
  if (seconds === (1n << 64n) - 1n) return "no end";
  if (seconds > 8_640_000_000_000n) return `${seconds}s`;
  return new Date(Number(seconds) * 1000).toISOString();
}
