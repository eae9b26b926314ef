/**
 * Issue 12 item 15: a verifier node's (and a key-release service's) disk and CPU under unauthenticated traffic.
 * Every refused request used to write its evidence (up to 1 MiB) into the archive, and nothing bounded
 * verifications in flight. Requests go to the app in process (nothing leaves the machine), bounded in count.
 * (The key-release archive rule is tested in keysRelease.test.ts.)
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReferenceValues } from "../../src/policy/index.js";
import { createKeyReleaseService } from "../../src/services/keys/index.js";
import { NO_CLAIMS_HASH, createVerifierNode, type VerifierNode } from "../../src/services/verifier/index.js";
import { MAX_ARCHIVED_EVIDENCE_BYTES, openArchive, type Archive } from "../../src/store/index.js";
import { unrecognisableJunk } from "../support/unrecognisableJunk.js";

const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee01" as Hex };
const referenceValues = parseReferenceValues({ version: 1, tee: { NITRO: { allowedMeasurements: [`0x${"ab".repeat(32)}`] } } });

describe("verifier node bounds", () => {
  let dir: string;
  let archive: Archive;
  let node: VerifierNode;
  const verify = (body: unknown) => node.app.request("/v1/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const codeOf = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code ?? `ok ${response.status}`;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "teezk-verifier-bounds-"));
    archive = openArchive(join(dir, "archive.sqlite"));
    node = createVerifierNode({ account: privateKeyToAccount(generatePrivateKey()), committee, referenceValues, archive });
  });
  afterAll(() => {
    archive.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("refused junk evidence is archived by digest and code, not by body: 8 MiB of junk leaves the archive small", async () => {
    // Base64 just under the archive's 1 MiB evidence cap: undecodable evidence is archived as the text sent.
    const rawBytes = Math.floor(MAX_ARCHIVED_EVIDENCE_BYTES / 4) * 3 - 3;
    const before = { evidence: archive.count("evidence"), verdicts: archive.count("verdicts"), bytes: statSync(join(dir, "archive.sqlite")).size };
    const digests: string[] = [];
    for (let i = 0; i < 8; i += 1) {
      const junk = unrecognisableJunk(rawBytes);
      digests.push(`0x${createHash("sha256").update(junk).digest("hex")}`);
      expect(await codeOf(await verify({ evidence: junk }))).toBe("UNKNOWN_EVIDENCE_TYPE");
    }
    // Every decision is still archived, before its answer.
    expect(archive.count("verdicts")).toBe(before.verdicts + 8);
    expect(archive.count("evidence")).toBe(before.evidence);
    const refused = archive.list("verdicts", { where: { accepted: false }, order: "desc", limit: 8 });
    expect(refused.map((verdict) => (verdict.payload as { evidence?: { sha256: string } }).evidence?.sha256).sort()).toEqual(digests.sort());
    for (const verdict of refused) {
      expect(verdict.claimsHash).toBe(NO_CLAIMS_HASH);
      expect(verdict.evidenceId).toBeNull();
      expect(verdict.payload).toMatchObject({ refused: { code: "UNKNOWN_EVIDENCE_TYPE" }, evidence: { bytes: (rawBytes / 3) * 4 } });
    }
    expect(statSync(join(dir, "archive.sqlite")).size - before.bytes).toBeLessThan(256 * 1024);
  }, 60_000);

  it("verifications in flight are bounded: a burst past the bound is SERVICE_BUSY before any body is read", async () => {
    const junk = unrecognisableJunk(64 * 1024);
    const codes = await Promise.all(Array.from({ length: 64 }, async () => codeOf(await verify({ evidence: junk }))));
    const busy = codes.filter((code) => code === "SERVICE_BUSY").length;
    expect(busy).toBeGreaterThan(0);
    expect(codes.length - busy).toBeGreaterThan(0);
    expect(codes.filter((code) => code !== "SERVICE_BUSY").every((code) => code === "UNKNOWN_EVIDENCE_TYPE")).toBe(true);
    // The bound frees as requests finish: the node serves the next one.
    expect(await codeOf(await verify({ evidence: junk }))).toBe("UNKNOWN_EVIDENCE_TYPE");
  }, 60_000);
});

describe("key release bounds", () => {
  it("releases in flight are bounded: a burst past the bound is SERVICE_BUSY before any body is read", async () => {
    const service = createKeyReleaseService({ keys: [{ id: "k", material: new Uint8Array(32).fill(1), referenceValues }] });
    const body = JSON.stringify({
      evidence: unrecognisableJunk(64 * 1024),
      enclaveAddress: privateKeyToAccount(generatePrivateKey()).address,
      hpkePublicKey: `0x${"11".repeat(32)}`,
      nonce: `0x${"22".repeat(32)}`,
    });
    const release = async () => {
      const response = await service.app.request("/v1/keys/k/release", { method: "POST", headers: { "content-type": "application/json" }, body });
      return ((await response.json()) as { error?: { code: string } }).error?.code ?? "released";
    };
    const codes = await Promise.all(Array.from({ length: 64 }, release));
    const busy = codes.filter((code) => code === "SERVICE_BUSY").length;
    expect(busy).toBeGreaterThan(0);
    expect(codes.filter((code) => code !== "SERVICE_BUSY").every((code) => code === "NONCE_REPLAYED")).toBe(true);
    expect(await release()).toBe("NONCE_REPLAYED");
  });
});
