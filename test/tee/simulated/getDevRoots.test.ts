import { createHash, createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyNitroDocument } from "../../../src/evidence/nitro/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { isTeezkError } from "../../../src/errors/index.js";
import { devRootPin, getDevRoots, simulateEvidence, type DevRoots } from "../../../src/tee/simulated/index.js";

const binding = `0x${"ab".repeat(32)}` as const;
let base: string;
let first: DevRoots;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), "teezk-devroots-"));
  first = getDevRoots({ dir: join(base, "roots") });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const fileSha256 = (path: string) => createHash("sha256").update(new X509Certificate(readFileSync(path)).raw).digest("hex");

describe("getDevRoots", () => {
  it("keeps every PKI as certificate PEM + PKCS#8 key PEM, and the pins are the SHA-256 of the root files", () => {
    const dir = join(base, "roots");
    for (const [family, rootName] of [["nitro", "root"], ["intel", "root"], ["amd", "ark"], ["nvidia", "root"]] as const) {
      const key = readFileSync(join(dir, family, `${rootName}.key.pem`), "latin1");
      expect(key).toContain("-----BEGIN PRIVATE KEY-----");
      expect(createPrivateKey(key).asymmetricKeyType).toBe(family === "amd" ? "rsa" : "ec");
      const vendor = family === "intel" ? "tdx" : family === "amd" ? "sevsnp" : family;
      expect(devRootPin(first, vendor).sha256).toBe(fileSha256(join(dir, family, `${rootName}.crt.pem`)));
    }
    expect(readFileSync(join(dir, "README.txt"), "utf8")).toContain("NOT FOR PRODUCTION");
  });

  it("reuses the stored PKI: a second call has the same fingerprints, and evidence from one verifies with the other's pin", () => {
    const again = getDevRoots({ dir: join(base, "roots") });
    for (const vendor of ["nitro", "tdx", "sgx", "sevsnp", "nvidia"] as const) {
      expect(devRootPin(again, vendor)).toEqual(devRootPin(first, vendor));
    }
    const now = new Date();
    const sim = simulateEvidence({ vendor: "nitro", binding, devRoots: first, now });
    expect(verifyNitroDocument({ evidence: sim.evidence, now, extraTrustedRoots: [devRootPin(again, "nitro")] }).claims.reportData).toBe(binding);
    const quote = simulateEvidence({ vendor: "tdx", binding, devRoots: again });
    expect(verifyDcapQuote({ evidence: quote.evidence, now, extraTrustedRoots: [devRootPin(first, "tdx")] }).claims.reportData).toBe(binding);
  });

  it("a different folder gets a different root, which the first folder's pin does not trust", () => {
    const other = getDevRoots({ dir: join(base, "other") });
    expect(devRootPin(other, "nitro").sha256).not.toBe(devRootPin(first, "nitro").sha256);
    const now = new Date();
    const sim = simulateEvidence({ vendor: "nitro", binding, devRoots: other, now });
    try {
      verifyNitroDocument({ evidence: sim.evidence, now, extraTrustedRoots: [devRootPin(first, "nitro")] });
      expect.unreachable();
    } catch (error) {
      expect(isTeezkError(error, "ROOT_NOT_TRUSTED")).toBe(true);
    }
  });

  it("defaults to $TEEZK_HOME/dev-roots", () => {
    const home = join(base, "home");
    const roots = getDevRoots({ env: { TEEZK_HOME: home } });
    expect(roots.dir).toBe(join(home, "dev-roots"));
    expect(devRootPin(roots, "sgx").sha256).toBe(fileSha256(join(home, "dev-roots", "intel", "root.crt.pem")));
  });

  it("refuses a damaged PKI with CONFIG_INVALID instead of replacing the root", () => {
    const dir = join(base, "damaged");
    getDevRoots({ dir });
    writeFileSync(join(dir, "nvidia", "leaf.key.pem"), readFileSync(join(dir, "nvidia", "root.key.pem")));
    try {
      getDevRoots({ dir });
      expect.unreachable();
    } catch (error) {
      expect(isTeezkError(error, "CONFIG_INVALID")).toBe(true);
    }
  });
});
