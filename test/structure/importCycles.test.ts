import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const repo = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Areas whose cycles are being removed by another change of issue 13 (the CLI's move into commands/<group>/ with
 * CliIo, ExitCode and UsageError in their own module; the services' split into routes, domain step and wire
 * protocol). A cycle is tolerated only when every file in it lies in one of them; delete an entry once its area
 * draws no cycle.
 */
const AREAS_BEING_UNTANGLED: string[] = [];

/** Relative imports of a TypeScript file: `import … from`, `export … from`, side-effect and dynamic imports, types included. */
function relativeImports(source: string): string[] {
  const pattern = /\bfrom\s+["'](\.{1,2}\/[^"']+)["']|\bimport\s+["'](\.{1,2}\/[^"']+)["']|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/g;
  return [...source.matchAll(pattern)].map((match) => (match[1] ?? match[2] ?? match[3])!);
}

/** The library and the two deployment paths it imports (src/devnet → ignition/ → deploy/ → src/chain). */
const DRAWN_FOLDERS = ["src", "deploy", "ignition"];

/** Those folders as a graph: each .ts file (repository-relative) to the files of those folders it imports. */
function drawImportGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = DRAWN_FOLDERS.flatMap((folder) =>
    (readdirSync(join(repo, folder), { recursive: true }) as string[]).filter((file) => file.endsWith(".ts")).map((file) => join(repo, folder, file)),
  );
  for (const file of files) {
    const targets = relativeImports(readFileSync(file, "utf8")).map((specifier) => relative(repo, resolve(dirname(file), specifier.replace(/\.js$/, ".ts"))));
    graph.set(relative(repo, file), targets.filter((target) => DRAWN_FOLDERS.some((folder) => target.startsWith(`${folder}/`))));
  }
  return graph;
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const order = new Map<string, number>();
  const lowest = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    order.set(file, counter);
    lowest.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue;
      if (!order.has(next)) {
        visit(next);
        lowest.set(file, Math.min(lowest.get(file)!, lowest.get(next)!));
      } else if (onStack.has(next)) lowest.set(file, Math.min(lowest.get(file)!, order.get(next)!));
    }
    if (lowest.get(file) !== order.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || graph.get(file)!.includes(file)) cycles.push(component.sort());
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return cycles;
}

describe("the import graph of src/ (and deploy/, ignition/)", () => {
  it("finds a cycle when there is one, across folders and through a file importing itself", () => {
    const graph = new Map([
      ["src/a/x.ts", ["src/b/y.ts"]],
      ["src/b/y.ts", ["src/c/z.ts"]],
      ["src/c/z.ts", ["src/a/x.ts"]],
      ["src/d/leaf.ts", []],
      ["src/e/self.ts", ["src/e/self.ts"]],
    ]);
    expect(findCycles(graph)).toEqual([["src/a/x.ts", "src/b/y.ts", "src/c/z.ts"], ["src/e/self.ts"]]);
    expect(relativeImports('import type { A } from "../a/x.js";\nexport {\n  b,\n} from "./b.js";\nimport "./side.js";\nawait import("../lazy.js");\nimport { c } from "viem";')).toEqual([
      "../a/x.js",
      "./b.js",
      "./side.js",
      "../lazy.js",
    ]);
  });

  it("has no cycle outside the areas issue 13 is untangling", () => {
    const graph = drawImportGraph();
    expect(graph.size).toBeGreaterThan(300);
    const outside = findCycles(graph).filter((cycle) => !cycle.every((file) => AREAS_BEING_UNTANGLED.some((area) => file.startsWith(area))));
    expect(outside).toEqual([]);
  });

  it("between src/'s top-level folders (the steps of the flow), deploy/ and ignition/ has no cycle at all", () => {
    const folderOf = (file: string) => (file.startsWith("src/") ? file.split("/").slice(0, 2).join("/") : file.split("/")[0]!);
    const folders = new Map<string, string[]>();
    for (const [file, targets] of drawImportGraph()) {
      const from = folderOf(file);
      const to = targets.map(folderOf).filter((folder) => folder !== from && !folder.endsWith(".ts"));
      folders.set(from, [...new Set([...(folders.get(from) ?? []), ...to])]);
    }
    expect(folders.get("src/chain")).toContain("src/claims");
    expect(folders.get("ignition")).toContain("deploy");
    expect(findCycles(folders)).toEqual([]);
  });
});
