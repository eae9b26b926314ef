import { keccak256, toHex } from "viem";
import { TcbStatus, TeeType, tcbStatusName, teeTypeName } from "../../claims/types.js";
import { teeVendorOf, TeeVendor } from "../../claims/teeVendorOf.js";

/** Roles teezk contracts use, by hash, so a decoded grantRole reads as words. */
export const ROLE_NAMES: ReadonlyMap<string, string> = new Map(
  ["GOVERNOR_ROLE", "GUARDIAN_ROLE", "ENCLAVE_REMOVER_ROLE", "LIVENESS_EPOCH_ROLE", "PROPOSER_ROLE", "EXECUTOR_ROLE", "CANCELLER_ROLE"].map((name) => [keccak256(toHex(name)), name]),
);
export const roleHash = (name: string) => keccak256(toHex(name));

/** EnclaveRegistry attestation routes (ignition/modules/Teezk.ts, deploy/deployTeezk.ts). */
const ROUTE_NAMES: Record<number, string> = { 1: "committee", 2: "SP1", 3: "on-chain DCAP" };

export function routeName(path: number): string {
  return ROUTE_NAMES[path] ?? `route ${path}`;
}

export function teeLabel(teeType: number): string {
  return teeTypeName(teeType) ?? `TEE ${teeType}`;
}

export function vendorLabel(teeType: number): string {
  const vendor = teeVendorOf(teeType);
  const name = (Object.keys(TeeVendor) as (keyof typeof TeeVendor)[]).find((key) => TeeVendor[key] === vendor);
  return name ?? "unknown";
}

/** The TCB statuses a policy bitmap accepts (bit s accepts status s), by name. */
export function tcbStatusesOfBitmap(bitmap: bigint): string[] {
  return Object.values(TcbStatus)
    .filter((status) => (bitmap >> BigInt(status)) & 1n)
    .map((status) => tcbStatusName(status) ?? String(status));
}

/** TEE types set in a bitmap (bit t for TEE type t), by name. */
export function teeTypesOfBitmapLabel(bitmap: bigint): string[] {
  return Object.values(TeeType)
    .filter((teeType) => (bitmap >> BigInt(teeType)) & 1n)
    .map(teeLabel);
}

export const TEE_TYPES: readonly number[] = Object.values(TeeType);
