import { layoutOf } from "./samples.js";

/** A mutated report and the codes acceptable for it (one code where the outcome is determinate). */
export type Mutation = { name: string; bytes: Uint8Array; codes: string[] };

const SPDM = ["SPDM_INVALID"];
const SIG = ["SIGNATURE_INVALID"];

/**
 * Mutations of a real report, generated from its own field offsets (samples.ts layoutOf): every header
 * field, every measurement value, every opaque field, the lengths, the signature, truncation at every field
 * boundary and trailing garbage.
 */
export function reportMutations(raw: Uint8Array): Mutation[] {
  const L = layoutOf(raw);
  const out: Mutation[] = [];
  const edit = (name: string, codes: string[], change: (bytes: Uint8Array, view: DataView) => void) => {
    const bytes = raw.slice();
    change(bytes, new DataView(bytes.buffer));
    out.push({ name, bytes, codes });
  };
  const r = L.responseStart;

  edit("request version 1.0", SPDM, (b) => void (b[0] = 0x10));
  edit("request code not GET_MEASUREMENTS", SPDM, (b) => void (b[1] = 0x60));
  edit("request without signature bit", SPDM, (b) => void (b[2] = 0x00));
  edit("request param1 extra bit", SIG, (b) => void (b[2] = 0x03));
  edit("request param2 count-only", SPDM, (b) => void (b[3] = 0x00));
  edit("request param2 single index", SPDM, (b) => void (b[3] = 0x05));
  for (const at of [0, 15, 31]) edit(`request nonce byte ${at}`, SIG, (b) => xor(b, L.nonce[0] + at, 0x01));
  edit("request slot 1", SPDM, (b) => void (b[36] = 0x01));
  edit("request slot reserved bits", SPDM, (b) => void (b[36] = 0x10));
  edit("response version 1.0", SPDM, (b) => void (b[r] = 0x10));
  edit("response code", SPDM, (b) => void (b[r + 1] = 0xe0));
  edit("response param1", SIG, (b) => xor(b, r + 2, 0x01));
  edit("response slot 1", SPDM, (b) => void (b[r + 3] = (b[r + 3]! & 0xf0) | 0x01));
  edit("response param2 high bits", SIG, (b) => xor(b, r + 3, 0x10));
  edit("block count 0", SPDM, (b) => void (b[r + 4] = 0));
  edit("block count -1", SPDM, (b) => void (b[r + 4] = raw[r + 4]! - 1));
  edit("block count +1", SPDM, (b) => void (b[r + 4] = raw[r + 4]! + 1));
  const setRecordLength = (b: Uint8Array, value: number) => b.set([value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff], L.recordLengthAt);
  const recordLength = L.recordEnd - L.recordStart;
  edit("record length +1", SPDM, (b) => setRecordLength(b, recordLength + 1));
  edit("record length -1", SPDM, (b) => setRecordLength(b, recordLength - 1));
  edit("record length 0", SPDM, (b) => setRecordLength(b, 0));
  edit("record length 2^24-1", ["TRUNCATED"], (b) => setRecordLength(b, 0xffffff));

  for (const block of L.blocks) {
    edit(`measurement ${block.index} value byte`, SIG, (b) => xor(b, block.valueStart + (block.valueSize >> 1), 0x80));
  }
  const picks = [0, L.blocks.length >> 1, L.blocks.length - 1];
  for (const k of picks) {
    const block = L.blocks[k]!;
    const neighbour = L.blocks[k === 0 ? 1 : k - 1]!;
    edit(`block ${block.index} index 0`, SPDM, (b) => void (b[block.start] = 0));
    edit(`block ${block.index} index 0xFF`, SPDM, (b) => void (b[block.start] = 0xff));
    edit(`block ${block.index} duplicate index`, SPDM, (b) => void (b[block.start] = neighbour.index));
    edit(`block ${block.index} not DMTF`, SPDM, (b) => void (b[block.start + 1] = 0x02));
    edit(`block ${block.index} MeasurementSize +1`, SPDM, (b, v) => v.setUint16(block.start + 2, v.getUint16(block.start + 2, true) + 1, true));
    edit(`block ${block.index} value size +1`, SPDM, (b, v) => v.setUint16(block.start + 5, v.getUint16(block.start + 5, true) + 1, true));
    edit(`block ${block.index} value type`, SIG, (b) => xor(b, block.start + 4, 0x80));
  }
  edit("blocks 1 and 2 swap indices", SIG, (b) => {
    const [first, second] = [L.blocks[0]!, L.blocks[1]!];
    [b[first.start], b[second.start]] = [b[second.start]!, b[first.start]!];
  });

  edit("response nonce", SIG, (b) => xor(b, L.responseNonce[0] + 7, 0x04));
  const opaqueLength = L.opaque[1] - L.opaque[0];
  edit("opaque length +1", SPDM, (b, v) => v.setUint16(L.opaqueLengthAt, opaqueLength + 1, true));
  edit("opaque length -1", SPDM, (b, v) => v.setUint16(L.opaqueLengthAt, opaqueLength - 1, true));
  edit("opaque length over SPDM limit", SPDM, (b, v) => v.setUint16(L.opaqueLengthAt, 1025, true));
  edit("opaque length 0", ["TRAILING_DATA"], (b, v) => v.setUint16(L.opaqueLengthAt, 0, true));
  for (const tlv of L.tlvs) {
    if (tlv.end > tlv.valueStart) edit(`opaque field ${tlv.type} value`, SIG, (b) => xor(b, tlv.valueStart, 0x20));
    edit(`opaque field ${tlv.type} size +1`, [...SPDM, ...SIG], (b, v) => v.setUint16(tlv.start + 2, v.getUint16(tlv.start + 2, true) + 1, true));
  }
  edit("opaque field type duplicated", SPDM, (b, v) => v.setUint16(L.tlvs[1]!.start, L.tlvs[0]!.type, true));
  const last = L.tlvs[L.tlvs.length - 1]!;
  edit("last opaque field overruns", SPDM, (b, v) => v.setUint16(last.start + 2, 0xffff, true));

  const [sigStart, sigEnd] = L.signature;
  edit("signature r", SIG, (b) => xor(b, sigStart, 0x01));
  edit("signature s", SIG, (b) => xor(b, sigEnd - 1, 0x01));
  edit("signature zero", SIG, (b) => b.fill(0, sigStart, sigEnd));
  edit("signature all ones", SIG, (b) => b.fill(0xff, sigStart, sigEnd));
  edit("signature r/s swapped", SIG, (b) => {
    const sig = raw.slice(sigStart, sigEnd);
    b.set(sig.subarray(48), sigStart);
    b.set(sig.subarray(0, 48), sigStart + 48);
  });

  const boundaries = new Set<number>([1, 2, 3, 4, 20, 36, 37, r + 1, r + 2, r + 3, r + 4, r + 5, r + 7, L.recordStart]);
  for (const block of L.blocks) [block.start, block.start + 2, block.start + 4, block.valueStart, block.end - 1].forEach((at) => boundaries.add(at));
  [L.recordEnd, L.recordEnd + 16, L.opaqueLengthAt, L.opaqueLengthAt + 1, L.opaque[0]].forEach((at) => boundaries.add(at));
  for (const tlv of L.tlvs) [tlv.start, tlv.start + 2, tlv.valueStart].forEach((at) => boundaries.add(at));
  [sigStart, sigStart + 48, sigEnd - 1].forEach((at) => boundaries.add(at));
  for (const length of [...boundaries].sort((a, b) => a - b)) {
    out.push({ name: `truncated to ${length} bytes`, bytes: raw.slice(0, length), codes: ["TRUNCATED"] });
  }

  const append = (name: string, tail: Uint8Array) => out.push({ name, bytes: new Uint8Array([...raw, ...tail]), codes: ["TRAILING_DATA"] });
  append("trailing 0x01", new Uint8Array([1]));
  append("trailing zero then non-zero", new Uint8Array([0, 0, 0x5a]));
  append("trailing text", new TextEncoder().encode("\n\nextra bytes(only for testing purpose)\n"));
  append("trailing zeros over the cap", new Uint8Array(9));
  append("trailing copy of the signature", raw.slice(sigStart, sigEnd));
  out.push({ name: "report over the per-report cap", bytes: new Uint8Array(70 * 1024).fill(0x11), codes: ["INPUT_TOO_LARGE"] });
  return out;
}

