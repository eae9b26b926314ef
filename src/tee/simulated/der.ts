/**
 * Minimal DER writers for the vendor certificate extensions no kept library models (Intel's SGX extension,
 * AMD's VCEK TCB values, the TCG DICE TcbInfo). Only definite-length, primitive encodings of small values.
 */
export function derTlv(tag: number, value: Uint8Array): Uint8Array {
  const length = value.length;
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else if (length < 0x100) header = [tag, 0x81, length];
  else if (length < 0x10000) header = [tag, 0x82, length >> 8, length & 0xff];
  else header = [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  out.set(value, header.length);
  return out;
}

export function derSequence(...items: Uint8Array[]): Uint8Array {
  return derTlv(0x30, Buffer.concat(items));
}

export function derOctets(bytes: Uint8Array): Uint8Array {
  return derTlv(0x04, bytes);
}

export function derUnsigned(value: number, tag = 0x02): Uint8Array {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return derTlv(tag, Uint8Array.from(bytes));
}

export function derEnumerated(value: number): Uint8Array {
  return derUnsigned(value, 0x0a);
}

export function derIa5(text: string): Uint8Array {
  return derTlv(0x16, new Uint8Array(Buffer.from(text, "latin1")));
}

export function derUtf8(text: string, tag = 0x0c): Uint8Array {
  return derTlv(tag, new Uint8Array(Buffer.from(text, "utf8")));
}

export function derOid(dotted: string): Uint8Array {
  const parts = dotted.split(".").map(Number);
  const body: number[] = [parts[0]! * 40 + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    let rest = Math.floor(part / 128);
    while (rest > 0) {
      chunk.unshift((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }
    body.push(...chunk);
  }
  return derTlv(0x06, Uint8Array.from(body));
}
