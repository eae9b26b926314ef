import { decode, type DecodeOptions } from "cbor2";
import { TeezkError, type ErrorCode } from "../../errors/index.js";

/**
 * Strict decoding for attacker-supplied CBOR. Nothing in a Nitro document is a float, a tag (other than the
 * optional COSE_Sign1 tag 18 on the envelope), an unusual simple value or a duplicate map key, so all of those
 * are refused rather than coerced: a float `1.0` must not pass as the uint timestamp, and a duplicated key must
 * not let two readers see two different documents. Depth is bounded so nesting cannot exhaust the stack.
 */
const STRICT: DecodeOptions = {
  preferMap: true,
  rejectDuplicateKeys: true,
  rejectFloats: true,
  rejectSimple: true,
  rejectUndefined: true,
  ignoreGlobalTags: true,
  maxDepth: 8,
};

export type DecodeCborParameters = {
  bytes: Uint8Array;
  /** Code for any structural failure other than truncation and trailing bytes. */
  code: ErrorCode;
  what: string;
};

/**
 * Decodes exactly one CBOR item filling `bytes`. cbor2's own errors (including RangeErrors from its DataView
 * reads on truncated input) become TeezkErrors: TRUNCATED when the input ends inside an item, TRAILING_DATA when
 * bytes follow the item, `code` otherwise. Unlike padded DCAP quotes, trailing zero bytes are refused too: the
 * signature covers none of them and no Nitro source emits them.
 */
export function decodeCbor({ bytes, code, what }: DecodeCborParameters): unknown {
  try {
    return decode(bytes, STRICT);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const resolved: ErrorCode = /Extra data in input/i.test(message)
      ? "TRAILING_DATA"
      : error instanceof RangeError || /unexpected end/i.test(message)
        ? "TRUNCATED"
        : code;
    const shortMessage =
      resolved === "TRAILING_DATA"
        ? `The ${what} has bytes after its end`
        : resolved === "TRUNCATED"
          ? `The ${what} ends inside a CBOR item`
          : `The ${what} is not valid CBOR for this format`;
    throw new TeezkError(resolved, shortMessage, { details: message, cause: error });
  }
}
