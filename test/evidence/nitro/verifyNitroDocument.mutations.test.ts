import { encode, Tag } from "cbor2";
import { describe, expect, it } from "vitest";
import { TeezkError, type ErrorCode } from "../../../src/errors/index.js";
import { MAX_NITRO_DOCUMENT_BYTES, verifyNitroDocument } from "../../../src/evidence/nitro/index.js";
import { mintCertificate } from "../../support/pki.js";
import { encodeCbor, es384Sign } from "./forgeNitro.js";
import { loadNitroSamples, type NitroSample } from "./nitroSamples.js";

/**
 * A corpus of altered documents generated from each real sample, every one verified as of the sample's own
 * time (when the original passes), so each rejection is caused by the alteration. Where the failing check is
 * determined by the alteration the exact code is asserted; where a corrupted length makes the decoder land on
 * arbitrary bytes, any structural code is accepted.
 */
type Mutation = { name: string; bytes: Uint8Array; expected: readonly ErrorCode[] };

const STRUCTURAL: readonly ErrorCode[] = ["TRUNCATED", "TRAILING_DATA", "COSE_INVALID", "UNSUPPORTED_ALGORITHM", "NITRO_DOCUMENT_INVALID"];
const samples = loadNitroSamples();

function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = new Uint8Array(bytes);
  const at = index < 0 ? out.length + index : index;
  out[at] = out[at]! ^ mask;
  return out;
}

