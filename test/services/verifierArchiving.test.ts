import { cpSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTeezkError, type TeezkError } from "../../src/errors/index.js";
import { loadCollateral, verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { createArchiveBatcher, createCollateralCache } from "../../src/services/verifier/index.js";
import { openArchive, type Archive } from "../../src/store/index.js";
import { sample, sampleCollateral, sampleFile } from "./support/realEvidence.js";

const evidenceInput = (byte: number) => ({ evidence: new Uint8Array([byte, byte]), source: "test" });

function caught(fn: () => unknown): TeezkError {
  try {
    fn();
  } catch (error) {
    if (isTeezkError(error)) return error;
    throw error;
  }
  throw new Error("expected a TeezkError");
}

describe("archive transactions and the verifier's group commit", () => {
  let dir: string;
  let archive: Archive;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-batch-"));
    archive = openArchive(join(dir, "archive.sqlite"));
  });
  afterAll(() => {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("archive.transaction commits all of fn's records together, or none of them", () => {
    const before = archive.count("evidence");
    const ids = archive.transaction(() => [archive.recordEvidence(evidenceInput(1)).id, archive.recordEvidence(evidenceInput(2)).id]);
    expect(archive.count("evidence")).toBe(before + 2);
    expect(ids.every((id) => archive.get("evidence", id) !== undefined)).toBe(true);

    const failed = caught(() =>
      archive.transaction(() => {
        archive.recordEvidence({ ...evidenceInput(3), id: "kept-out" });
        archive.recordEvidence({ ...evidenceInput(4), id: ids[0]! }); // conflicts
      }),
    );
    expect(failed.code).toBe("ARCHIVE_CONFLICT");
    expect(archive.get("evidence", "kept-out")).toBeUndefined();
    expect(archive.count("evidence")).toBe(before + 2);

    expect(caught(() => archive.transaction(() => archive.transaction(() => 1))).code).toBe("ARCHIVE_WRITE_FAILED");
    expect(caught(() => archive.transaction(() => Promise.resolve(1))).code).toBe("ARCHIVE_WRITE_FAILED");
    // Still usable after each failure.
    expect(archive.transaction(() => archive.recordEvidence(evidenceInput(5)).id)).toMatch(/./);
  });

  it("the batcher commits decisions queued together in one transaction; a failing decision fails alone", async () => {
    const batcher = createArchiveBatcher({ archive });
    const before = archive.count("evidence");
    const results = await Promise.allSettled([
      batcher.record((into) => into.recordEvidence({ ...evidenceInput(6), id: "batch-a" }).id),
      batcher.record((into) => {
        into.recordEvidence({ ...evidenceInput(7), id: "batch-half" });
        return into.recordEvidence({ ...evidenceInput(8), id: "batch-a" }).id; // conflicts with the first
      }),
      batcher.record((into) => into.recordEvidence({ ...evidenceInput(9), id: "batch-c" }).id),
    ]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.code).toBe("ARCHIVE_CONFLICT");
    expect(archive.get("evidence", "batch-half")).toBeUndefined();
    expect(archive.count("evidence")).toBe(before + 2);
  });

  it("a closed archive fails every queued decision with ARCHIVE_WRITE_FAILED", async () => {
    const closed = openArchive(join(dir, "closed.sqlite"));
    closed.close();
    const batcher = createArchiveBatcher({ archive: closed });
    const results = await Promise.allSettled([batcher.record((into) => into.recordEvidence(evidenceInput(1))), batcher.record((into) => into.recordEvidence(evidenceInput(2)))]);
    expect(results.map((result) => (result as PromiseRejectedResult).reason?.code)).toEqual(["ARCHIVE_WRITE_FAILED", "ARCHIVE_WRITE_FAILED"]);
  });
});

describe("collateral parsed once per service (createCollateralCache, verifyEvidence collateral)", () => {
  const tdx = sample("tdx/dcapqvl-v4-b0c06f");
  const quote = sampleFile(tdx);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-collateral-"));
    cpSync(sampleCollateral(tdx)[0]!, join(dir, "tdx"), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("preloaded collateral verifies exactly like the folder, at the evidence's time and (expired) today", () => {
    const at = new Date(tdx.at);
    const fromFolder = verifyEvidence({ evidence: quote, now: at, collateralDir: join(dir, "tdx") });
    const loaded = loadCollateral("tdx", join(dir, "tdx"))!;
    const fromLoaded = verifyEvidence({ evidence: quote, now: at, collateral: loaded });
    expect(fromLoaded.evidence.claims).toEqual(fromFolder.evidence.claims);
    expect(fromLoaded.evidence.checks).toEqual(fromFolder.evidence.checks);
    expect(caught(() => verifyEvidence({ evidence: quote, now: new Date(), collateral: loaded })).code).toBe("COLLATERAL_EXPIRED");
    expect(loadCollateral("nitro", join(dir, "tdx"))).toBeUndefined();
    const nitro = sample("nitro/evervault-beta-2022-10");
    expect(caught(() => verifyEvidence({ evidence: sampleFile(nitro), now: new Date(nitro.at), collateral: loaded })).code).toBe("CONFIG_INVALID");
  });

  it("reuses the parsed collateral, reloads when the folder changes or the refresh time passes, and fails with the loader's code", () => {
    let now = new Date(tdx.at);
    const cache = createCollateralCache({ collateral: { tdx: join(dir, "tdx") }, refreshMs: 60_000, clock: () => now });
    const first = cache.resolve(quote, undefined);
    expect(first.kind).toBe("tdx");
    expect(cache.resolve(quote, "tdx").collateral).toBe(first.collateral);
    // Nitro evidence gets no collateral from a tdx-only cache.
    const nitro = sample("nitro/evervault-beta-2022-10");
    expect(cache.resolve(sampleFile(nitro), undefined)).toMatchObject({ kind: "nitro" });
    expect(cache.resolve(sampleFile(nitro), undefined).collateral).toBeUndefined();

    now = new Date(now.getTime() + 61_000);
    const refreshed = cache.resolve(quote, "tdx").collateral;
    expect(refreshed).not.toBe(first.collateral);
    expect(cache.resolve(quote, "tdx").collateral).toBe(refreshed);

    // A file renamed into place (how fetchers update) changes the folder's mtime: reloaded at once.
    const file = join(dir, "tdx", "collateral.json");
    writeFileSync(`${file}.new`, "{ not json");
    renameSync(`${file}.new`, file);
    expect(caught(() => cache.resolve(quote, "tdx")).code).toBe("COLLATERAL_INVALID");
    cpSync(join(sampleCollateral(tdx)[0]!, "collateral.json"), `${file}.new`);
    renameSync(`${file}.new`, file);
    expect(cache.resolve(quote, "tdx").collateral).toBeDefined();
    expect(readFileSync(file).length).toBeGreaterThan(0);
  });
});
