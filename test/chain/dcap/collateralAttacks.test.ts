import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toHex, type Hex } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendContractTransaction } from "../../../src/chain/sendContractTransaction.js";
import { encodeClaims } from "../../../src/claims/index.js";
import { parseDcapCrl } from "../../../src/evidence/tdx/collateral/index.js";
import { verifyDcapQuote } from "../../../src/evidence/tdx/index.js";
import { devRootPin, getDevRoots, simulateDcapCollateral, simulateDcapQuote, type DevRoots } from "../../../src/tee/simulated/index.js";
import { issueDevCrl } from "../../../src/tee/simulated/issueDevCrl.js";
import { DCAP_SAMPLES, loadSampleBytes } from "../../evidence/tdx/dcapSamples.js";
import { dcapCollateralStoreAbi, deployDcap, pckCaOf, push, uploadsFor, verifyOnChain, type DcapChain } from "./dcapSupport.js";
import { dcapCollateralUploads } from "../../../src/collateral/index.js";

const HOUR = 3_600_000;
const errorName = (error: unknown) => /(?:custom error '|reverted with )(\w+)\(/.exec(`${String(error)} ${String((error as { details?: string }).details)}`)?.[1] ?? String(error).slice(0, 300);
async function revertOf(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    return errorName(error);
  }
  return "accepted";
}

/**
 * Collateral attacks on the store and the route, on the dev PKI (src/tee/simulated), where the test holds the CA keys
 * and can issue CRLs, and on real Intel collateral where only tampering is possible.
 */
describe("on-chain DCAP collateral (dev PKI)", () => {
  const now = new Date(Date.UTC(2026, 0, 15, 12));
  let devRoots: DevRoots;
  let chain: DcapChain;
  let quote: Uint8Array;
  const send = (functionName: "addCrl" | "addTcbInfo" | "addCertificate", args: readonly unknown[]) =>
    sendContractTransaction(chain.clients, { address: chain.store, abi: dcapCollateralStoreAbi, functionName, args: args as never });

  beforeAll(async () => {
    devRoots = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-dcap-")) });
    quote = simulateDcapQuote({ kind: "tdx", binding: `0x${"11".repeat(32)}`, devRoots });
    chain = await deployDcap(now, new Uint8Array(devRoots.intel.root.certificate.raw));
    const collateral = simulateDcapCollateral({ kind: "tdx", devRoots, now });
    await push(chain, dcapCollateralUploads(collateral, pckCaOf(quote)));
  }, 120_000);
  afterAll(async () => chain?.close());

  it("verifies the simulated TDX quote to the claims verifyDcapQuote gives with the dev root pinned", async () => {
    const onChain = await verifyOnChain(chain, quote);
    const collateral = simulateDcapCollateral({ kind: "tdx", devRoots, now });
    const offChain = verifyDcapQuote({ evidence: quote, now: new Date(Number(onChain.timestamp) * 1000), collateral, extraTrustedRoots: [devRootPin(devRoots, "tdx")] }).claims;
    expect(encodeClaims({ ...onChain, tcbStatus: offChain.tcbStatus } as never)).toBe(encodeClaims(offChain));
    expect(onChain.tcbStatus).toBe(offChain.tcbStatus);
  });

  it("refuses an older or equal CRL (no rollback)", async () => {
    const older = issueDevCrl({ issuer: devRoots.intel.pckCa, now: new Date(now.getTime() - HOUR) });
    expect(await revertOf(() => send("addCrl", [toHex(older)]))).toBe("CollateralRollback");
    const same = issueDevCrl({ issuer: devRoots.intel.pckCa, now });
    expect(await revertOf(() => send("addCrl", [toHex(same)]))).toBe("CollateralRollback");
  });

  it("refuses a CRL not signed by its issuer", async () => {
    const crl = Buffer.from(issueDevCrl({ issuer: devRoots.intel.pckCa, now: new Date(now.getTime() + HOUR) }));
    crl[crl.length - 5] = crl[crl.length - 5]! ^ 0x01;
    expect(await revertOf(() => send("addCrl", [toHex(crl)]))).toMatch(/SignatureInvalid|DerInvalid/);
  });

  it("refuses a quote whose PCK leaf a newer CRL lists", async () => {
    const leafSerialCrl = issueDevCrl({ issuer: devRoots.intel.pckCa, now: new Date(now.getTime() + HOUR), revoked: [devRoots.intel.pckLeaf.certificate] });
    expect(parseDcapCrl(leafSerialCrl, "test").revokedSerials.size).toBe(1);
    await send("addCrl", [toHex(leafSerialCrl)]);
    expect(await revertOf(() => verifyOnChain(chain, quote))).toBe("CertificateRevoked");
  });

  it("refuses collateral whose nextUpdate has passed (stale at use)", async () => {
    await chain.connection.networkHelpers.time.increase(31 * 86_400);
    expect(await revertOf(() => verifyOnChain(chain, quote))).toMatch(/CollateralExpired/);
  });
});

