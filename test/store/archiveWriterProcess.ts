import { randomBytes } from "node:crypto";
import { openArchive } from "../../src/store/index.js";

/**
 * Child process of durability.test.ts: writes records one by one and prints "ack <id>" only after each
 * record call has returned (committed). The test kills it with SIGKILL at an arbitrary point.
 */
const [path, prefix, countText] = process.argv.slice(2);
if (!path || !prefix || !countText) {
  process.stderr.write("usage: archiveWriterProcess <path> <prefix> <count>\n");
  process.exit(2);
}
const archive = openArchive(path);
process.stdout.write("ready\n");
for (let i = 0; i < Number(countText); i++) {
  const id = `${prefix}-${i}`;
  if (i % 2 === 0) {
    archive.recordEvidence({ id, evidence: randomBytes(2048), source: "durability" });
  } else {
    archive.recordProof({ id, circuitId: "membership", backend: "groth16", proof: { pad: randomBytes(512).toString("hex") }, publicSignals: [String(i)] });
  }
  process.stdout.write(`ack ${id}\n`);
}
archive.close();
