import { TeezkError } from "../../errors/index.js";
import { fromHex, type Hex } from "../../util/bytes.js";
import { simulatedRegister } from "./simulatedDefaults.js";

/** A register of a simulated report: its default comes from `simulatedRegister`, or zero when `zero` is set. */
export type RegisterSpec = { length: number; zero?: boolean };

/**
 * Default registers of one vendor with the caller's overrides applied. Unknown names and wrong lengths are
 * CONFIG_INVALID: a typo must not silently leave a default in place that a policy then allows.
 */
export function resolveRegisters(
  vendor: string,
  specs: Readonly<Record<string, RegisterSpec>>,
  overrides: Readonly<Record<string, Hex>> = {},
): Record<string, Uint8Array> {
  for (const name of Object.keys(overrides)) {
    if (!Object.prototype.hasOwnProperty.call(specs, name)) {
      throw new TeezkError("CONFIG_INVALID", `A simulated ${vendor} report has no register "${name}"`, {
        metaMessages: [`Known registers: ${Object.keys(specs).join(", ")}.`],
      });
    }
  }
  const out: Record<string, Uint8Array> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const override = overrides[name];
    if (override !== undefined) {
      const bytes = fromHex(override);
      if (bytes.length !== spec.length) {
        throw new TeezkError("CONFIG_INVALID", `The simulated ${vendor} register ${name} is ${spec.length} bytes, got ${bytes.length}`);
      }
      out[name] = bytes;
    } else {
      out[name] = spec.zero ? new Uint8Array(spec.length) : simulatedRegister(vendor, name, spec.length);
    }
  }
  return out;
}

/** The 32-byte binding, checked. */
export function bindingBytes(binding: Hex, what = "binding"): Uint8Array {
  const bytes = fromHex(binding);
  if (bytes.length !== 32) throw new TeezkError("CONFIG_INVALID", `The ${what} must be 32 bytes, got ${bytes.length}`);
  return bytes;
}
