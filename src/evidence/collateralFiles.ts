import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TeezkError } from "../errors/index.js";

/**
 * The files of one collateral set, wherever they are: a folder (`collateralFolder`) or bytes received in memory,
 * e.g. over HTTP (`collateralFileSet`). The vendor loaders read collateral only through this, so both give the
 * same parsed collateral, with the same caps and the same errors.
 */
export type CollateralFiles = {
  /** For messages and `source` fields: the folder's path, or the set's name. */
  readonly source: string;
  /** The plain files' names, sorted; undefined when the set does not exist (a missing folder). */
  names(): string[] | undefined;
  /** A file's size in bytes, or undefined when the set has no such plain file. */
  size(name: string): number | undefined;
  /** A file's bytes (check `size` first against the loader's cap), or undefined when absent. */
  read(name: string): Uint8Array | undefined;
  /** How a file is named in messages: its path, or `<set name>/<file>`. */
  pathOf(name: string): string;
};

/** Where collateral comes from in a list: a folder's path, or a set of files already in memory. */
export type CollateralSource = string | CollateralFiles;

/** A folder read lazily: nothing is read until a loader asks for a file. */
export function collateralFolder(dir: string): CollateralFiles {
  const statOf = (path: string) => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  };
  return {
    source: dir,
    names: () => {
      if (!statOf(dir)?.isDirectory()) return undefined;
      // Entry types come with the listing; only links need a stat (a linked file counts, as reading it follows the link).
      return readdirSync(dir, { withFileTypes: true })
        .filter((entry) => entry.isFile() || (entry.isSymbolicLink() && statOf(join(dir, entry.name))?.isFile()))
        .map((entry) => entry.name)
        .sort();
    },
    size: (name) => {
      const stat = statOf(join(dir, name));
      return stat?.isFile() ? stat.size : undefined;
    },
    read: (name) => {
      const path = join(dir, name);
      return statOf(path)?.isFile() ? new Uint8Array(readFileSync(path)) : undefined;
    },
    pathOf: (name) => join(dir, name),
  };
}

/** Plain file names only: a set received from elsewhere names no paths. */
const fileName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/**
 * Files received in memory (a prover's attestation answer, a fetch that was never written to disk), as a
 * collateral set: name → bytes, or → text (stored as its UTF-8 bytes, as a folder written from it would hold).
 */
export function collateralFileSet(name: string, files: Readonly<Record<string, Uint8Array | string>>): CollateralFiles {
  const entries = new Map<string, Uint8Array>();
  for (const [file, content] of Object.entries(files)) {
    if (!fileName.test(file)) throw new TeezkError("COLLATERAL_INVALID", `${name}: ${JSON.stringify(file.slice(0, 100))} is not a plain file name`);
    entries.set(file, typeof content === "string" ? new Uint8Array(Buffer.from(content, "utf8")) : content);
  }
  const sorted = [...entries.keys()].sort();
  return {
    source: name,
    names: () => [...sorted],
    size: (file) => entries.get(file)?.length,
    read: (file) => entries.get(file),
    pathOf: (file) => `${name}/${file}`,
  };
}

/** A source as a file set: a path is a folder. */
export function collateralFilesOf(source: CollateralSource): CollateralFiles {
  return typeof source === "string" ? collateralFolder(source) : source;
}
