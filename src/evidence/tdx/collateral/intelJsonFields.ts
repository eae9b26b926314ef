import { TeezkError } from "../../../errors/index.js";
import { INTEL_TCB_STATUS_BYTE, type IntelTcbStatus } from "./intelTcbStatus.js";
import type { EnclaveTcbLevel } from "./types.js";

/**
 * Typed readers for Intel's TCB info and enclave identity JSON (after JSON.parse). Each takes the value and its
 * path and returns it typed, or throws COLLATERAL_INVALID "`source`: the collateral JSON does not match Intel's
 * schema" with `path: reason` in the details. Unknown keys are ignored (Intel adds fields between versions).
 *
 * Written out instead of a zod schema because this runs on every cold verification and zod (v3 ~130 µs, v4
 * ~55 µs per TCB info) was the largest JavaScript cost of one; the zod schema it replaced stays in the tests as
 * the oracle that these readers must agree with on mutated real collateral.
 */
export class IntelJsonReader {
  constructor(readonly source: string) {}

  fail(path: string, reason: string): never {
    throw new TeezkError("COLLATERAL_INVALID", `${this.source}: the collateral JSON does not match Intel's schema`, {
      details: `${path || "(root)"}: ${reason}`,
    });
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) this.fail(path, `expected an object, got ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  array(value: unknown, path: string, min: number, max: number): unknown[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${describe(value)}`);
    if (value.length < min || value.length > max) this.fail(path, `expected ${min === max ? min : `${min} to ${max}`} entries, got ${value.length}`);
    return value;
  }

  /** An integer in min..max (JSON numbers only: no strings, no fractions). */
  integer(value: unknown, path: string, min: number, max = Number.POSITIVE_INFINITY): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      this.fail(path, `expected an integer ${min}..${max === Number.POSITIVE_INFINITY ? "" : max}, got ${describe(value)}`);
    }
    return value;
  }

  /** Exactly `bytes` bytes as hex digits (either case), as Intel writes FMSPC, masks and MRSIGNERs. */
  hex(value: unknown, path: string, bytes: number): Uint8Array {
    if (typeof value !== "string" || value.length !== bytes * 2) this.fail(path, `expected ${bytes} bytes of hex`);
    const decoded = Buffer.from(value, "hex");
    // Node's decoder stops at the first pair that is not hex: a full-length result means every pair was.
    if (decoded.length !== bytes) this.fail(path, `expected ${bytes} bytes of hex`);
    return new Uint8Array(decoded);
  }

  /** A date string Date.parse accepts (Intel writes ISO 8601). */
  dateText(value: unknown, path: string): string {
    if (typeof value !== "string" || Number.isNaN(Date.parse(value))) this.fail(path, "expected an ISO 8601 date");
    return value;
  }

  date(value: unknown, path: string): Date {
    return new Date(this.dateText(value, path));
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
    if (typeof value !== "string" || !allowed.includes(value as T)) this.fail(path, `expected one of ${allowed.join(", ")}`);
    return value as T;
  }

  tcbStatus(value: unknown, path: string): IntelTcbStatus {
    if (typeof value !== "string" || !Object.hasOwn(INTEL_TCB_STATUS_BYTE, value)) this.fail(path, "expected an Intel TCB status");
    return value as IntelTcbStatus;
  }

  /** Optional `advisoryIDs`: at most 256 strings of at most 64 characters. */
  advisoryIds(value: unknown, path: string): string[] {
    if (value === undefined) return [];
    const ids = this.array(value, path, 0, 256);
    for (let index = 0; index < ids.length; index++) {
      const id = ids[index];
      if (typeof id !== "string" || id.length > 64) this.fail(`${path}.${index}`, "expected a string of at most 64 characters");
    }
    return ids as string[];
  }

  /** TCB info v3 `sgxtcbcomponents` / `tdxtcbcomponents`: 16 objects whose `svn` is 0..255 (other keys ignored). */
  svnComponents(value: unknown, path: string): number[] {
    const components = this.array(value, path, 16, 16);
    const svns: number[] = new Array(16);
    for (let index = 0; index < 16; index++) {
      const component = components[index];
      if (typeof component !== "object" || component === null || Array.isArray(component)) this.fail(`${path}.${index}`, `expected an object, got ${describe(component)}`);
      const svn = (component as { svn?: unknown }).svn;
      if (typeof svn !== "number" || !Number.isInteger(svn) || svn < 0 || svn > 255) this.fail(`${path}.${index}.svn`, `expected an integer 0..255, got ${describe(svn)}`);
      svns[index] = svn;
    }
    return svns;
  }

  /** One level of a QE identity or TDX module identity: { tcb: { isvsvn }, tcbDate, tcbStatus, advisoryIDs? }. */
  enclaveTcbLevel(value: unknown, path: string): EnclaveTcbLevel {
    const level = this.object(value, path);
    const tcb = this.object(level.tcb, `${path}.tcb`);
    return {
      isvSvn: this.integer(tcb.isvsvn, `${path}.tcb.isvsvn`, 0, 0xffff),
      tcbDate: this.dateText(level.tcbDate, `${path}.tcbDate`),
      tcbStatus: this.tcbStatus(level.tcbStatus, `${path}.tcbStatus`),
      advisoryIds: this.advisoryIds(level.advisoryIDs, `${path}.advisoryIDs`),
    };
  }

  enclaveTcbLevels(value: unknown, path: string, max: number): EnclaveTcbLevel[] {
    return this.array(value, path, 1, max).map((level, index) => this.enclaveTcbLevel(level, `${path}.${index}`));
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `a string of ${value.length} characters`;
  if (typeof value === "number") return String(value);
  return typeof value;
}
