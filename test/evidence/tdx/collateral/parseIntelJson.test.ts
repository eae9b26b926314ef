import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TeezkError } from "../../../../src/errors/index.js";
import { parseEnclaveIdentity, parseTcbInfo } from "../../../../src/evidence/tdx/collateral/index.js";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";
import { oracleParseEnclaveIdentity, oracleParseTcbInfo } from "./intelSchemaOracle.js";

/**
 * parseTcbInfo and parseEnclaveIdentity read Intel's JSON by hand (the cold verification path); the zod schema they
 * replaced is the oracle: on every real TCB info / QE identity of the fixtures, and on thousands of single-point
 * mutations of them (wrong types, out-of-range and huge numbers, bad hex, extra nesting, missing, extra or
 * oversized members), both must refuse the same inputs with COLLATERAL_INVALID and return equal results otherwise.
 */
const PCS_DIRS = ["tdx/automata-v4-00806f05", "tdx/automata-v5-90c06f", "tdx/gotdx-spr-e4-v4-50806f", "tdx/trustee-v4-00a06d08", "sgx/automata-v3-00606a"];
const QVL_DIRS = ["tdx/dcapqvl-v4-b0c06f", "tdx/dcapqvl-near-v4-20a06f", "sgx/dcapqvl-v3-00a06711"];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function realBodies(kind: "tcbInfo" | "enclaveIdentity"): Json[] {
  const pcs = PCS_DIRS.map((dir) => {
    const file = kind === "tcbInfo" ? "tcb_info.json" : "qe_identity.json";
    return (JSON.parse(readFileSync(fixturePath(`${dir}/${file}`), "utf8")) as Record<string, Json>)[kind]!;
  });
  const qvl = QVL_DIRS.map((dir) => {
    const collateral = JSON.parse(readFileSync(fixturePath(`${dir}/collateral.json`), "utf8")) as Record<string, string>;
    return JSON.parse(kind === "tcbInfo" ? collateral.tcb_info! : collateral.qe_identity!) as Json;
  });
  return [...pcs, ...qvl];
}

/** A v2 (SGX, named components) TCB info made from a real v3 SGX one, so v2 is mutated too. */
function asVersion2(v3: Json): Json {
  const body = structuredClone(v3) as Record<string, Json>;
  delete body.id;
  body.version = 2;
  body.tcbLevels = (body.tcbLevels as Array<Record<string, Json>>).map((level) => {
    const tcb = level.tcb as { sgxtcbcomponents: Array<{ svn: number }>; pcesvn: number };
    const named = Object.fromEntries(tcb.sgxtcbcomponents.map((component, index) => [`sgxtcbcomp${String(index + 1).padStart(2, "0")}svn`, component.svn]));
    return { ...level, tcb: { ...named, pcesvn: tcb.pcesvn } };
  });
  return body;
}

const TCB_INFOS = realBodies("tcbInfo");
const SEEDS = {
  tcbInfo: [...TCB_INFOS, ...TCB_INFOS.filter((body) => (body as { id?: string }).id === "SGX").map(asVersion2)],
  enclaveIdentity: realBodies("enclaveIdentity"),
};

/** Every path to a member or element, so a mutation can land anywhere in the tree. */
function paths(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== "object") return [prefix];
  const keys: Array<string | number> = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
  return [prefix, ...keys.flatMap((key) => paths((value as Record<string, Json>)[key as string]!, [...prefix, key]))];
}

const ODD_VALUES: Json[] = [
  null, true, false, "", "x", "1", -1, 0, 1.5, 15, 255, 256, 65535, 65536, 2 ** 53, 1e300, -1e300,
  "UpToDate", "Revoked", "Fine", "2024-01-01T00:00:00Z", "not a date", "TDX", "SGX", "QE", "TD_QE", "TDX_03", "TDX_0G", "tdx_0a",
  "00", "0".repeat(4), "0".repeat(8), "0".repeat(12), "0".repeat(16), "0".repeat(32), "0".repeat(64), "0".repeat(96), "zz".repeat(6), "0g".repeat(2), "a".repeat(65),
  [], {}, [1], { svn: 1 }, { svn: { svn: 1 } }, [[{ svn: 1 }]], Array.from({ length: 16 }, () => ({ svn: 300 })), Array.from({ length: 257 }, () => "INTEL-SA-00001"),
];

/** Members a mutation may add: unknown ones, and the optional ones whose absence the parsers treat specially. */
const OPTIONAL_KEYS = ["extra", "tdxtcbcomponents", "advisoryIDs", "tdxModule", "tdxModuleIdentities", "id"];

type Mutation = { path: number; kind: "replace" | "delete" | "add" | "nest" | "grow" | "shrink"; value: number };

