import { existsSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { timelockOperationId, type TimelockOperation } from "../../../chain/index.js";
import { TeezkError } from "../../../errors/index.js";
import { toJsonValue } from "../../support/chainCommandOutput.js";
import { readJsonFile } from "../../support/parseCliValues.js";

/** What `registry schedule-allow --save` writes and `registry execute --operation` reads. */
export type TimelockOperationFile = {
  timelock: Address;
  id: Hex;
  /** Seconds; when the operation becomes executable. */
  readyAt: bigint;
  operation: TimelockOperation;
};

const MAX_CALLS = 64;

/** Checked before scheduling: once the transaction is sent, a file that cannot be written would lose the salt. */
export function checkOperationFilePath(path: string): void {
  if (existsSync(path)) throw new TeezkError("CONFIG_INVALID", `--save ${path} already exists; pick a new file (an operation file is never overwritten)`);
  if (!existsSync(dirname(path))) throw new TeezkError("CONFIG_INVALID", `--save ${path}: the folder ${dirname(path)} does not exist`);
}

/** Writes the file; if that fails after all, the operation goes into the error so it is not lost. */
export function writeTimelockOperationFile(path: string, file: TimelockOperationFile): void {
  const json = JSON.stringify(toJsonValue(file), null, 2);
  try {
    writeFileSync(path, `${json}\n`, { flag: "wx" });
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `The operation ${file.id} was scheduled, but the operation file ${path} could not be written`, {
      cause,
      details: json,
      metaMessages: ["Save the JSON below as the operation file and pass it to `registry execute --operation`."],
    });
  }
}

/**
 * Reads an operation file and recomputes its id from the calls, so an edited call cannot be executed under the id
 * the schedule printed (the timelock would refuse it anyway; this names the cause).
 */
export function readTimelockOperationFile(path: string): TimelockOperationFile {
  const json = readJsonFile(path, "operation file", 1024 * 1024) as Record<string, unknown> | null;
  const fail = (what: string): never => {
    throw new TeezkError("CONFIG_INVALID", `The operation file ${path}: ${what}`, { metaMessages: ["Pass the file `registry schedule-allow --save` wrote."] });
  };
  if (typeof json !== "object" || json === null) return fail("not a JSON object");
  const op = json.operation as Record<string, unknown> | undefined;
  if (typeof json.timelock !== "string" || !isAddress(json.timelock, { strict: false })) return fail("timelock is not an address");
  if (typeof op !== "object" || op === null || !Array.isArray(op.calls) || op.calls.length === 0 || op.calls.length > MAX_CALLS) {
    return fail(`operation.calls must list 1..${MAX_CALLS} calls`);
  }
  const bytes32 = (v: unknown, name: string): Hex => (typeof v === "string" && isHex(v, { strict: true }) && v.length === 66 ? (v as Hex) : fail(`${name} is not 32-byte hex`));
  const calls = op.calls.map((c: unknown, i: number) => {
    const call = c as Record<string, unknown>;
    if (typeof call?.target !== "string" || !isAddress(call.target, { strict: false })) return fail(`calls[${i}].target is not an address`);
    if (typeof call.data !== "string" || !isHex(call.data, { strict: true })) return fail(`calls[${i}].data is not hex`);
    if (typeof call.value !== "string" || !/^\d{1,78}$/.test(call.value)) return fail(`calls[${i}].value is not a decimal string`);
    return { target: getAddress(call.target), value: BigInt(call.value), data: call.data as Hex };
  });
  const operation: TimelockOperation = { calls, salt: bytes32(op.salt, "operation.salt"), predecessor: bytes32(op.predecessor, "operation.predecessor") };
  const id = timelockOperationId(operation);
  if (json.id !== undefined && String(json.id).toLowerCase() !== id) return fail(`id ${String(json.id)} is not the id of its calls (${id}); the file was edited`);
  const readyAt = typeof json.readyAt === "string" && /^\d{1,20}$/.test(json.readyAt) ? BigInt(json.readyAt) : 0n;
  return { timelock: getAddress(json.timelock), id, readyAt, operation };
}