function mutationsOf(sample: NitroSample, others: NitroSample[]): Mutation[] {
  const [protectedHeader, , payload, signature] = sample.cose;
  const cabundle = sample.doc.get("cabundle") as Uint8Array[];
  const leaf = sample.doc.get("certificate") as Uint8Array;
  const window = { notBefore: new Date(sample.timestampMs - 86_400_000), notAfter: new Date(sample.timestampMs + 86_400_000) };
  const list: Mutation[] = [];
  const add = (name: string, bytes: Uint8Array, ...expected: ErrorCode[]) => list.push({ name, bytes, expected });
  const envelope = (parts: { p?: unknown; u?: unknown; payload?: unknown; sig?: unknown }) =>
    encodeCbor(["p" in parts ? parts.p : protectedHeader, "u" in parts ? parts.u : new Map(), "payload" in parts ? parts.payload : payload, "sig" in parts ? parts.sig : signature]);
  const withDoc = (edit: (doc: Map<string, unknown>) => void) => {
    const doc = new Map(sample.doc);
    doc.set("pcrs", new Map(doc.get("pcrs") as Map<number, Uint8Array>));
    edit(doc);
    return envelope({ payload: encodeCbor(doc) });
  };
  const withPcr = (index: number, edit: (pcr: Uint8Array) => Uint8Array | undefined) =>
    withDoc((doc) => {
      const pcrs = doc.get("pcrs") as Map<number, Uint8Array>;
      const next = edit(new Uint8Array(pcrs.get(index)!));
      if (next) pcrs.set(index, next);
      else pcrs.delete(index);
    });
  const withBundle = (bundle: Uint8Array[]) => withDoc((doc) => doc.set("cabundle", bundle));
  const replaced = (index: number, der: Uint8Array) => cabundle.map((cert, i) => (i === index ? der : cert));

  // ── the signature ────────────────────────────────────────────────────────────────────────────
  for (const index of [0, 1, 47, 48, 95]) add(`signature byte ${index} flipped`, envelope({ sig: flip(signature, index) }), "SIGNATURE_INVALID");
  add("signature all zero", envelope({ sig: new Uint8Array(96) }), "SIGNATURE_INVALID");
  add("signature all 0xff (r, s ≥ n)", envelope({ sig: new Uint8Array(96).fill(0xff) }), "SIGNATURE_INVALID");
  add("signature 95 bytes", envelope({ sig: signature.subarray(0, 95) }), "SIGNATURE_INVALID");
  add("signature 97 bytes", envelope({ sig: new Uint8Array([...signature, 0]) }), "SIGNATURE_INVALID");
  add("signature of another document", envelope({ sig: others[0]!.cose[3] }), "SIGNATURE_INVALID");

  // ── signed content changed (payload re-encoded, chain intact) ───────────────────────────────────
  for (const index of [0, 1, 2, 4, 8]) add(`PCR${index} byte changed`, withPcr(index, (pcr) => flip(pcr, 7)), "SIGNATURE_INVALID");
  add("PCR0 removed", withPcr(0, () => undefined), "SIGNATURE_INVALID");
  for (const key of ["user_data", "nonce", "public_key"]) {
    add(`${key} changed or set`, withDoc((doc) => {
      const value = doc.get(key) as Uint8Array | null;
      doc.set(key, value && value.length > 0 ? flip(value, 0) : new Uint8Array(32).fill(0x42));
    }), "SIGNATURE_INVALID");
  }
  add("user_data set to null/absent", withDoc((doc) => doc.set("user_data", doc.get("user_data") ? null : new Uint8Array(0))), "SIGNATURE_INVALID");
  add("module_id changed", withDoc((doc) => doc.set("module_id", `${doc.get("module_id") as string}x`)), "SIGNATURE_INVALID");
  add("timestamp + 1 ms", withDoc((doc) => doc.set("timestamp", sample.timestampMs + 1)), "SIGNATURE_INVALID");
  const moduleAt = Buffer.from(sample.bytes).indexOf(Buffer.from(sample.doc.get("module_id") as string));
  add("module_id byte changed in place (no re-encoding)", flip(sample.bytes, moduleAt, 0x03), "SIGNATURE_INVALID");

  // ── the certificate bundle ──────────────────────────────────────────────────────────────────────
  cabundle.forEach((_cert, index) => {
    add(`cabundle[${index}] replaced by cabundle[${(index + 1) % cabundle.length}]`, withBundle(replaced(index, cabundle[(index + 1) % cabundle.length]!)), "CERT_CHAIN_INVALID");
    add(`cabundle[${index}] replaced by a fresh CA`, withBundle(replaced(index, mintCertificate({ subject: `fresh CA ${index}`, ca: true, ...window }).der)), "CERT_CHAIN_INVALID");
    add(`cabundle[${index}] truncated`, withBundle(replaced(index, cabundle[index]!.subarray(0, cabundle[index]!.length >> 1))), "CERT_PARSE");
    // The last byte sits in the signature: the root then stops being self-signed; an intermediate's signature fails.
    add(`cabundle[${index}] signature byte flipped`, withBundle(replaced(index, flip(cabundle[index]!, -1))), index === 0 ? "CERT_CHAIN_INVALID" : "SIGNATURE_INVALID");
  });
  add("root swapped for a fresh self-signed root with the AWS root's name", withBundle(replaced(0, mintCertificate({ subject: cabundle[0]!, ca: true, ...window }).der)), "CERT_CHAIN_INVALID");
  add("root dropped from cabundle", withBundle(cabundle.slice(1)), "CERT_CHAIN_INVALID");
  add("cabundle reversed", withBundle([...cabundle].reverse()), "CERT_CHAIN_INVALID");
  add("cabundle empty", withBundle([]), "NITRO_DOCUMENT_INVALID");
  add("cabundle entry not bytes", withBundle([cabundle[0]!, "cert" as unknown as Uint8Array]), "NITRO_DOCUMENT_INVALID");
  add("cabundle entry over 1024 bytes", withBundle(replaced(1, new Uint8Array(1025))), "NITRO_DOCUMENT_INVALID");

  // ── the leaf ─────────────────────────────────────────────────────────────────────────────────────
  const setLeaf = (der: Uint8Array) => withDoc((doc) => doc.set("certificate", der));
  add("leaf replaced by its issuing CA", setLeaf(cabundle[cabundle.length - 1]!), "CERT_CHAIN_INVALID");
  add("leaf replaced by another document's leaf", setLeaf(others[0]!.doc.get("certificate") as Uint8Array), "CERT_CHAIN_INVALID");
  add("leaf replaced by a fresh self-signed certificate", setLeaf(mintCertificate({ subject: "fresh leaf", ca: false, ...window }).der), "CERT_CHAIN_INVALID");
  add("leaf truncated", setLeaf(leaf.subarray(0, 100)), "CERT_PARSE");
  add("leaf signature byte flipped", setLeaf(flip(leaf, -1)), "SIGNATURE_INVALID");
  add("leaf empty", setLeaf(new Uint8Array(0)), "NITRO_DOCUMENT_INVALID");
  {
    const root = mintCertificate({ subject: cabundle[0]!, ca: true, ...window });
    const forgedLeaf = mintCertificate({ subject: "forged leaf", issuer: root, ca: false, ...window });
    const doc = new Map(sample.doc);
    doc.set("certificate", forgedLeaf.der);
    doc.set("cabundle", [root.der]);
    const forgedPayload = encodeCbor(doc);
    add("whole chain forged under an unpinned root, document re-signed", envelope({ payload: forgedPayload, sig: es384Sign(forgedLeaf.privateKey, protectedHeader, forgedPayload) }), "ROOT_NOT_TRUSTED");
  }

  // ── the document against the AWS CDDL ────────────────────────────────────────────────────────────
  for (const key of ["module_id", "digest", "timestamp", "pcrs", "certificate", "cabundle"]) {
    add(`${key} missing`, withDoc((doc) => doc.delete(key)), "NITRO_DOCUMENT_INVALID");
  }
  const invalidValues: [string, unknown][] = [
    ["digest", "SHA256"],
    ["digest", "sha384"],
    ["module_id", ""],
    ["module_id", 7],
    ["timestamp", -1],
    ["timestamp", "1695049410860"],
    ["timestamp", 2n ** 64n - 1n],
    ["timestamp", 1.5],
    ["pcrs", new Map()],
    ["pcrs", [new Uint8Array(48)]],
    ["user_data", new Uint8Array(1025)],
    ["nonce", "nonce"],
    ["public_key", 1],
    ["certificate", new Uint8Array(1025)],
  ];
  for (const [key, value] of invalidValues) {
    add(`${key} = ${typeof value === "object" ? (value as object).constructor.name : String(value)}`, withDoc((doc) => doc.set(key, value)), "NITRO_DOCUMENT_INVALID");
  }
  add("PCR index 32", withDoc((doc) => (doc.get("pcrs") as Map<number, Uint8Array>).set(32, new Uint8Array(48))), "NITRO_DOCUMENT_INVALID");
  add("PCR index -1", withDoc((doc) => (doc.get("pcrs") as Map<number, Uint8Array>).set(-1, new Uint8Array(48))), "NITRO_DOCUMENT_INVALID");
  add("PCR 47 bytes", withPcr(3, (pcr) => pcr.subarray(0, 47)), "NITRO_DOCUMENT_INVALID");
  add("PCR as text", withDoc((doc) => (doc.get("pcrs") as Map<number, unknown>).set(5, "pcr")), "NITRO_DOCUMENT_INVALID");
  add("33 PCRs", withDoc((doc) => {
    const pcrs = new Map<unknown, Uint8Array>();
    for (let i = 0; i < 33; i++) pcrs.set(i, new Uint8Array(48));
    doc.set("pcrs", pcrs);
  }), "NITRO_DOCUMENT_INVALID");
  add("non-text key in the document", withDoc((doc) => (doc as Map<unknown, unknown>).set(1, 1)), "NITRO_DOCUMENT_INVALID");
  add("payload is an array", envelope({ payload: encode([1, 2, 3]) }), "NITRO_DOCUMENT_INVALID");
  add("payload has trailing bytes", envelope({ payload: new Uint8Array([...payload, 0]) }), "TRAILING_DATA");
  {
    // Same map with its count raised by one and a second "digest" entry appended: a duplicate key.
    const duplicated = new Uint8Array([...payload, ...encode("digest"), ...encode("SHA384")]);
    duplicated[0] = duplicated[0]! + 1;
    add("payload with a duplicate key", envelope({ payload: duplicated }), "NITRO_DOCUMENT_INVALID");
  }

  // ── the COSE envelope ────────────────────────────────────────────────────────────────────────────
  add("alg ES256 (-7)", envelope({ p: encode(new Map([[1, -7]])) }), "UNSUPPORTED_ALGORITHM");
  add("alg as text", envelope({ p: encode(new Map([[1, "ES384"]])) }), "UNSUPPORTED_ALGORITHM");
  add("alg missing", envelope({ p: encode(new Map([[4, new Uint8Array(4)]])) }), "COSE_INVALID");
  add("critical header present", envelope({ p: encode(new Map<number, unknown>([[1, -35], [2, [99]]])) }), "COSE_INVALID");
  add("protected header empty", envelope({ p: new Uint8Array(0) }), "COSE_INVALID");
  add("protected header not a bstr", envelope({ p: new Map([[1, -35]]) }), "COSE_INVALID");
  add("protected header with trailing byte", envelope({ p: new Uint8Array([...protectedHeader, 0]) }), "TRAILING_DATA");
  add("unprotected header an array", envelope({ u: [] }), "COSE_INVALID");
  add("payload nil (detached)", envelope({ payload: null }), "COSE_INVALID");
  add("payload as text", envelope({ payload: "payload" }), "COSE_INVALID");
  add("signature as text", envelope({ sig: "sig" }), "COSE_INVALID");
  add("three-element envelope", encodeCbor([protectedHeader, new Map(), payload]), "COSE_INVALID");
  add("five-element envelope", encodeCbor([protectedHeader, new Map(), payload, signature, 0]), "COSE_INVALID");
  add("envelope is a map", encodeCbor(new Map([[0, protectedHeader]])), "COSE_INVALID");
  add("wrapped in tag 99", encode(new Tag(99, sample.cose.map((p) => (p instanceof Uint8Array ? new Uint8Array(p) : p)))), "COSE_INVALID");
  add("tag 18 twice", encode(new Tag(18, new Tag(18, sample.cose.map((p) => (p instanceof Uint8Array ? new Uint8Array(p) : p))))), "COSE_INVALID");

  // ── lengths, truncation, garbage, size ───────────────────────────────────────────────────────────
  add("array header 4 → 3", flip(sample.bytes, 0, 0x84 ^ 0x83), "TRAILING_DATA");
  add("array header 4 → 5", flip(sample.bytes, 0, 0x84 ^ 0x85), "TRUNCATED");
  const bytes = Buffer.from(sample.bytes);
  const sigHeader = bytes.length - 98;
  expect([bytes[sigHeader], bytes[sigHeader + 1]]).toEqual([0x58, 0x60]);
  add("signature length 96 → 95", flip(sample.bytes, sigHeader + 1, 0x60 ^ 0x5f), "TRAILING_DATA");
  add("signature length 96 → 97", flip(sample.bytes, sigHeader + 1, 0x60 ^ 0x61), "TRUNCATED");
  const payloadHeader = 1 + 1 + protectedHeader.length + 1;
  for (const delta of [-1, 1, 256]) {
    const out = new Uint8Array(sample.bytes);
    const length = (out[payloadHeader + 1]! << 8) + out[payloadHeader + 2]! + delta;
    out[payloadHeader + 1] = length >> 8;
    out[payloadHeader + 2] = length & 0xff;
    add(`payload length ${delta > 0 ? "+" : ""}${delta}`, out, ...STRUCTURAL);
  }
  add("protected length + 1", flip(sample.bytes, 1, 0x44 ^ 0x45), ...STRUCTURAL);
  const step = Math.max(1, Math.floor(sample.bytes.length / 40));
  const cuts = new Set([1, 2, 5, 7, 10, payloadHeader + 3, sample.bytes.length - 97, sample.bytes.length - 1]);
  for (let cut = step; cut < sample.bytes.length; cut += step) cuts.add(cut);
  for (const cut of cuts) add(`truncated at ${cut}`, sample.bytes.subarray(0, cut), "TRUNCATED");
  add("empty input", new Uint8Array(0), "INPUT_EMPTY");
  add("trailing zero byte", new Uint8Array([...sample.bytes, 0]), "TRAILING_DATA");
  add("trailing garbage", new Uint8Array([...sample.bytes, ...Buffer.from("garbage")]), "TRAILING_DATA");
  add("another document appended", new Uint8Array([...sample.bytes, ...others[0]!.bytes]), "TRAILING_DATA");
  add("oversized input", new Uint8Array(MAX_NITRO_DOCUMENT_BYTES + 1).fill(0x41), "INPUT_TOO_LARGE");
  add("oversized document (valid prefix + padding)", new Uint8Array([...sample.bytes, ...new Uint8Array(MAX_NITRO_DOCUMENT_BYTES)]), "INPUT_TOO_LARGE");
  return list;
}

describe("verifyNitroDocument mutation corpus", () => {
  describe.each(samples.map((sample, index) => [sample.name, index] as const))("%s", (_name, index) => {
    const sample = samples[index]!;
    const others = samples.filter((_, i) => i !== index);
    const now = new Date(sample.timestampMs);
    const corpus = mutationsOf(sample, others);

    it("has at least 30 mutations, each different from the original, and the original verifies", () => {
      expect(corpus.length).toBeGreaterThanOrEqual(30);
      for (const mutation of corpus) expect(Buffer.compare(mutation.bytes, sample.bytes), mutation.name).not.toBe(0);
      expect(verifyNitroDocument({ evidence: sample.bytes, now }).claims.teeType).toBe(3);
    });

    it.each(corpus.map((mutation) => [mutation.name, mutation] as const))("rejects: %s", (_label, mutation) => {
      let thrown: unknown;
      try {
        verifyNitroDocument({ evidence: mutation.bytes, now });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, "must be rejected").toBeInstanceOf(TeezkError);
      expect(mutation.expected).toContain((thrown as TeezkError).code);
    });
  });
});
