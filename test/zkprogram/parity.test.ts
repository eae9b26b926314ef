/**
 * Rust ↔ TypeScript parity: the zkVM program's native run (`teezk-zk execute`) must commit exactly the bytes
 * TypeScript's `encodeClaims` produces for the same real evidence, collateral and verification time, and must
 * reject what TypeScript rejects with the same stable code.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeClaims, encodeClaims } from "../../src/claims/index.js";
import type { Hex } from "../../src/util/bytes.js";
import { AMD_OID } from "../../src/evidence/sevsnp/constants.js";
import { derIa5, derUnsigned } from "../../src/tee/simulated/der.js";
import { signSnpReport } from "../../src/tee/simulated/signSnpReport.js";
import { amdName, generateKey, mintCertificate, mintCrl } from "../support/pki.js";
import { TeezkError } from "../../src/errors/index.js";
import { parseNitroDocument, verifyNitroDocument } from "../../src/evidence/nitro/index.js";
import { loadNvidiaCollateral, verifyGpuEvidence } from "../../src/evidence/nvidia/index.js";
import { loadSnpCollateral, verifySnpReport } from "../../src/evidence/sevsnp/index.js";
import { loadDcapCollateral } from "../../src/evidence/tdx/collateral/index.js";
import { verifyDcapQuote } from "../../src/evidence/tdx/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { getDevRoots, simulateEvidence, simulatedRegister } from "../../src/tee/simulated/index.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";

const workspace = join(dirname(fileURLToPath(import.meta.url)), "../../zkprogram");
// TEEZK_ZK_BIN points at an already built teezk-zk (e.g. target/debug) and skips the release build.
const binary = process.env.TEEZK_ZK_BIN ?? join(workspace, "target/release/teezk-zk");
const MAX_BYTES = 256 * 1024;

type Run = { ok: true; journal: string } | { ok: false; code: string };

function execute(args: string[]): Run {
  const result = spawnSync(binary, ["execute", "--mode", "attest", ...args], { encoding: "utf8" });
  if (result.status === 0) return { ok: true, journal: result.stdout.trim() };
  const parsed = JSON.parse(result.stderr.trim().split("\n").pop() ?? "{}") as { code?: string };
  return { ok: false, code: parsed.code ?? `exit ${result.status}` };
}

/** The host's `inspect-gpu`: a GPU report's claims, ABI-encoded, for parity only (the program refuses GPU evidence). */
function inspectGpu(args: string[]): Run {
  const result = spawnSync(binary, ["inspect-gpu", "--mode", "attest", ...args], { encoding: "utf8" });
  if (result.status === 0) return { ok: true, journal: result.stdout.trim() };
  const parsed = JSON.parse(result.stderr.trim().split("\n").pop() ?? "{}") as { code?: string };
  return { ok: false, code: parsed.code ?? `exit ${result.status}` };
}

function tsRun(verify: () => { claims: Parameters<typeof encodeClaims>[0] }): Run {
  try {
    return { ok: true, journal: encodeClaims(verify().claims) };
  } catch (error) {
    if (error instanceof TeezkError) return { ok: false, code: error.code };
    throw error;
  }
}

function evidence(relative: string): Uint8Array {
  return decodeEvidenceInput(readFileSync(fixturePath(relative)), MAX_BYTES).bytes;
}

beforeAll(() => {
  if (process.env.TEEZK_ZK_BIN) return;
  // Reuses zkprogram/target: a no-op when the binary is current. CARGO_BUILD_JOBS=1 keeps the shared box usable.
  execFileSync("cargo", ["build", "--release", "--locked", "-p", "teezk-zk-host"], {
    cwd: workspace,
    stdio: "inherit",
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "1" },
  });
}, 30 * 60_000);