describe("on-chain DCAP collateral (real Intel)", () => {
  const sample = DCAP_SAMPLES.find((candidate) => candidate.name === "tdx/automata-v4-00806f05")!;
  let chain: DcapChain;
  afterAll(async () => chain?.close());

  it("refuses a tampered TCB info, a re-upload, and a certificate chained to another root", async () => {
    const quote = loadSampleBytes(sample);
    chain = await deployDcap(new Date(sample.now));
    const { uploads } = uploadsFor(sample.name, quote);
    const tcbInfo = uploads.find((upload) => upload.kind === "tcbInfo")!;
    if (tcbInfo.kind !== "tcbInfo") throw new Error("no TCB info");
    await push(chain, uploads.filter((upload) => upload !== tcbInfo));
    const send = (functionName: "addTcbInfo" | "addCertificate", args: readonly unknown[]) =>
      sendContractTransaction(chain.clients, { address: chain.store, abi: dcapCollateralStoreAbi, functionName, args: args as never });
    // Missing TCB info is refused at use, not passed.
    expect(await revertOf(() => verifyOnChain(chain, quote))).toBe("CollateralMissing");

    const tampered = Buffer.from(tcbInfo.json);
    const at = tampered.indexOf('"tcbStatus":"OutOfDate"');
    tampered.write('"tcbStatus":"UpToDate" ', at); // same length with the trailing space inside the object
    expect(await revertOf(() => send("addTcbInfo", [toHex(tampered), toHex(tcbInfo.signature), tcbInfo.signerNameHash]))).toBe("SignatureInvalid");
    const badSignature = Buffer.from(tcbInfo.signature);
    badSignature[10] = badSignature[10]! ^ 0x01;
    expect(await revertOf(() => send("addTcbInfo", [toHex(tcbInfo.json), toHex(badSignature), tcbInfo.signerNameHash]))).toBe("SignatureInvalid");

    await send("addTcbInfo", [toHex(tcbInfo.json), toHex(tcbInfo.signature), tcbInfo.signerNameHash]);
    expect(await revertOf(() => send("addTcbInfo", [toHex(tcbInfo.json), toHex(tcbInfo.signature), tcbInfo.signerNameHash]))).toBe("CollateralRollback");
    expect((await verifyOnChain(chain, quote)).platformId).toMatch(/^0x/);

    const devRoots = getDevRoots({ dir: mkdtempSync(join(tmpdir(), "teezk-dcap-")) });
    const devCa: Hex = toHex(new Uint8Array(devRoots.intel.pckCa.certificate.raw));
    expect(await revertOf(() => send("addCertificate", [devCa]))).toBe("IssuerNotTrusted");
    const devQuote = simulateDcapQuote({ kind: "tdx", binding: `0x${"22".repeat(32)}`, devRoots });
    // Its PCK CA was never stored (the store takes only what the pinned root issued), and its root is not the pin.
    expect(await revertOf(() => verifyOnChain(chain, devQuote))).toMatch(/^(CollateralMissing|CertificateChainInvalid)$/);
  }, 120_000);
});
