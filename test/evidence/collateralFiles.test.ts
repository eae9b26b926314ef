import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { claimsToJson } from "../../src/claims/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { collateralFileSet } from "../../src/evidence/collateralFiles.js";
import { MAX_COLLATERAL_FILE_BYTES } from "../../src/evidence/tdx/collateral/index.js";
import { loadCollateral, loadCollateralFileSets, verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { realSamples } from "../../src/fixtures/realSamples.js";

/** A folder's plain files as a value, the way an HTTP answer would carry them. */
function filesOf(dir: string): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(dir)) {
    if (statSync(join(dir, name)).isFile()) files[name] = new Uint8Array(readFileSync(join(dir, name)));
  }
  return files;
}

function outcome(run: () => ReturnType<typeof verifyEvidence>): unknown {
  try {
    const verified = run();
    return { claims: claimsToJson(verified.evidence.claims), checks: verified.evidence.checks, gpu: verified.gpu?.map((gpu) => claimsToJson(gpu.claims)) };
  } catch (error) {
    if (isTeezkError(error)) return { code: error.code };
    throw error;
  }
}

describe("collateral as values: in-memory sets load exactly as the same files in folders", () => {
  const withCollateral = realSamples.filter((sample) => sample.collateral !== undefined);

  it.each(withCollateral.map((sample) => [sample.id, sample] as const))("%s: same claims and checks from memory as from the folders", (_id, sample) => {
    const evidence = new Uint8Array(readFileSync(fixturePath(sample.evidence)));
    const folders = sample.collateral!.map(fixturePath);
    const now = new Date(sample.at);
    const inspect = sample.kind === "nvidia" ? { inspectStandaloneGpu: true } : {};
    const fromFolders = outcome(() => verifyEvidence({ evidence, now, kind: sample.kind, collateral: loadCollateral(sample.kind, folders)!, ...inspect }));
    const fromMemory = outcome(() => verifyEvidence({ evidence, now, kind: sample.kind, collateral: loadCollateralFileSets(sample.kind, folders.map(filesOf))!, ...inspect }));
    expect(fromFolders).not.toHaveProperty("code");
    expect(fromMemory).toEqual(fromFolders);
  });

  it("a tampered TCB info received in memory is refused with the code the same file in a folder gets", () => {
    const sample = realSamples.find((candidate) => candidate.id === "tdx/dcapqvl-v4-b0c06f")!;
    const evidence = new Uint8Array(readFileSync(fixturePath(sample.evidence)));
    const files = filesOf(fixturePath(sample.collateral![0]!));
    // collateral.json (the dcap-qvl layout) carries the TCB info as a signed JSON string: change one TCB level's date.
    const json = Buffer.from(files["collateral.json"]!).toString("utf8");
    const tampered = json.replace(/tcbDate\\":\\"20/, 'tcbDate\\":\\"19');
    expect(tampered).not.toBe(json);
    const code = outcome(() =>
      verifyEvidence({ evidence, now: new Date(sample.at), kind: "tdx", collateral: loadCollateralFileSets("tdx", [{ ...files, "collateral.json": tampered }])! }),
    );
    expect(code).toMatchObject({ code: expect.stringMatching(/SIGNATURE|COLLATERAL/) });
  });

  it("caps an in-memory file like a file on disk: COLLATERAL_INVALID over the collateral file cap", () => {
    const oversized = { "tcb_info.json": new Uint8Array(MAX_COLLATERAL_FILE_BYTES + 1) };
    expect(() => loadCollateralFileSets("tdx", [oversized])).toThrowError(expect.objectContaining({ code: "COLLATERAL_INVALID" }));
  });

  it("refuses a received file name that is a path (../, /, a leading dot): COLLATERAL_INVALID before anything is parsed", () => {
    for (const name of ["../tcb_info.json", "/etc/passwd", ".hidden", "a/b.pem", ""]) {
      expect(() => collateralFileSet("served", { [name]: "x" }), name).toThrowError(expect.objectContaining({ code: "COLLATERAL_INVALID" }));
    }
  });

  it("earlier sets win for items both hold, as earlier folders do: a served copy cannot replace the caller's own", () => {
    const sample = realSamples.find((candidate) => candidate.id === "tdx/automata-v4-00806f05")!;
    const evidence = new Uint8Array(readFileSync(fixturePath(sample.evidence)));
    const own = filesOf(fixturePath(sample.collateral![0]!));
    const text = Buffer.from(own["tcb_info.json"]!).toString("utf8");
    const forged = { "tcb_info.json": text.replace(/"tcbDate":"20/, '"tcbDate":"19') };
    expect(forged["tcb_info.json"]).not.toBe(text);
    const now = new Date(sample.at);
    const verify = (sets: Record<string, Uint8Array | string>[]) => outcome(() => verifyEvidence({ evidence, now, kind: "tdx", collateral: loadCollateralFileSets("tdx", sets)! }));
    const good = verify([own]);
    expect(good).not.toHaveProperty("code");
    expect(verify([own, forged])).toEqual(good);
    expect(verify([forged, own])).toMatchObject({ code: expect.any(String) });
  });
});