describe("zkprogram parity - Nitro", () => {
  const samples = [
    "nitro/evervault-ga-2023-09/attestation-doc.b64",
    "nitro/evervault-beta-2022-10/attestation-doc.cbor",
    "nitro/eternis-2024-09/attestation-doc.b64",
    "nitro/blocky-debug-2024-09/attestation-doc.b64",
  ];
  for (const sample of samples) {
    it(`${sample}: same journal as encodeClaims at the document time`, () => {
      const bytes = evidence(sample);
      const now = new Date(parseNitroDocument(bytes).timestamp);
      const expected = tsRun(() => verifyNitroDocument({ evidence: bytes, now }));
      expect(expected.ok).toBe(true);
      expect(execute(["--type", "nitro", "--evidence", fixturePath(sample), "--at", now.toISOString()])).toEqual(expected);
    });
  }

  it("rejects what TypeScript rejects, with the same code (NEGATIVE sample, today's date, flipped signature)", () => {
    const sample = "nitro/eternis-2024-09/attestation-doc.b64";
    const bytes = evidence(sample);
    const docTime = new Date(parseNitroDocument(bytes).timestamp);
    const negative = "nitro/eternis-2024-09/NEGATIVE-invalid-attestation-doc.b64";
    const cases: [string, Uint8Array, Date][] = [
      [fixturePath(negative), evidence(negative), docTime],
      [fixturePath(sample), bytes, new Date("2026-01-01T00:00:00Z")],
    ];
    const flipped = bytes.slice();
    flipped[flipped.length - 5]! ^= 0x01;
    const flippedPath = join(workspace, "target", "parity-flipped-nitro.bin");
    spawnSync("mkdir", ["-p", join(workspace, "target")]);
    execFileSync("tee", [flippedPath], { input: flipped, stdio: ["pipe", "ignore", "inherit"] });
    cases.push([flippedPath, flipped, docTime]);
    for (const [path, input, now] of cases) {
      const expected = tsRun(() => verifyNitroDocument({ evidence: input, now }));
      expect(expected.ok).toBe(false);
      expect(execute(["--type", "nitro", "--evidence", path, "--at", now.toISOString()])).toEqual(expected);
    }
  });
});

describe("zkprogram parity - SEV-SNP", () => {
  const roots = fixturePath("roots/amd-sev-snp");
  const samples: [string, string, string][] = [
    ["sev-snp/gosevguest-milan-vcek", "report.bin", "2025-01-01T00:00:00Z"],
    ["sev-snp/trustee-milan-vcek", "report.bin", "2025-01-01T00:00:00Z"],
    ["sev-snp/trustee-milan-vlek", "report.bin", "2025-06-01T00:00:00Z"],
    ["sev-snp/trustee-azure-genoa-hcl", "evidence.json", "2025-06-01T00:00:00Z"],
  ];
  for (const [folder, file, at] of samples) {
    it(`${folder}: same journal as encodeClaims`, () => {
      const now = new Date(at);
      const dirs = [fixturePath(folder), roots];
      const expected = tsRun(() => verifySnpReport({ evidence: evidence(`${folder}/${file}`), now, collateral: loadSnpCollateral(dirs) }));
      expect(expected.ok).toBe(true);
      const args = ["--type", "sevsnp", "--evidence", fixturePath(`${folder}/${file}`), "--at", at, ...dirs.flatMap((dir) => ["--collateral", dir])];
      expect(execute(args)).toEqual(expected);
    });
  }
});