function mutate(seed: Json, { path, kind, value }: Mutation): Json {
  const copy = structuredClone(seed);
  const all = paths(copy);
  const target = all[path % all.length]!;
  if (target.length === 0) return kind === "replace" ? ODD_VALUES[value % ODD_VALUES.length]! : copy;
  const parent = target.slice(0, -1).reduce<Json>((node, key) => (node as Record<string, Json>)[key as string]!, copy) as Record<string, Json> | Json[];
  const key = target.at(-1)!;
  const current = (parent as Record<string, Json>)[key as string]!;
  const odd = ODD_VALUES[value % ODD_VALUES.length]!;
  if (kind === "replace") (parent as Record<string, Json>)[key as string] = odd;
  else if (kind === "delete") {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (kind === "add") {
    if (Array.isArray(parent)) parent.push(structuredClone(current));
    else parent[OPTIONAL_KEYS[value % OPTIONAL_KEYS.length]!] = odd;
  } else if (kind === "nest") (parent as Record<string, Json>)[key as string] = value % 2 ? [current] : { value: current };
  else if (kind === "grow" && Array.isArray(current)) current.push(...Array.from({ length: 1 + (value % 300) }, () => structuredClone(current[0] ?? null)));
  else if (kind === "shrink" && Array.isArray(current)) current.length = value % Math.max(current.length, 1);
  return copy;
}

function outcome<T>(parse: () => T): { ok: T } | { code: string } {
  try {
    return { ok: parse() };
  } catch (error) {
    if (!(error instanceof TeezkError)) throw error;
    return { code: error.code };
  }
}

const mutation = fc.record({
  path: fc.nat(),
  kind: fc.constantFrom<Mutation["kind"]>("replace", "delete", "add", "nest", "grow", "shrink"),
  value: fc.nat(),
});

describe("parseTcbInfo / parseEnclaveIdentity agree with the zod schema they replaced", () => {
  it("on every real body", () => {
    for (const body of SEEDS.tcbInfo) expect(parseTcbInfo(body, "real")).toEqual(oracleParseTcbInfo(body, "real"));
    for (const body of SEEDS.enclaveIdentity) expect(parseEnclaveIdentity(body, "real")).toEqual(oracleParseEnclaveIdentity(body, "real"));
  });

  it.each([
    ["tcbInfo", parseTcbInfo, oracleParseTcbInfo],
    ["enclaveIdentity", parseEnclaveIdentity, oracleParseEnclaveIdentity],
  ] as const)("on single-point mutations of real %s bodies (same refusals, equal results)", (kind, ours, oracle) => {
    const seeds = SEEDS[kind];
    let refused = 0;
    fc.assert(
      fc.property(fc.nat(seeds.length - 1), mutation, (which, change) => {
        const input = mutate(seeds[which]!, change);
        const expected = outcome(() => oracle(input, "fuzz"));
        const actual = outcome(() => ours(input, "fuzz"));
        if ("code" in expected) refused++;
        expect(actual).toEqual(expected);
      }),
      { numRuns: 3000, seed: 18_04 },
    );
    // The mutations must exercise refusals, not only harmless edits.
    expect(refused).toBeGreaterThan(1000);
  });
});

describe("parseTcbInfo refuses hostile shapes with COLLATERAL_INVALID", () => {
  const tdx = SEEDS.tcbInfo.find((body) => (body as { id?: string }).id === "TDX")!;
  const sgx = SEEDS.tcbInfo.find((body) => (body as { id?: string }).id === "SGX")!;
  const edit = (change: (body: Record<string, any>) => void, seed = tdx): Json => {
    const body = structuredClone(seed) as Record<string, any>;
    change(body);
    return body;
  };
  it.each<[string, Json]>([
    ["an SVN over 255", edit((body) => (body.tcbLevels[0].tcb.sgxtcbcomponents[3].svn = 256))],
    ["an SVN as a string", edit((body) => (body.tcbLevels[0].tcb.sgxtcbcomponents[0].svn = "1"))],
    ["a fractional PCESVN", edit((body) => (body.tcbLevels[0].tcb.pcesvn = 1.5))],
    ["a PCESVN of 1e400 (Infinity)", JSON.parse(JSON.stringify(tdx).replace(/"pcesvn":\d+/, '"pcesvn":1e400')) as Json],
    ["17 components", edit((body) => body.tcbLevels[0].tcb.tdxtcbcomponents.push({ svn: 0 }))],
    ["a component nested one level deeper", edit((body) => (body.tcbLevels[0].tcb.sgxtcbcomponents[0] = { svn: { svn: 1 } }))],
    ["components wrapped in another array", edit((body) => (body.tcbLevels[0].tcb.sgxtcbcomponents = [body.tcbLevels[0].tcb.sgxtcbcomponents]))],
    ["257 TCB levels", edit((body) => (body.tcbLevels = Array.from({ length: 257 }, () => body.tcbLevels[0])))],
    ["no TCB levels", edit((body) => (body.tcbLevels = []))],
    ["257 advisory IDs", edit((body) => (body.tcbLevels[0].advisoryIDs = Array.from({ length: 257 }, () => "INTEL-SA-00001")))],
    ["a 65-character advisory ID", edit((body) => (body.tcbLevels[0].advisoryIDs = ["A".repeat(65)]))],
    ["an unknown TCB status", edit((body) => (body.tcbLevels[0].tcbStatus = "toString"))],
    ["an FMSPC with a non-hex digit", edit((body) => (body.fmspc = `${body.fmspc.slice(0, 11)}g`))],
    ["an FMSPC one byte long", edit((body) => (body.fmspc = "00"))],
    ["a module identity id that is not TDX_<hex>", edit((body) => (body.tdxModuleIdentities[0].id = "TDX_0G"))],
    ["an unparseable nextUpdate", edit((body) => (body.nextUpdate = "soon"))],
    ["a negative tcbType", edit((body) => (body.tcbType = -1))],
    ["a TDX level without tdxtcbcomponents", edit((body) => delete body.tcbLevels[0].tcb.tdxtcbcomponents)],
    ["a null tdxModule", edit((body) => (body.tdxModule = null))],
    ["an SGX level with null tdxtcbcomponents", edit((body) => (body.tcbLevels[0].tcb.tdxtcbcomponents = null), sgx)],
    ["v2 with an id", edit((body) => (body.version = 2))],
    ["an array body", [tdx]],
  ])("%s", (_, body) => {
    expect(outcome(() => parseTcbInfo(body, "attack"))).toEqual({ code: "COLLATERAL_INVALID" });
  });
});
