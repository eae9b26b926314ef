import path from "node:path";
import { fileURLToPath } from "node:url";

/** A binary of this checkout's Rust workspace, as `cargo build --release` leaves it. */
export function zkprogramReleaseBinary(name: string): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "zkprogram", "target", "release", name);
}