describe("zkprogram parity - TDX and SGX", () => {
  // [folder, evidence file, verification time inside the PCK (and, with collateral, the collateral) window, complete collateral]
  const samples: [string, string, string, boolean][] = [
    ["tdx/dcapqvl-v4-b0c06f", "quote.bin", "2025-06-20T12:00:00Z", true],
    ["tdx/dcapqvl-near-v4-20a06f", "quote.hex", "2025-09-03T00:00:00Z", true],
    ["tdx/automata-v4-00806f05", "quote.bin", "2025-07-08T00:00:00Z", true],
    ["tdx/automata-v5-90c06f", "quote.bin", "2025-06-10T00:00:00Z", false],
    ["tdx/gotdx-spr-e4-v4-50806f", "quote.bin", "2023-06-20T00:00:00Z", false],
    ["tdx/gotdx-cos113-v4-00806f05", "quote.bin", "2024-08-01T00:00:00Z", false],
    ["tdx/trustee-v4-00a06d08", "quote.bin", "2025-10-28T00:00:00Z", false],
    ["sgx/dcapqvl-v3-00a06711", "quote.bin", "2025-06-20T12:00:00Z", true],
    ["sgx/automata-v3-00606a", "quote.hex", "2025-08-16T00:00:00Z", false],
    ["sgx/trustee-occlum-v3-00606a", "quote.bin", "2023-06-01T00:00:00Z", false],
  ];
  for (const [folder, file, at, complete] of samples) {
    const type = folder.split("/")[0]!;
    const path = fixturePath(`${folder}/${file}`);
    it(`${folder}: same journal as encodeClaims without collateral (tcbStatus UNKNOWN)`, () => {
      const expected = tsRun(() => verifyDcapQuote({ evidence: evidence(`${folder}/${file}`), now: new Date(at) }));
      expect(expected.ok).toBe(true);
      expect(execute(["--type", type, "--evidence", path, "--at", at])).toEqual(expected);
    });
    if (complete) {
      it(`${folder}: same journal as encodeClaims with its collateral (TCB status from the collateral)`, () => {
        const collateral = loadDcapCollateral(fixturePath(folder));
        const expected = tsRun(() => verifyDcapQuote({ evidence: evidence(`${folder}/${file}`), now: new Date(at), collateral }));
        expect(expected.ok).toBe(true);
        expect(execute(["--type", type, "--evidence", path, "--at", at, "--collateral", fixturePath(folder)])).toEqual(expected);
      });
    }
  }

  it("both reject a quote with a flipped report-body byte (SIGNATURE_INVALID) and the PCK chain at today's date", () => {
    const folder = "tdx/dcapqvl-v4-b0c06f";
    const bytes = evidence(`${folder}/quote.bin`);
    const flipped = bytes.slice();
    flipped[48 + 520]! ^= 0x01;
    const flippedPath = join(workspace, "target", "parity-flipped-quote.bin");
    execFileSync("tee", [flippedPath], { input: flipped, stdio: ["pipe", "ignore", "inherit"] });
    const at = "2025-06-20T12:00:00Z";
    const expected = tsRun(() => verifyDcapQuote({ evidence: flipped, now: new Date(at) }));
    expect(expected).toEqual({ ok: false, code: "SIGNATURE_INVALID" });
    expect(execute(["--type", "tdx", "--evidence", flippedPath, "--at", at])).toEqual(expected);
    const late = "2033-06-01T00:00:00Z";
    const expectedLate = tsRun(() => verifyDcapQuote({ evidence: bytes, now: new Date(late) }));
    expect(expectedLate.ok).toBe(false);
    expect(execute(["--type", "tdx", "--evidence", fixturePath(`${folder}/quote.bin`), "--at", late])).toEqual(expectedLate);
  });
});

describe("zkprogram parity - NVIDIA", () => {
  const folder = "nvidia-gpu/nvtrust-hopper-sample";
  const at = "2025-01-01T00:00:00Z";
  const args = ["--type", "nvidia", "--evidence", fixturePath(`${folder}/attestation-report.hex`), "--at", at, "--collateral", fixturePath(folder)];

  it(`${folder}: inspected alone, same claims bytes as encodeClaims`, () => {
    const expected = tsRun(() => verifyGpuEvidence({ evidence: evidence(`${folder}/attestation-report.hex`), now: new Date(at), collateral: loadNvidiaCollateral(fixturePath(folder)) }));
    expect(expected.ok).toBe(true);
    expect(inspectGpu(args)).toEqual(expected);
  });

  it("neither makes an enclave of a GPU report alone: GPU_NOT_AN_ENCLAVE from verifyEvidence and from the program", () => {
    const expected = tsRun(() => verifyEvidence({ evidence: evidence(`${folder}/attestation-report.hex`), now: new Date(at), kind: "nvidia", collateralDir: fixturePath(folder) }).evidence);
    expect(expected).toEqual({ ok: false, code: "GPU_NOT_AN_ENCLAVE" });
    expect(execute(args)).toEqual(expected);
    expect(execute(["--type", "nvidia", "--evidence", fixturePath("nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json"), "--at", at])).toEqual(expected);
  });

  it("both reject another session's nonce with GPU_NONCE_MISMATCH", () => {
    const nonce = `0x${"ab".repeat(32)}` as const;
    const expected = tsRun(() =>
      verifyGpuEvidence({ evidence: evidence(`${folder}/attestation-report.hex`), now: new Date(at), collateral: loadNvidiaCollateral(fixturePath(folder)), expectedNonce: nonce }),
    );
    expect(expected).toEqual({ ok: false, code: "GPU_NONCE_MISMATCH" });
    expect(inspectGpu([...args, "--nonce", nonce])).toEqual(expected);
  });
});

