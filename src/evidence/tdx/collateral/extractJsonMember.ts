import { TeezkError } from "../../../errors/index.js";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export type ExtractJsonMemberErrorType = TeezkError;

/**
 * The exact bytes of the value of a top-level member of a JSON object, e.g. `tcbInfo` in Intel's
 * `{"tcbInfo":{…},"signature":"…"}`. Intel signs those bytes as served, so re-serialising the parsed object
 * would break the signature on any whitespace or key-order difference. The scan is linear and tracks strings
 * and nesting, so a key spelled inside a string value or a nested object is never matched.
 */
export function extractJsonMember(bytes: Uint8Array, member: string, source: string): Uint8Array {
  const fail = (why: string): never => {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: cannot locate the signed "${member}" value`, { details: why });
  };
  let offset = skipSpace(bytes, 0);
  if (bytes[offset] !== 0x7b) fail("the file is not a JSON object");
  offset = skipSpace(bytes, offset + 1);
  let found: Uint8Array | undefined;
  while (offset < bytes.length && bytes[offset] !== 0x7d) {
    if (bytes[offset] !== QUOTE) fail(`expected a key at byte ${offset}`);
    const keyEnd = skipString(bytes, offset);
    const key = Buffer.from(bytes.subarray(offset + 1, keyEnd - 1)).toString("utf8");
    offset = skipSpace(bytes, keyEnd);
    if (bytes[offset] !== 0x3a) fail(`expected ':' at byte ${offset}`);
    const valueStart = skipSpace(bytes, offset + 1);
    const valueEnd = skipValue(bytes, valueStart);
    if (key === member) {
      if (found) fail(`"${member}" appears twice`);
      found = bytes.subarray(valueStart, valueEnd);
    }
    offset = skipSpace(bytes, valueEnd);
    if (bytes[offset] === 0x2c) offset = skipSpace(bytes, offset + 1);
    else if (bytes[offset] !== 0x7d) fail(`expected ',' or '}' at byte ${offset}`);
  }
  if (!found) fail(`no top-level "${member}" member`);
  return found!;
}

function skipSpace(bytes: Uint8Array, offset: number): number {
  while (offset < bytes.length && (bytes[offset] === 0x20 || bytes[offset] === 0x0a || bytes[offset] === 0x0d || bytes[offset] === 0x09)) offset++;
  return offset;
}

/** Offset just past the string that starts at `offset` (which holds the opening quote). */
function skipString(bytes: Uint8Array, offset: number): number {
  for (let index = offset + 1; index < bytes.length; index++) {
    if (bytes[index] === BACKSLASH) index++;
    else if (bytes[index] === QUOTE) return index + 1;
  }
  throw new TeezkError("COLLATERAL_INVALID", "Unterminated JSON string in signed collateral");
}

/** Offset just past the JSON value that starts at `offset`; nesting is counted, never recursed. */
function skipValue(bytes: Uint8Array, offset: number): number {
  const first = bytes[offset];
  if (first === QUOTE) return skipString(bytes, offset);
  if (first !== 0x7b && first !== 0x5b) {
    let index = offset;
    while (index < bytes.length && ![0x2c, 0x7d, 0x5d, 0x20, 0x0a, 0x0d, 0x09].includes(bytes[index]!)) index++;
    if (index === offset) throw new TeezkError("COLLATERAL_INVALID", `Empty JSON value at byte ${offset} in signed collateral`);
    return index;
  }
  let depth = 0;
  for (let index = offset; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === QUOTE) index = skipString(bytes, index) - 1;
    else if (byte === 0x7b || byte === 0x5b) depth++;
    else if (byte === 0x7d || byte === 0x5d) {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  throw new TeezkError("COLLATERAL_INVALID", "Unbalanced JSON value in signed collateral");
}
