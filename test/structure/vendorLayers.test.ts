import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/** The layers above the vendors (DESIGN §2–§4): they see claims, checks and reference values, never one vendor's code. */
const VENDOR_FREE_LAYERS = ["src/claims", "src/policy", "src/chain"];

/** Where vendor code lives: one folder per vendor under each (src/evidence/tdx, src/tee/simulated, …). */
const VENDOR_ROOTS = ["src/evidence", "src/tee"];

/** Module specifiers of a TypeScript file: static, re-export, side-effect and dynamic imports, types included. */
function importSpecifiers(source: string): string[] {
  const pattern = /\bfrom\s+["']([^"']+)["']|\bimport\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;
  return [...source.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** The vendor folder a repository-relative path lies in (`src/evidence/sevsnp`), or undefined. */
function vendorFolderOf(path: string): string | undefined {
  for (const root of VENDOR_ROOTS) {
    const [vendor, ...rest] = path.startsWith(`${root}/`) ? path.slice(root.length + 1).split("/") : [];
    if (vendor !== undefined && rest.length > 0) return `${root}/${vendor}`;
  }
  return undefined;
}

/** "file → vendor module" for every import of `file` (repository-relative) that reaches into a vendor folder. */
function vendorImportsOf(file: string, source: string): string[] {
  return importSpecifiers(source)
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => relative(repo, resolve(repo, dirname(file), specifier)).replace(/\\/g, "/"))
    .filter((target) => vendorFolderOf(target) !== undefined)
    .map((target) => `${file} → ${target}`);
}

describe("vendor code stays in its folder", () => {
  it("tells a vendor module from a vendor-neutral one, through relative paths and every import form", () => {
    expect(vendorImportsOf("src/policy/appraise.ts", 'import { SNP_PINNED_ROOTS } from "../evidence/sevsnp/pinnedRoots.js";')).toEqual([
      "src/policy/appraise.ts → src/evidence/sevsnp/pinnedRoots.js",
    ]);
    expect(vendorImportsOf("src/chain/x.ts", 'import type { C } from "../evidence/tdx/collateral/index.js";')).toEqual(["src/chain/x.ts → src/evidence/tdx/collateral/index.js"]);
    expect(vendorImportsOf("src/chain/x.ts", 'export { a } from "../tee/simulated/index.js";\nawait import("../evidence/nitro/verify.js");')).toHaveLength(2);
    // The vendor-neutral files at the top of src/evidence and src/tee (dispatch, shared types) are not a vendor's.
    expect(vendorImportsOf("src/claims/x.ts", 'import type { V } from "../evidence/types.js";\nimport { detectTee } from "../tee/detectTee.js";\nimport { z } from "zod";')).toEqual([]);
  });

  it("src/claims, src/policy and src/chain import no src/evidence/<vendor>/ or src/tee/<vendor>/ module", () => {
    const leaks: string[] = [];
    let files = 0;
    for (const layer of VENDOR_FREE_LAYERS) {
      for (const name of readdirSync(join(repo, layer), { recursive: true }) as string[]) {
        if (!name.endsWith(".ts")) continue;
        files++;
        const file = `${layer}/${name.replace(/\\/g, "/")}`;
        leaks.push(...vendorImportsOf(file, readFileSync(join(repo, file), "utf8")));
      }
    }
    expect(files).toBeGreaterThan(50);
    expect(leaks).toEqual([]);
  });
});
