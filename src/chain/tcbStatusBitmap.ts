import { TcbStatus, type TcbStatusName } from "../claims/types.js";
import { TeezkError } from "../errors/index.js";

/** TeePolicy.acceptedTcbStatuses from status names (the same names reference values use). */
export function tcbStatusBitmap(statuses: readonly TcbStatusName[]): bigint {
  let bits = 0n;
  for (const name of statuses) {
    const value = TcbStatus[name];
    if (value === undefined) throw new TeezkError("CONFIG_INVALID", `Unknown TCB status ${String(name)}`);
    bits |= 1n << BigInt(value);
  }
  return bits;
}
