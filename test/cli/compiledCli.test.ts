import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cliBuildProblem, cliMetafileFile, cliOutDir } from "../../scripts/cli/buildCli.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { openArchive } from "../../src/store/index.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "bin", "teezk.js");
const recorder = fileURLToPath(new URL("./support/recordLoadedModules.mjs", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "teezk-compiled-cli-"));
const tdxArgs = ["verify", fixturePath("tdx/dcapqvl-v4-b0c06f/quote.bin"), "--collateral", fixturePath("tdx/dcapqvl-v4-b0c06f"), "--at", "2025-06-20T12:00:00Z", "--json"];

/** Runs bin/teezk.js with `args`; returns its output and every module it loaded (built-ins as node:…). */
function runRecorded(args: string[]): { status: number | null; stdout: string; stderr: string; modules: string[] } {
  const record = join(dir, `modules-${Math.random().toString(36).slice(2)}.txt`);
  const result = spawnSync(process.execPath, ["--import", recorder, bin, ...args], { encoding: "utf8", env: { ...process.env, TEEZK_RECORD_MODULES: record, TEEZK_CLI_FROM_SOURCE: "" } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, modules: readFileSync(record, "utf8").split("\n") };
}

/** The source files (repository-relative, node_modules/… for packages) inside the compiled chunks a run loaded. */
function compiledInputs(modules: readonly string[]): string[] {
  const metafile = JSON.parse(readFileSync(cliMetafileFile, "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  const byChunk = new Map(Object.entries(metafile.outputs).map(([output, { inputs }]) => [output.split("/").pop()!, Object.keys(inputs)]));
  const distPrefix = new URL(`file://${cliOutDir}/`).href;
  return modules.filter((url) => url.startsWith(distPrefix)).flatMap((url) => byChunk.get(url.slice(distPrefix.length)) ?? []);
}

/** hardhat, snarkjs, and viem's clients, actions and accounts: what a chain or proving command loads and verify must not. */
const heavyModule = /(^|\/)node_modules\/(hardhat|@nomicfoundation|snarkjs|ffjavascript|viem\/_esm\/(clients|actions|accounts))\//;

describe("the compiled CLI", () => {
  it("is built from the sources as they are now (every compiled file's digest matches)", () => {
    expect(cliBuildProblem()).toBeUndefined();
  });

  it("is what bin/teezk.js runs: dist/cli/main.js loads, no TypeScript and no tsx, nothing on stderr", () => {
    const run = runRecorded(["--help"]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Usage: teezk /);
    expect(run.stderr).toBe("");
    expect(run.modules).toContain(new URL(`file://${cliOutDir}/main.js`).href);
    expect(run.modules.filter((url) => url.endsWith(".ts") || url.includes("/node_modules/tsx/"))).toEqual([]);
  });

  it("--help loads no command: no verifier, no viem, hardhat or snarkjs, no node:sqlite", () => {
    const run = runRecorded(["--help"]);
    expect(run.modules).not.toContain("node:sqlite");
    const inputs = compiledInputs(run.modules);
    expect(inputs.filter((input) => /node_modules\/viem\//.test(input) || heavyModule.test(input))).toEqual([]);
    expect(inputs).not.toContain("src/evidence/verifyEvidence.ts");
  });

  it("verify loads the verifiers and viem's ABI encoding (the claims' encoding), but no viem client, hardhat, snarkjs or node:sqlite, and prints only its answer", () => {
    const run = runRecorded(tdxArgs);
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, type: "tdx" });
    expect(run.stderr).toBe("");
    const inputs = compiledInputs(run.modules);
    expect(inputs).toContain("src/evidence/tdx/verifyDcapQuote.ts");
    expect(inputs.filter((input) => heavyModule.test(input))).toEqual([]);
    expect(run.modules).not.toContain("node:sqlite");
  });

  it("archive export loads node:sqlite without printing its ExperimentalWarning", () => {
    const file = join(dir, "archive.sqlite");
    openArchive(file).close();
    const run = runRecorded(["archive", "export", "--archive", file]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.modules).toContain("node:sqlite");
    expect(run.stderr).toBe("");
  });
});

describe("bin/teezk.js with a compiled CLI that is missing or stale", () => {
  /** A copy of bin/teezk.js beside a stand-in dist/cli and src/cli/main.ts that each say which one ran. */
  function standInCheckout(buildInfo: { builtAt: number; sources: Record<string, string> } | undefined): string {
    const root = mkdtempSync(join(dir, "checkout-"));
    mkdirSync(join(root, "bin"));
    copyFileSync(bin, join(root, "bin", "teezk.js"));
    symlinkSync(join(repo, "node_modules"), join(root, "node_modules"));
    mkdirSync(join(root, "src", "cli"), { recursive: true });
    writeFileSync(join(root, "src", "cli", "main.ts"), 'export async function main(): Promise<number> { process.stdout.write("sources\\n"); return 0; }\n');
    utimesSync(join(root, "src", "cli", "main.ts"), 1_000, 1_000);
    mkdirSync(join(root, "dist", "cli"), { recursive: true });
    writeFileSync(join(root, "dist", "cli", "main.js"), 'export async function main() { process.stdout.write("compiled\\n"); return 0; }\n');
    if (buildInfo) writeFileSync(join(root, "dist", "cli", "build-info.json"), JSON.stringify(buildInfo));
    return root;
  }
  const run = (root: string) => spawnSync(process.execPath, [join(root, "bin", "teezk.js")], { encoding: "utf8", env: { ...process.env, TEEZK_CLI_FROM_SOURCE: "" } });

  it("runs the compiled CLI when every source is older than the build", () => {
    const result = run(standInCheckout({ builtAt: 2_000_000, sources: { "src/cli/main.ts": "" } }));
    expect({ stdout: result.stdout, stderr: result.stderr }).toEqual({ stdout: "compiled\n", stderr: "" });
  });

  it("says so and runs the sources when a source changed after the build", () => {
    const result = run(standInCheckout({ builtAt: 500_000, sources: { "src/cli/main.ts": "" } }));
    expect(result.stdout).toBe("sources\n");
    expect(result.stderr).toMatch(/^teezk: src\/cli\/main\.ts changed after the CLI was compiled; running the TypeScript sources through tsx/);
  });

  it("says so and runs the sources when a compiled source is gone or the build is missing", () => {
    const gone = run(standInCheckout({ builtAt: 2_000_000, sources: { "src/cli/removed.ts": "" } }));
    expect(gone.stdout).toBe("sources\n");
    expect(gone.stderr).toMatch(/^teezk: src\/cli\/removed\.ts is gone since the CLI was compiled/);
    const missing = run(standInCheckout(undefined));
    expect(missing.stdout).toBe("sources\n");
    expect(missing.stderr).toMatch(/^teezk: the compiled CLI \(dist\/cli\) is missing/);
  });
});

describe("npx teezk", () => {
  it("resolves to bin/teezk.js", () => {
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { bin: Record<string, string> };
    expect(pkg.bin.teezk).toBe("bin/teezk.js");
    expect(execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8" })).toMatch(/^Usage: teezk /);
  });
});
