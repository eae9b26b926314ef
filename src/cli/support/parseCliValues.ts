import { readFileSync, statSync } from "node:fs";
import { getAddress, isAddress, isHex, type Address, type Hex } from "viem";
import { TcbStatus, TeeType, type TcbStatusName } from "../../claims/index.js";
import { TeezkError } from "../../errors/index.js";
import { parseReceipt, type Receipt } from "../../receipts/index.js";

/*
 * Flag and file values of the chain commands. Every refusal is CONFIG_INVALID naming the flag or file, so a user
 * knows which argument to fix; nothing here touches the chain.
 */

const UINT64_MAX = (1n << 64n) - 1n;

export function parseBytes32(value: string, flag: string): Hex {
  if (!isHex(value, { strict: true }) || value.length !== 66) {
    throw new TeezkError("CONFIG_INVALID", `${flag} expects 0x-prefixed 32-byte hex (64 hex digits); got "${value.slice(0, 80)}"`);
  }
  return value.toLowerCase() as Hex;
}

export function parseAddress(value: string, flag: string): Address {
  if (!isAddress(value, { strict: false })) {
    throw new TeezkError("CONFIG_INVALID", `${flag} expects a 0x-prefixed 20-byte address; got "${value.slice(0, 80)}"`);
  }
  return getAddress(value);
}

/** A decimal integer in [0, max]; uint64 by default. */
export function parseUint(value: string, flag: string, max: bigint = UINT64_MAX): bigint {
  if (!/^\d{1,78}$/.test(value) || BigInt(value) > max) {
    throw new TeezkError("CONFIG_INVALID", `${flag} expects a non-negative integer up to ${max}; got "${value.slice(0, 80)}"`);
  }
  return BigInt(value);
}

const TEE_ALIASES: Record<string, number> = { tdx: TeeType.TDX, sevsnp: TeeType.SEV_SNP, "sev-snp": TeeType.SEV_SNP, nitro: TeeType.NITRO, nvidia: TeeType.NVIDIA_GPU, sgx: TeeType.SGX };

/** A TEE type by CLI name (tdx, sevsnp, nitro, nvidia, sgx) or DESIGN §2 id (1..5). */
export function parseTeeType(value: string, flag = "--tee"): number {
  const byName = TEE_ALIASES[value.toLowerCase()];
  if (byName !== undefined) return byName;
  if (/^[1-5]$/.test(value)) return Number(value);
  throw new TeezkError("CONFIG_INVALID", `${flag} expects tdx, sevsnp, nitro, nvidia, sgx or 1..5; got "${value.slice(0, 40)}"`);
}

/** Comma-separated TCB status names (UP_TO_DATE,NOT_APPLICABLE), case-insensitive. */
export function parseTcbStatuses(value: string, flag: string): TcbStatusName[] {
  const names = value.split(",").map((s) => s.trim().toUpperCase()).filter((s) => s.length > 0);
  if (names.length === 0) throw new TeezkError("CONFIG_INVALID", `${flag} needs at least one TCB status`);
  for (const name of names) {
    if (!(name in TcbStatus)) {
      throw new TeezkError("CONFIG_INVALID", `${flag}: unknown TCB status "${name.slice(0, 40)}"`, { metaMessages: [`Known: ${Object.keys(TcbStatus).join(", ")}`] });
    }
  }
  return names as TcbStatusName[];
}

/** Reads at most `maxBytes` of JSON from `path`; the file is refused before reading when larger. */
export function readJsonFile(path: string, what: string, maxBytes = 1024 * 1024): unknown {
  const text = readTextFile(path, what, maxBytes);
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `The ${what} ${path} is not JSON`, { cause });
  }
}

/** Hex bytes given inline (0x…) or as @file holding the hex; bounded by `maxBytes` of hex text. */
export function parseHexArgument(value: string, flag: string, maxBytes = 256 * 1024): Hex {
  const text = value.startsWith("@") ? readTextFile(value.slice(1), `${flag} file`, maxBytes).trim() : value;
  if (!isHex(text, { strict: true }) || text.length % 2 !== 0) {
    throw new TeezkError("CONFIG_INVALID", `${flag} expects 0x-prefixed hex bytes or @file holding them`);
  }
  if (text.length > maxBytes) throw new TeezkError("CONFIG_INVALID", `${flag} is over ${maxBytes} characters`);
  return text.toLowerCase() as Hex;
}

function readTextFile(path: string, what: string, maxBytes: number): string {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new TeezkError("CONFIG_INVALID", `Cannot read the ${what} ${path}`);
  }
  if (size > maxBytes) throw new TeezkError("INPUT_TOO_LARGE", `The ${what} ${path} is ${size} bytes; the cap is ${maxBytes}`);
  return readFileSync(path, "utf8");
}

/**
 * A receipt from JSON: the DESIGN §4 fields as 0x-hex, `issuedAt` as a number or a decimal string (JSON has no
 * uint64), checked by parseReceipt.
 */
export function receiptFromJson(value: unknown, where: string): Receipt {
  if (typeof value !== "object" || value === null) throw new TeezkError("RECEIPT_INVALID", `${where}: a receipt must be a JSON object`);
  const raw = value as Record<string, unknown>;
  const issuedAt = raw.issuedAt;
  let seconds: bigint;
  if (typeof issuedAt === "number" && Number.isSafeInteger(issuedAt) && issuedAt >= 0) seconds = BigInt(issuedAt);
  else if (typeof issuedAt === "string" && /^\d{1,20}$/.test(issuedAt)) seconds = BigInt(issuedAt);
  else throw new TeezkError("RECEIPT_INVALID", `${where}: issuedAt must be seconds as an integer or a decimal string`);
  try {
    return parseReceipt({ ...(raw as unknown as Receipt), issuedAt: seconds });
  } catch (error) {
    if (error instanceof TeezkError) throw new TeezkError(error.code, `${where}: ${error.shortMessage}`, { ...(error.details ? { details: error.details } : {}), cause: error });
    throw error;
  }
}

/** A 65-byte (or 64-byte compact) secp256k1 signature as hex. */
export function parseSignature(value: unknown, where: string): Hex {
  if (typeof value !== "string" || !isHex(value, { strict: true }) || (value.length !== 132 && value.length !== 130)) {
    throw new TeezkError("CONFIG_INVALID", `${where}: a signature must be 0x-prefixed 65-byte hex`);
  }
  return value.toLowerCase() as Hex;
}
