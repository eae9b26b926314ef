import { getAddress, isAddress, type Address } from "viem";
import { evidenceKinds, type EvidenceKind } from "../../../evidence/detectEvidenceType.js";
import type { CollateralByKind } from "../../../services/verifier/index.js";
import { devRootPin, getDevRoots, simulatedVendors } from "../../../tee/simulated/index.js";
import type { PinnedRoot } from "../../../util/x509.js";
import { UsageError } from "../../io.js";

/** `--port`: 0 to 65535 (0 picks a free port and the command prints it). */
export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65535) throw new UsageError(`--port expects 0 to 65535, got "${value}"`);
  return port;
}

/** `--collateral <kind>=<dir>`, repeatable; folders of one kind merge in the order given. */
export function parseCollateralFlags(values: readonly string[] | undefined): CollateralByKind {
  const collateral: Partial<Record<EvidenceKind, string[]>> = {};
  for (const value of values ?? []) {
    const match = /^([a-z]+)=(.+)$/.exec(value);
    if (!match || !evidenceKinds.includes(match[1] as EvidenceKind)) {
      throw new UsageError(`--collateral expects <kind>=<dir> with kind one of ${evidenceKinds.join(", ")}; got "${value}"`);
    }
    const kind = match[1] as EvidenceKind;
    (collateral[kind] ??= []).push(match[2]!);
  }
  return collateral;
}

/** The dev roots of every simulated vendor, for `--simulate-roots` (never in production). */
export function simulatedRootPins(devRootsDir: string | undefined): PinnedRoot[] {
  const devRoots = getDevRoots(devRootsDir ? { dir: devRootsDir } : {});
  const pins = new Map<string, PinnedRoot>();
  for (const vendor of simulatedVendors) {
    const pin = devRootPin(devRoots, vendor);
    pins.set(pin.sha256, pin);
  }
  return [...pins.values()];
}

export function parseAddressFlag(flag: string, value: string | undefined): Address {
  if (value === undefined || !isAddress(value, { strict: false })) {
    throw new UsageError(`${flag} expects a 0x-prefixed 20-byte address${value === undefined ? "" : `, got "${value.slice(0, 80)}"`}`);
  }
  return getAddress(value);
}

export function parseChainId(value: string | undefined): number {
  const id = Number(value);
  if (value === undefined || !/^\d{1,15}$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(`--chain-id expects a positive integer${value === undefined ? "" : `, got "${value}"`}`);
  }
  return id;
}