/** One temporary folder per run for the evidence and collateral these cases build. */
const scratch = mkdtempSync(join(tmpdir(), "teezk-parity-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const devRoots = () => getDevRoots({ dir: join(scratch, "dev-roots") });

function tsOutcome(run: () => { claims: Parameters<typeof encodeClaims>[0] }): Run {
  return tsRun(run);
}

describe("zkprogram parity - DCAP collateral folders, complete, partial or empty", () => {
  const folders: [string, string, string][] = [
    ["tdx/dcapqvl-v4-b0c06f", "quote.bin", "2025-06-20T12:00:00Z"],
    ["tdx/automata-v4-00806f05", "quote.bin", "2025-07-08T00:00:00Z"],
    ["tdx/automata-v5-90c06f", "quote.bin", "2025-06-10T00:00:00Z"],
    ["tdx/gotdx-spr-e4-v4-50806f", "quote.bin", "2023-06-20T00:00:00Z"],
    ["tdx/gotdx-cos113-v4-00806f05", "quote.bin", "2024-08-01T00:00:00Z"],
    ["tdx/trustee-v4-00a06d08", "quote.bin", "2025-10-28T00:00:00Z"],
    ["sgx/automata-v3-00606a", "quote.hex", "2025-08-16T00:00:00Z"],
    ["sgx/trustee-occlum-v3-00606a", "quote.bin", "2023-06-01T00:00:00Z"],
  ];
  for (const [folder, file, at] of folders) {
    it(`${folder} with --collateral of its own folder: same journal or same code`, () => {
      const type = folder.split("/")[0]!;
      const expected = tsOutcome(() => verifyDcapQuote({ evidence: evidence(`${folder}/${file}`), now: new Date(at), collateral: loadDcapCollateral(fixturePath(folder)) }));
      expect(execute(["--type", type, "--evidence", fixturePath(`${folder}/${file}`), "--at", at, "--collateral", fixturePath(folder)])).toEqual(expected);
    });
  }

  /** A copy of automata-v4's complete Intel PCS folder without `drop`. */
  function copyWithout(drop: string[]): string {
    const dir = mkdtempSync(join(scratch, "dcap-"));
    for (const name of readdirSync(fixturePath("tdx/automata-v4-00806f05"))) {
      if (!drop.includes(name)) copyFileSync(fixturePath(`tdx/automata-v4-00806f05/${name}`), join(dir, name));
    }
    return dir;
  }
  const at = "2025-07-08T00:00:00Z";
  const quote = () => evidence("tdx/automata-v4-00806f05/quote.bin");

  it("without pck_platform_ca.der both take the PCK CA from the quote: same journal", () => {
    const dir = copyWithout(["pck_platform_ca.der"]);
    const expected = tsOutcome(() => verifyDcapQuote({ evidence: quote(), now: new Date(at), collateral: loadDcapCollateral(dir) }));
    expect(expected.ok).toBe(true);
    expect(execute(["--type", "tdx", "--evidence", join(dir, "quote.bin"), "--at", at, "--collateral", dir])).toEqual(expected);
  });

  it("without the CRLs TypeScript appraises with revocation not_checked; the program refuses (COLLATERAL_MISSING), by design", () => {
    const dir = copyWithout(["pck_platform_crl.der", "intel_root_ca_crl.der"]);
    const verified = verifyDcapQuote({ evidence: quote(), now: new Date(at), collateral: loadDcapCollateral(dir) });
    expect(verified.checks).toMatchObject({ tcbInfo: "passed", pckRevocation: "not_checked", rootRevocation: "not_checked" });
    // A journal has no per-check field: the status above would read on-chain as checked against the CRLs.
    expect(execute(["--type", "tdx", "--evidence", join(dir, "quote.bin"), "--at", at, "--collateral", dir])).toEqual({ ok: false, code: "COLLATERAL_MISSING" });
  });
});

describe("zkprogram parity - NVIDIA multi-GPU sets and FWID", () => {
  const set = "nvidia-gpu/nvtrust-ppcie-8xh100/gpu_evidence.json";
  const at = "2025-01-01T00:00:00Z";
  const tsSet = (bytes: Uint8Array, dir?: string) =>
    tsOutcome(() => verifyEvidence({ evidence: bytes, now: new Date(at), kind: "nvidia", ...(dir ? { collateralDir: dir } : {}), inspectStandaloneGpu: true }).evidence);
  const rsSet = (path: string, extra: string[] = []) => inspectGpu(["--type", "nvidia", "--evidence", path, "--at", at, ...extra]);

  it(`${set}: every GPU verified, GPU 0's claims, same journal`, () => {
    const bytes = readFileSync(fixturePath(set));
    const expected = tsSet(bytes);
    expect(expected.ok).toBe(true);
    expect(verifyEvidence({ evidence: bytes, now: new Date(at), kind: "nvidia", inspectStandaloneGpu: true }).gpu).toHaveLength(8);
    expect(rsSet(fixturePath(set))).toEqual(expected);
  });

  it("a set padded with a copy of GPU 0, and a set mixing sessions, are refused with the same codes", () => {
    const gpus = JSON.parse(readFileSync(fixturePath(set), "utf8")) as Record<string, unknown>[];
    const sample = "nvidia-gpu/nvtrust-hopper-sample";
    const other = { evidence: readFileSync(fixturePath(`${sample}/attestation-report.hex`), "utf8").trim(), certificate: readFileSync(fixturePath(`${sample}/cert-chain.pem`), "utf8") };
    for (const [name, doc, code] of [
      ["padded", [gpus[0], gpus[1], gpus[0]], "GPU_EVIDENCE_SET_INVALID"],
      ["mixed", [gpus[0], other], "GPU_NONCE_MISMATCH"],
    ] as const) {
      const path = join(scratch, `gpu-${name}.json`);
      writeFileSync(path, JSON.stringify(doc));
      const expected = tsSet(readFileSync(path));
      expect(expected).toEqual({ ok: false, code });
      expect(rsSet(path)).toEqual(expected);
    }
  });

  it("a GPU report whose FWID is not the one its leaf certifies: GPU_FWID_MISMATCH in both (dev PKI)", () => {
    const roots = devRoots();
    const now = new Date(at);
    const binding = `0x${"5a".repeat(32)}` as const;
    // Same leaf key, another firmware id in the signed report; the chain is the default leaf's (default FWID).
    const genuine = simulateEvidence({ vendor: "nvidia", binding, now, devRoots: roots });
    const otherFwid = `0x${"ee".repeat(48)}` as const;
    expect(otherFwid).not.toBe(simulatedRegister("nvidia", "fwid"));
    const forged = simulateEvidence({ vendor: "nvidia", binding, now, devRoots: roots, registers: { fwid: otherFwid } });
    const dir = mkdtempSync(join(scratch, "gpu-fwid-"));
    writeFileSync(join(dir, "cert-chain.pem"), genuine.collateralFiles!["cert-chain.pem"]!);
    const path = join(dir, "report.bin");
    const root = `0x${genuine.trustedRoot.sha256}`;
    for (const [report, code] of [[genuine.evidence, undefined], [forged.evidence, "GPU_FWID_MISMATCH"]] as const) {
      writeFileSync(path, report);
      const expected = tsOutcome(() =>
        verifyEvidence({ evidence: report, now, kind: "nvidia", collateralDir: dir, extraTrustedRoots: [genuine.trustedRoot], inspectStandaloneGpu: true }).evidence,
      );
      expect(expected.ok ? undefined : (expected as { code: string }).code).toBe(code);
      expect(rsSet(path, ["--collateral", dir, "--extra-trusted-root", root])).toEqual(expected);
    }
  });
});

describe("zkprogram parity - AMD CRLs (ARK-signed list of revoked ASKs), dev PKI", () => {
  it("a current CRL that does not list the ASK passes; listing it is CERT_REVOKED; stale or foreign-signed is CRL_INVALID", () => {
    const roots = devRoots();
    const now = new Date("2025-06-01T00:00:00Z");
    const sim = simulateEvidence({ vendor: "sevsnp", binding: `0x${"3c".repeat(32)}`, now, devRoots: roots });
    const root = `0x${sim.trustedRoot.sha256}`;
    const askSerial = roots.amd.ask.certificate.serialNumber;
    const day = 86_400_000;
    const crl = (overrides: Partial<Parameters<typeof mintCrl>[0]> = {}) =>
      mintCrl({ issuer: roots.amd.ark, revoked: ["7777"], thisUpdate: new Date(now.getTime() - day), nextUpdate: new Date(now.getTime() + day), ...overrides });
    const cases: [string, Uint8Array | undefined, string | undefined][] = [
      ["no CRL", undefined, undefined],
      ["current CRL without the ASK", crl(), undefined],
      ["CRL listing the ASK", crl({ revoked: ["7777", askSerial] }), "CERT_REVOKED"],
      ["stale CRL", crl({ thisUpdate: new Date(now.getTime() - 3 * day), nextUpdate: new Date(now.getTime() - day) }), "CRL_INVALID"],
      ["CRL signed by the ASK's key under the ARK's name", crl({ issuer: { name: roots.amd.ark.certificate, privateKey: roots.amd.ask.privateKey } }), "CRL_INVALID"],
    ];
    const evidencePath = join(scratch, "snp-report.bin");
    writeFileSync(evidencePath, sim.evidence);
    for (const [name, der, code] of cases) {
      const dir = mkdtempSync(join(scratch, "snp-crl-"));
      for (const [file, text] of Object.entries(sim.collateralFiles!)) writeFileSync(join(dir, file), text);
      if (der) writeFileSync(join(dir, "crl.der"), der);
      const expected = tsOutcome(() => verifyEvidence({ evidence: sim.evidence, now, kind: "sevsnp", collateralDir: dir, extraTrustedRoots: [sim.trustedRoot] }).evidence);
      expect(expected.ok ? undefined : (expected as { code: string }).code, name).toBe(code);
      expect(execute(["--type", "sevsnp", "--evidence", evidencePath, "--at", now.toISOString(), "--collateral", dir, "--extra-trusted-root", root]), name).toEqual(expected);
    }
    // The same CRL as PEM inside a .pem file, as AMD KDS serves it, is found too.
    const dir = mkdtempSync(join(scratch, "snp-crl-pem-"));
    for (const [file, text] of Object.entries(sim.collateralFiles!)) writeFileSync(join(dir, file), text);
    const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(crl({ revoked: [askSerial] })).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END X509 CRL-----\n`;
    writeFileSync(join(dir, "crl.pem"), pem);
    const expected = tsOutcome(() => verifyEvidence({ evidence: sim.evidence, now, kind: "sevsnp", collateralDir: dir, extraTrustedRoots: [sim.trustedRoot] }).evidence);
    expect(expected).toEqual({ ok: false, code: "CERT_REVOKED" });
    expect(execute(["--type", "sevsnp", "--evidence", evidencePath, "--at", now.toISOString(), "--collateral", dir, "--extra-trusted-root", root])).toEqual(expected);
  });
});

describe("zkprogram parity - SEV-SNP svn lanes, VMPL and revocation (issue 12 items 3, 7, 13), generated Turin PKI", () => {
  it("a Turin report at VMPL 2 with and without the ARK's CRL: same journal (FMC lane, VMPL in the measurement, UNKNOWN without CRL)", () => {
    const ark = mintCertificate({ subject: amdName("ARK-Turin"), key: "RSA", serial: 1, ca: true });
    const ask = mintCertificate({ subject: amdName("SEV-Turin"), key: "RSA", issuer: ark, serial: 2, ca: true });
    const vcekKey = generateKey("P-384");
    const arkCert = ark.certificate;
    const askCert = ask.certificate;
    const chipId = Uint8Array.from({ length: 64 }, (_, i) => (i * 11 + 5) & 0xff);
    const spl = (oid: string, v: number) => [oid, derUnsigned(v)] as const;
    const vcek = mintCertificate({
      subject: amdName("SEV-VCEK"),
      key: vcekKey,
      issuer: ask,
      serial: 9,
      extensions: Object.fromEntries([[AMD_OID.productName, derIa5("Turin")], spl(AMD_OID.blSpl, 3), spl(AMD_OID.teeSpl, 4), spl(AMD_OID.snpSpl, 25), spl(AMD_OID.ucodeSpl, 0x48), spl(AMD_OID.fmcSpl, 7), [AMD_OID.hwId, chipId.slice(0, 8)]]),
    }).certificate;
    const b = new Uint8Array(readFileSync(fixturePath("sev-snp/gosevguest-milan-vcek/report.bin")));
    const view = new DataView(b.buffer);
    view.setUint32(0, 3, true);
    view.setUint32(0x30, 2, true);
    b[0x0a] = b[0x0a]! & ~0x08;
    b.set([0x1a, 0x02, 0x00], 0x188);
    b.set([7, 3, 4, 25, 0, 0, 0, 0x48], 0x180);
    b.set(chipId, 0x1a0);
    const evidencePath = join(scratch, "turin-vmpl2.bin");
    writeFileSync(evidencePath, signSnpReport(b, vcekKey.privateKey));
    const at = new Date("2030-06-01T00:00:00Z");
    const root = `0x${createHash("sha256").update(arkCert.raw).digest("hex")}`;
    const crl = mintCrl({ issuer: ark, thisUpdate: new Date("2030-05-01"), nextUpdate: new Date("2030-07-01") });
    for (const withCrl of [false, true]) {
      const dir = mkdtempSync(join(scratch, "snp-turin-"));
      writeFileSync(join(dir, "chain.pem"), arkCert.toString() + askCert.toString() + vcek.toString());
      if (withCrl) writeFileSync(join(dir, "crl.der"), crl);
      const expected = tsRun(() => verifySnpReport({ evidence: new Uint8Array(readFileSync(evidencePath)), now: at, collateral: loadSnpCollateral(dir), extraTrustedRoots: [{ name: "test ARK-Turin", sha256: root.slice(2) }] }));
      expect(expected.ok).toBe(true);
      const journal = (expected as { journal: Hex }).journal;
      const claims = decodeClaims(journal);
      expect(claims.svn).toBe(0x48 + 25 * 2 ** 8 + 4 * 2 ** 16 + 3 * 2 ** 24 + 7 * 2 ** 32);
      expect(claims.tcbStatus).toBe(withCrl ? 255 : 254);
      expect(claims.measurement).not.toBe(`0x${createHash("sha256").update(b.subarray(0x90, 0xc0)).digest("hex")}`);
      expect(execute(["--type", "sevsnp", "--evidence", evidencePath, "--at", at.toISOString(), "--collateral", dir, "--extra-trusted-root", root])).toEqual(expected);
    }
  });
});
