import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recoverTypedDataAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { committeeDomain, verdictTypes } from "../../src/chain/typedData.js";
import type { Claims } from "../../src/claims/index.js";
import { buildDevReferenceValues, probeSimulatedClaims, writeCollateralFolder } from "../../src/devnet/index.js";
import type { EvidenceKind } from "../../src/evidence/detectEvidenceType.js";
import { serveApp, type ServeAppReturnType } from "../../src/services/http/index.js";
import { createVerifierNode, requestCommitteeVerdicts, requestVerdict } from "../../src/services/verifier/index.js";
import { getDevRoots, simulateEvidence, type DevRoots } from "../../src/tee/simulated/index.js";
import type { PinnedRoot } from "../../src/util/x509.js";
import { rejection } from "../support/rejection.js";

const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee02" as Hex };
const binding = `0x${"5a".repeat(32)}` as Hex;
// The vendors whose claims timestamp is the verification time (Nitro's is the document's own).
const vendors = ["tdx", "sevsnp"] as const;

/**
 * The committee-registration flake, made deterministic: three nodes whose clocks read 0, 1 and 2 s apart (as
 * three hosts, or three requests handled a second apart, do). Each clock is frozen, so every outcome is fixed.
 */
describe("committee verdicts over HTTP from nodes whose clocks differ by seconds", () => {
  let dir: string;
  let devRoots: DevRoots;
  // 300 ms into a second, so node i's clock is in second base + i.
  const base = Math.floor(Date.now() / 1000) * 1000 + 300;
  const accounts = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
  const servers: ServeAppReturnType[] = [];
  const evidence: Partial<Record<(typeof vendors)[number], Uint8Array>> = {};
  let urls: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "teezk-committee-"));
    devRoots = getDevRoots({ dir: join(dir, "dev-roots") });
    const collateral: Partial<Record<EvidenceKind, string>> = {};
    const allowed: Claims[] = [];
    const trustedRoots: PinnedRoot[] = [];
    for (const vendor of vendors) {
      const simulated = simulateEvidence({ vendor, binding, now: new Date(base), devRoots });
      evidence[vendor] = simulated.evidence;
      collateral[vendor] = writeCollateralFolder({ simulated, parentDir: dir })!;
      const probe = probeSimulatedClaims({ vendor, now: new Date(base), devRoots, collateralParentDir: dir });
      allowed.push(probe.claims);
      trustedRoots.push(probe.trustedRoot);
    }
    const referenceValues = buildDevReferenceValues({ allowed });
    for (const [i, account] of accounts.entries()) {
      const node = createVerifierNode({ account, committee, referenceValues, extraTrustedRoots: trustedRoots, collateral, clock: () => new Date(base + i * 1000) });
      servers.push(await serveApp(node.app));
    }
    // A node with a tight bound: 1 s either way.
    const tight = createVerifierNode({
      account: accounts[0]!,
      committee,
      referenceValues,
      extraTrustedRoots: trustedRoots,
      collateral,
      clock: () => new Date(base),
      requestTimeSkewMs: 1000,
    });
    servers.push(await serveApp(tight.app));
    urls = servers.slice(0, 3).map((s) => s.url);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(vendors)("%s: each node verifying as of its own clock signs a different claims hash (the flake's cause)", async (vendor) => {
    const answers = await Promise.all(urls.map((url) => requestVerdict(url, { evidence: evidence[vendor]!, expectedBinding: binding, committee })));
    expect(answers.map((a) => Number(a.claims.timestamp))).toEqual([0, 1, 2].map((i) => Math.floor(base / 1000) + i));
    expect(new Set(answers.map((a) => a.claimsHash)).size).toBe(3);
  });

  it.each(vendors)("%s: with one `at` from the requester, all nodes sign the same claims, timestamped at that whole second", async (vendor) => {
    const requested = new Date(base + 1700);
    const answered = await requestCommitteeVerdicts({
      urls,
      evidence: evidence[vendor]!,
      expectedBinding: binding,
      committee,
      expectedSigners: accounts.map((a) => a.address),
      clock: () => requested,
    });
    expect(answered.at.getTime()).toBe(Math.floor(requested.getTime() / 1000) * 1000);
    expect(answered.claims.timestamp).toBe(BigInt(answered.at.getTime() / 1000));
    expect(new Set(answered.answers.map((a) => a.claimsHash))).toEqual(new Set([answered.claimsHash]));
    expect(answered.answers.map((a) => a.at)).toEqual([answered.at.toISOString(), answered.at.toISOString(), answered.at.toISOString()]);
    // Each verdict is over that one claims hash, signed by its own node: together they are a 3-of-3 quorum.
    const signers = await Promise.all(
      answered.verdicts.map((v) =>
        recoverTypedDataAddress({ domain: committeeDomain(committee), types: verdictTypes, primaryType: "Verdict", message: { claimsHash: answered.claimsHash }, signature: v.signature }),
      ),
    );
    expect(signers).toEqual(accounts.map((a) => a.address));
  });

  it("an `at` beyond a node's skew bound is REQUEST_TIME_SKEWED, naming the node; the bound is per node", async () => {
    // 121 s before node 0's clock: inside nothing (the default bound is 120 s).
    const early = await rejection(requestCommitteeVerdicts({ urls, evidence: evidence.tdx!, committee, at: new Date(base - 121_000) }));
    expect(early.code).toBe("REQUEST_TIME_SKEWED");
    expect(early.shortMessage).toMatch(/^Verifier node http:\/\/127\.0\.0\.1:\d+: The requested time .* behind this node's clock/);
    // 119 s after node 0's clock is 117 s after node 2's: all accept.
    expect((await requestCommitteeVerdicts({ urls, evidence: evidence.tdx!, committee, at: new Date(base + 119_000) })).answers).toHaveLength(3);
    // 121 s after node 0's clock is inside node 1's and node 2's bound only: the one node refuses the whole request.
    const late = await rejection(requestCommitteeVerdicts({ urls, evidence: evidence.tdx!, committee, at: new Date(base + 121_000) }));
    expect(late.code).toBe("REQUEST_TIME_SKEWED");
    expect(late.shortMessage).toContain(urls[0]);
    // The tight node (±1 s) accepts its own second and refuses two seconds off.
    const tight = servers[3]!.url;
    expect((await requestVerdict(tight, { evidence: evidence.tdx!, at: new Date(base - 300) })).claims.timestamp).toBe(BigInt(Math.floor(base / 1000)));
    expect((await rejection(requestVerdict(tight, { evidence: evidence.tdx!, at: new Date(base + 2000) }))).code).toBe("REQUEST_TIME_SKEWED");
    const health = (await (await fetch(`${tight}/v1/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ allowRequestTime: false, requestTimeSkewMs: 1000 });
  });

  it("a negative or fractional skew bound is a configuration error", () => {
    const referenceValues = buildDevReferenceValues({ allowed: [] });
    for (const requestTimeSkewMs of [-1, 0.5, Number.NaN]) {
      expect(() => createVerifierNode({ account: accounts[0]!, committee, referenceValues, requestTimeSkewMs })).toThrow(/requestTimeSkewMs/);
    }
  });
});
