import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

/**
 * Compiles the CLI (src/cli/main.ts and everything it imports, node_modules included) into dist/cli as ES modules
 * split per command: bin/teezk.js loads main.js, and each command's code is a chunk loaded when that command
 * runs. Run by `npm ci` (the `prepare` script), `npm run build:cli` and the test setup, so the compiled CLI is the
 * one the tests run. Writes dist/cli/build-info.json: the digest of every source file it compiled, which
 * bin/teezk.js and test/cli/compiledCli.test.ts check against the sources.
 */

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
/**
 * Two folders below the root, like src/<folder>/: modules that find repository files from their own location
 * (circuits/build, zkprogram/target, ../shared/fixtures) resolve them the same from dist/cli/ as from src/….
 */
export const cliOutDir = join(repoRoot, "dist", "cli");
export const cliBuildInfoFile = join(cliOutDir, "build-info.json");
/** esbuild's metafile: which inputs each chunk holds (test/cli/compiledCli.test.ts reads what a command loaded). */
export const cliMetafileFile = join(cliOutDir, "metafile.json");
const entry = "src/cli/main.ts";
/** The build's own inputs besides the sources: changing how the CLI is compiled makes it stale too. */
const buildInputs = ["scripts/cli/buildCli.ts", "package-lock.json"];

/** Run in its own process (child_process.fork of a file), and snarkjs loads its wasm and workers from its package. */
const external = ["snarkjs"];