/** Mutations of a PEM device chain (leaf first), each with the codes acceptable for it. */
function xor(bytes: Uint8Array, at: number, mask: number): void {
  bytes[at] = bytes[at]! ^ mask;
}

export function chainMutations(pem: string, otherGpuPem: string, fakeChainPem: string): { name: string; pem: string; codes: string[] }[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!;
  const other = otherGpuPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!;
  const join = (list: string[]) => list.join("\n");
  const corrupt = (block: string) => {
    // A character near the end of the base64 body lies in the certificate's signature value.
    const end = block.indexOf("-----END") - 10;
    const c = block[end] === "A" ? "B" : "A";
    return block.slice(0, end) + c + block.slice(end + 1);
  };
  return [
    { name: "leaf replaced by another GPU's leaf", pem: join([other[0]!, ...blocks.slice(1)]), codes: ["CERT_CHAIN_INVALID"] },
    { name: "whole chain of another GPU", pem: otherGpuPem, codes: ["SIGNATURE_INVALID"] },
    { name: "leaf only", pem: blocks[0]!, codes: ["CERT_CHAIN_INVALID"] },
    { name: "leaf and its issuer only", pem: join(blocks.slice(0, 2)), codes: ["CERT_CHAIN_INVALID"] },
    { name: "root missing", pem: join(blocks.slice(0, -1)), codes: ["CERT_CHAIN_INVALID"] },
    { name: "intermediate missing", pem: join([blocks[0]!, blocks[1]!, ...blocks.slice(3)]), codes: ["CERT_CHAIN_INVALID"] },
    { name: "certificates 1 and 2 swapped", pem: join([blocks[0]!, blocks[2]!, blocks[1]!, ...blocks.slice(3)]), codes: ["CERT_CHAIN_INVALID"] },
    { name: "chain reversed", pem: join([...blocks].reverse()), codes: ["CERT_CHAIN_INVALID"] },
    { name: "PEM cut in the middle", pem: pem.slice(0, Math.floor(pem.length / 2)), codes: ["CERT_CHAIN_INVALID"] },
    { name: "intermediate signature corrupted", pem: join([blocks[0]!, corrupt(blocks[1]!), ...blocks.slice(2)]), codes: ["SIGNATURE_INVALID", "CERT_PARSE"] },
    { name: "leaf signature corrupted", pem: join([corrupt(blocks[0]!), ...blocks.slice(1)]), codes: ["SIGNATURE_INVALID", "CERT_PARSE"] },
    { name: "real root replaced by a fake self-signed root", pem: join([...blocks.slice(0, -1), fakeChainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)!.at(-1)!]), codes: ["CERT_CHAIN_INVALID", "SIGNATURE_INVALID"] },
    { name: "fake leaf under a fake self-signed root", pem: fakeChainPem, codes: ["ROOT_NOT_TRUSTED"] },
    { name: "nine certificates", pem: join([...blocks, ...blocks.slice(0, 4)]), codes: ["CERT_CHAIN_INVALID"] },
    { name: "no certificate", pem: "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", codes: ["CERT_PARSE"] },
  ];
}
