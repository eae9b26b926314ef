import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keccak256, toHex } from "viem";
import { afterEach, describe, expect, it } from "vitest";
import { createDecisionsReader, readArchiveDecisions } from "../../src/console/index.js";
import { openArchive, type Archive } from "../../src/store/index.js";

const verifier = "0x00000000000000000000000000000000000000aa";
const minute = (m: number, s = 0) => new Date(Date.UTC(2026, 11, 5, 12, m, s));

describe("the Decisions page's data from a node's archive", () => {
  let archive: Archive;
  afterEach(() => archive?.close());

  function seed(): Archive {
    archive = openArchive(join(mkdtempSync(join(tmpdir(), "teezk-console-decisions-")), "a.sqlite"));
    const verdict = (at: Date, refusal?: string) =>
      archive.recordVerdict({ recordedAt: at, claimsHash: keccak256(toHex(at.toISOString() + (refusal ?? ""))), verifier, accepted: !refusal, payload: refusal ? { refused: { code: refusal, message: "no" } } : {} });
    verdict(minute(0, 1));
    verdict(minute(0, 30), "MEASUREMENT_NOT_ALLOWED");
    verdict(minute(2, 5));
    verdict(minute(2, 6));
    archive.recordKeyRelease({ recordedAt: minute(2, 7), decision: "refused", reasonCodes: ["TCB_STATUS_NOT_ACCEPTED"] });
    return archive;
  }

  it("buckets verdicts and key releases per minute by code (ACCEPTED or the refusal code), newest rows first", () => {
    const d = readArchiveDecisions(seed());
    expect(d.minutes).toEqual([
      { minute: minute(0).getTime(), counts: { ACCEPTED: 1, MEASUREMENT_NOT_ALLOWED: 1 } },
      { minute: minute(2).getTime(), counts: { ACCEPTED: 2, TCB_STATUS_NOT_ACCEPTED: 1 } },
    ]);
    expect(d.codes).toEqual(["ACCEPTED", "MEASUREMENT_NOT_ALLOWED", "TCB_STATUS_NOT_ACCEPTED"]);
    expect(d.totals).toEqual({ ACCEPTED: 3, MEASUREMENT_NOT_ALLOWED: 1, TCB_STATUS_NOT_ACCEPTED: 1 });
    expect(d.decisions.map((x) => x.kind)).toEqual(["key-release", "verdict", "verdict", "verdict", "verdict"]);
    expect(readArchiveDecisions(archive, { code: "MEASUREMENT_NOT_ALLOWED" }).decisions.map((x) => x.code)).toEqual(["MEASUREMENT_NOT_ALLOWED"]);
  });

  it("the cached reader answers a new decision at once: the cache key is the append-only tables' row counts", () => {
    const read = createDecisionsReader(seed());
    expect(read().totals.ACCEPTED).toBe(3);
    archive.recordVerdict({ recordedAt: minute(3), claimsHash: keccak256(toHex("new")), verifier, accepted: false, payload: { refused: { code: "EVIDENCE_TOO_OLD", message: "old" } } });
    expect(read().totals).toMatchObject({ ACCEPTED: 3, EVIDENCE_TOO_OLD: 1 });
    archive.recordKeyRelease({ recordedAt: minute(4), decision: "released", reasonCodes: [] });
    expect(read().totals.ACCEPTED).toBe(4);
  });
});