/** A file a module opens beside itself: `new URL("./schema.sql", import.meta.url)`. Copied next to the chunks. */
const siblingFile = /new URL\(\s*["']\.\/([\w.-]+)["']\s*,\s*import\.meta\.url\s*\)/g;
/** A copied plain-JavaScript file's own relative import (`from "./nativeGroth16Process.mjs"`): copied beside it too. */
const siblingImport = /\bfrom\s*["']\.\/([\w.-]+\.mjs)["']/g;

export type CliBuildInfo = {
  /** Date.now() before the sources were read: a source modified later makes the build stale. */
  builtAt: number;
  /** Repository-relative path → sha256 (hex) of every first-party file the build compiled or copied. */
  sources: Record<string, string>;
};

/** Compiles into a fresh folder and swaps it in, so a CLI started meanwhile sees the old build or the new one. */
export async function buildCli(): Promise<CliBuildInfo> {
  const builtAt = Date.now();
  const staging = `${cliOutDir}.building-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: repoRoot,
    entryPoints: { main: entry },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    outdir: staging,
    chunkNames: "[name]-[hash]",
    external,
    // Bundled CommonJS packages call require() for Node's built-ins; ES modules have no require of their own.
    banner: { js: 'import { createRequire as __teezkCreateRequire } from "node:module"; const require = __teezkCreateRequire(import.meta.url);' },
    metafile: true,
    logLevel: "warning",
    plugins: [viemDeepImports()],
  });
  const firstParty = Object.keys(result.metafile.inputs).filter((input) => !input.split(/[\\/]/).includes("node_modules"));
  const copied = copySiblingFiles(firstParty, staging);
  const sources: Record<string, string> = {};
  for (const file of [...firstParty, ...copied, ...buildInputs].sort()) sources[file] = digestFile(file);
  const info: CliBuildInfo = { builtAt, sources };
  writeFileSync(join(staging, "build-info.json"), `${JSON.stringify(info, null, 1)}\n`);
  writeFileSync(join(staging, "metafile.json"), JSON.stringify(result.metafile));
  rmSync(cliOutDir, { recursive: true, force: true });
  renameSync(staging, cliOutDir);
  return info;
}

/**
 * Why dist/cli is not the compiled form of the sources as they are now (not built, or a source's content differs
 * from what was compiled), or undefined when it is. Content, not mtimes: what the tests and the test setup rely on.
 */
export function cliBuildProblem(): string | undefined {
  let info: CliBuildInfo;
  try {
    info = JSON.parse(readFileSync(cliBuildInfoFile, "utf8")) as CliBuildInfo;
  } catch {
    return "dist/cli has not been built";
  }
  for (const [file, digest] of Object.entries(info.sources)) {
    if (!existsSync(join(repoRoot, file))) return `${file} is gone since the build`;
    if (digestFile(file) !== digest) return `${file} changed since the build`;
  }
  return undefined;
}

/** The entry points of viem that the sources import by name. */
const viemEntryPoints = ["viem", "viem/accounts"];

/**
 * viem's entry points re-export the whole library, and esbuild splits chunks by which files each command can
 * reach, not by what it uses: one `import { keccak256 } from "viem"` made `teezk verify` load the chunks holding
 * viem's clients, actions and transaction code (about 0.7 MB). This rewrites first-party named imports of viem's
 * entry points to the modules that define each name, so a command's chunks hold only what it reaches. A name the
 * entry point does not list as `export { … } from` stays imported from the entry point; type-only names are dropped
 * (nothing at run time). The code imported is the same; only the path to it is shorter.
 */
function viemDeepImports(): Plugin {
  const definitions = new Map<string, Map<string, { file: string; name: string }>>();
  for (const entryPoint of viemEntryPoints) {
    const entryFile = esmEntryFile(entryPoint);
    const names = new Map<string, { file: string; name: string }>();
    for (const [, list, from] of readFileSync(entryFile, "utf8").matchAll(/export\s*\{([^}]*)\}\s*from\s*'([^']+)'/g)) {
      const file = from!.startsWith(".") ? join(dirname(entryFile), from!) : from!;
      for (const item of list!.split(",").map((entry) => entry.trim()).filter(Boolean)) {
        const [name, alias = name] = item.split(/\s+as\s+/) as [string, string?];
        names.set(alias, { file, name });
      }
    }
    definitions.set(entryPoint, names);
  }
  const namedImport = /import\s*\{([^}]*)\}\s*from\s*"(viem(?:\/accounts)?)";/g;
  return {
    name: "viem-deep-imports",
    setup(pluginBuild) {
      pluginBuild.onLoad({ filter: /\/src\/.*\.ts$/ }, (args) => {
        const text = readFileSync(args.path, "utf8");
        if (!text.includes('from "viem')) return undefined;
        const contents = text.replace(namedImport, (_statement, list: string, entryPoint: string) => {
          const names = definitions.get(entryPoint)!;
          const byFile = new Map<string, string[]>();
          const rest: string[] = [];
          for (const item of list.split(",").map((entry) => entry.trim()).filter(Boolean)) {
            if (item.startsWith("type ")) continue;
            const [imported, local = imported] = item.split(/\s+as\s+/) as [string, string?];
            const definition = names.get(imported);
            if (!definition) {
              rest.push(item);
              continue;
            }
            const specifier = definition.name === local ? local : `${definition.name} as ${local}`;
            byFile.set(definition.file, [...(byFile.get(definition.file) ?? []), specifier]);
          }
          const statements = [...byFile].map(([file, specifiers]) => `import { ${specifiers.join(", ")} } from ${JSON.stringify(file)};`);
          if (rest.length > 0) statements.push(`import { ${rest.join(", ")} } from "${entryPoint}";`);
          return statements.join(" ");
        });
        return { contents, loader: "ts" };
      });
    },
  };
}

/** The file a package's ES-module entry point resolves to (import.meta.resolve, which the test runner lacks). */
function esmEntryFile(specifier: string): string {
  const [scope, name] = specifier.split("/");
  const packageName = scope!.startsWith("@") ? `${scope}/${name}` : scope!;
  const subpath = `.${specifier.slice(packageName.length)}`;
  const manifestFile = createRequire(join(repoRoot, "package.json")).resolve(`${packageName}/package.json`);
  const manifest = JSON.parse(readFileSync(manifestFile, "utf8")) as { exports: Record<string, { import: string }> };
  return join(dirname(manifestFile), manifest.exports[subpath]!.import);
}

/** Copies the files compiled modules open beside themselves; refuses two of them with one name. */
function copySiblingFiles(inputs: readonly string[], outDir: string): string[] {
  const byName = new Map<string, string>();
  // Copied .mjs files join the scan (their imports are not compiled, so what they import must sit beside them).
  const queue = [...inputs];
  for (let index = 0; index < queue.length; index++) {
    const input = queue[index]!;
    const text = readFileSync(join(repoRoot, input), "utf8");
    const copiedScript = index >= inputs.length;
    for (const match of text.matchAll(copiedScript ? siblingImport : siblingFile)) {
      const name = match[1]!;
      const source = relative(repoRoot, join(repoRoot, dirname(input), name)).split(sep).join("/");
      const other = byName.get(name);
      if (other !== undefined && other !== source) throw new Error(`buildCli: ${other} and ${source} would both be dist/cli/${name}`);
      if (!existsSync(join(repoRoot, source))) throw new Error(`buildCli: ${input} opens ${name}, which does not exist beside it`);
      if (!byName.has(name) && source.endsWith(".mjs")) queue.push(source);
      byName.set(name, source);
    }
  }
  mkdirSync(outDir, { recursive: true });
  for (const [name, source] of byName) copyFileSync(join(repoRoot, source), join(outDir, name));
  return [...byName.values()];
}

/** sha256 of a repository file, hex. */
export function digestFile(file: string): string {
  return createHash("sha256").update(readFileSync(join(repoRoot, file))).digest("hex");
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const info = await buildCli();
  process.stderr.write(`teezk CLI compiled into ${relative(process.cwd(), cliOutDir) || "."} (${Object.keys(info.sources).length} sources)\n`);
}
