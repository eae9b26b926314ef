import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page } from "playwright-core";
import { keccak256, toHex, type Hex } from "viem";
import { reportConflict, signRoot, submitBatch } from "../../src/chain/index.js";
import { startConsole } from "../../src/console/index.js";
import { buildReceiptBatch, getInclusionProof, signBatch, signReceipt, type Receipt } from "../../src/receipts/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Browser } from "./support/browser.js";
import { registerLiveEnclave, startDemoConsole, type DemoConsole } from "./support/demoConsole.js";
import { DEV_KEYS, installTestWallet, type TestWallet } from "./support/testWallet.js";

/** Screenshots go to docs/console/ when TEEZK_CONSOLE_SCREENSHOTS=1 (to refresh the README's), else beside the run. */
const DOCS_SHOTS = fileURLToPath(new URL("../../docs/console/", import.meta.url));

describe("teezk console in headless chromium over the demo's devnet", () => {
  let setup: DemoConsole;
  let browser: Browser;
  let wallet: TestWallet;
  let page: Page;
  let shots: string;

  const open = async (path: string) => {
    await page.goto(`${setup.console.url}${path}`);
    await page.getByTestId("block").waitFor();
  };
  const shoot = async (name: string) => {
    await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  };
  const refresh = async () => page.getByTestId("refresh").click();
  /** Waits (up to 20 s) until `locator`'s attribute reads `value`: pages reload on refresh and on each new block. */
  const eventually = (locator: Locator, attribute: string, value: string) =>
    expect.poll(() => locator.getAttribute(attribute, { timeout: 1000 }).catch(() => null), { timeout: 20_000, interval: 250 }).toBe(value);
  const text = (testId: string) => page.getByTestId(testId).first().textContent();

  beforeAll(async () => {
    setup = await startDemoConsole();
    shots = process.env.TEEZK_CONSOLE_SCREENSHOTS === "1" ? DOCS_SHOTS : join(setup.dir, "screenshots");
    mkdirSync(shots, { recursive: true });
    browser = await launchBrowser();
    wallet = await installTestWallet(browser.context, { provider: setup.provider, chainId: setup.demo.devnet.chainId, key: DEV_KEYS.proposer });
    page = await browser.context.newPage();
    // The demo under the console now makes three real rollup proofs (2^16 Groth16, ~35 s each on a loaded 2-core box).
  }, 900_000);

  afterAll(async () => {
    await browser?.close();
    await setup?.close();
  });

  it("Overview: chain, addresses, timelock delay, proposer and guardian, committee 3 of 3, roots state", async () => {
    await open("/");
    const governance = page.getByTestId("governance");
    await expect(governance.textContent()).resolves.toContain("1m 0s");
    await expect(governance.textContent()).resolves.toContain(wallet.address());
    await expect(page.getByTestId("committee").textContent()).resolves.toContain("3 of 3");
    await expect(page.getByTestId("chain").textContent()).resolves.toContain(setup.demo.devnet.addresses.enclaveRegistry);
    await expect(page.getByTestId("roots-state").textContent()).resolves.toContain("2 distinct vendors");
    await shoot("overview");
  });

  it("Enclaves: every key from events; the conflicting SEV-SNP signer removed with the reason, the rest expired after the 7-day jump", async () => {
    await open("/enclaves");
    const sevsnp = setup.demo.rollupSigners.sevsnp.address;
    const row = page.locator(`tr[data-enclave="${sevsnp}"]`);
    await expect(row.getAttribute("data-status")).resolves.toBe("removed");
    await expect(row.textContent()).resolves.toContain("conflicting root");
    // The TDX prover's key is registered twice: for the demo program through the committee (expired after the
    // 7-day jump) and, after it, for a second program through route 3 (on-chain DCAP, live).
    const tdxRows = page.locator(`tr[data-enclave="${setup.demo.registered.tdx.enclave}"]`);
    const tdx = tdxRows.and(page.locator(`tr[data-program="${setup.demo.devnet.programId}"]`));
    await expect(tdx.getAttribute("data-status")).resolves.toBe("expired");
    await expect(tdx.getAttribute("data-route")).resolves.toBe("committee");
    const tdxDcap = tdxRows.and(page.locator('tr[data-route="on-chain DCAP"]'));
    await expect(tdxDcap.getAttribute("data-status")).resolves.toBe("live");
    await expect(page.locator("tr[data-enclave]").count()).resolves.toBe(7);
    await shoot("enclaves");
  });
  it("Allowlist: the three demo measurements allowed, each TEE's policy and dev root, no pending operation", async () => {
    await open("/allowlist");
    for (const vendor of ["tdx", "sevsnp", "nitro"] as const) {
      await eventually(page.locator(`tr[data-measurement="${setup.demo.allowed[vendor].measurement}"][data-program="${setup.demo.devnet.programId}"]`), "data-status", "allowed");
    }
    await expect(text("policies")).resolves.toContain("UP_TO_DATE, NOT_APPLICABLE");
    await expect(page.getByTestId("no-operations").count()).resolves.toBe(1);
    await shoot("allowlist");
  });

  it("Roots: the demo's finalization with its signers' vendors, the conflict, the halt, the ZK settlement, the resume and the escape", async () => {
    await open("/roots");
    await page.getByTestId("timeline").waitFor();
    const kinds = await page.locator("tr[data-kind]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-kind")));
    expect(kinds).toEqual(expect.arrayContaining(["finalized", "conflict", "halted", "settled", "resumed"]));
    const finalizedByTee = page.locator('tr[data-kind="finalized"]').filter({ hasText: "TEE quorum" });
    await expect(finalizedByTee.textContent()).resolves.toMatch(/INTEL[\s\S]*AWS|AWS[\s\S]*INTEL/);
    await expect(page.locator('tr[data-kind="conflict"]').textContent()).resolves.toContain("AMD");
    await expect(page.getByTestId("halted").count()).resolves.toBe(0);
    await shoot("roots");
  });

  it("Decisions: the demo nodes' verdicts per minute by code, and one opened from the table", async () => {
    await open("/decisions");
    await page.getByTestId("chart").waitFor();
    await expect(text("legend")).resolves.toContain("ACCEPTED");
    await page.locator('tr[data-code="ACCEPTED"]').first().click();
    await expect(text("decision-detail")).resolves.toContain("verdict");
    await shoot("decisions");
  });

  it("Enclave page: claims decoded from the registration transaction, the contract's isLive, the archive's evidence and three verdicts", async () => {
    const { enclave, claims } = setup.demo.registered.tdx;
    await open(`/enclaves/${enclave}`);
    // One section per program: the committee registration (the demo program) and the later on-chain DCAP one.
    const committee = page.locator(`[data-testid="registration"][data-program="${setup.demo.devnet.programId}"]`);
    const scoped = (testId: string) => committee.getByTestId(testId).first().textContent();
    await committee.getByTestId("archive-evidence").waitFor();
    await expect(scoped("claims")).resolves.toContain(claims.measurement);
    await expect(committee.textContent()).resolves.toContain("isLive = false");
    await expect(committee.locator('[data-testid="verdicts"] tbody tr').count()).resolves.toBe(3);
    const fields = await scoped("evidence-fields");
    expect(fields).toContain("signature: passed");
    expect(fields).toContain("certChain: passed");
    const dcap = page.locator('[data-testid="registration"]').filter({ hasText: "on-chain DCAP" });
    await expect(dcap.textContent()).resolves.toContain("isLive = true");
    await shoot("enclave");
  });

  let live: Awaited<ReturnType<typeof registerLiveEnclave>>;

  it("Receipts: malformed JSON and an expired signer are explained; a live enclave's receipt is accepted, consumed with the wallet, and pasted again shows consumed; a batch member's inclusion proof is checked", async () => {
    await open("/receipts");
    const input = page.getByTestId("receipt-input");
    const result = page.getByTestId("receipt-result");
    await input.fill('{ "receipt": { "programId": ');
    await page.getByTestId("check-receipt").click();
    await expect(page.getByRole("alert").first().textContent()).resolves.toContain("CONSOLE_PASTE_INVALID");

    const delegated = setup.demo.delegated!;
    await input.fill(JSON.stringify({ receipt: { ...delegated.receipt, issuedAt: delegated.receipt.issuedAt.toString() }, signature: delegated.signature }));
    await page.getByTestId("check-receipt").click();
    await eventually(result, "data-accepted", "false");
    await expect(result.textContent()).resolves.toContain("EnclaveNotLive");

    live = await registerLiveEnclave(setup.demo, "nitro", "console test live nitro");
    const { devnet } = setup.demo;
    const receipt: Receipt = {
      programId: devnet.programId,
      inputDigest: word("console input"),
      outputDigest: word("console output"),
      proofDigest: word("console proof"),
      issuedAt: BigInt(Math.floor((await devnet.chainNow()).getTime() / 1000)),
      nonce: word("console nonce"),
    };
    const signature = await signReceipt({ account: live.account, receipt, domain: { chainId: devnet.chainId, verifyingContract: devnet.addresses.receiptVerifier } });
    const pasted = JSON.stringify({ receipt: { ...receipt, issuedAt: Number(receipt.issuedAt) }, signature });
    await input.fill(pasted);
    await page.getByTestId("check-receipt").click();
    await eventually(result, "data-accepted", "true");
    await expect(result.getAttribute("data-consumed")).resolves.toBe("false");
    await page.getByTestId("consume").click();
    await eventually(result, "data-consumed", "true");

    await input.fill("");
    await input.fill(pasted);
    await page.getByTestId("check-receipt").click();
    await eventually(result, "data-consumed", "true");
    await expect(page.getByTestId("consumed-by").first().textContent()).resolves.toContain(wallet.address());
    await shoot("receipts");

    // A batch member with its inclusion proof: accepted through BatchReceipts.verifyIncluded; an altered copy refused.
    const members = [0, 1, 2, 3].map((i) => ({ ...receipt, nonce: word(`console batch member ${i}`) }));
    const built = buildReceiptBatch({ receipts: members, issuedAt: receipt.issuedAt });
    const batchSignature = await signBatch({ account: live.account, batch: built.batch, domain: { chainId: devnet.chainId, verifyingContract: devnet.addresses.batchReceipts } });
    await submitBatch({ ...devnet.clients, batchReceipts: devnet.addresses.batchReceipts, batch: built.batch, programId: devnet.programId, signature: batchSignature });
    const { receipt: member, proof } = getInclusionProof({ batch: built, index: 2 });
    const inclusion = (r: Receipt) => JSON.stringify({ receipt: { ...r, issuedAt: Number(r.issuedAt) }, root: built.batch.root, signer: live.address, proof });
    await input.fill(inclusion(member));
    await page.getByTestId("check-receipt").click();
    await eventually(result, "data-accepted", "true");
    await input.fill(inclusion({ ...member, outputDigest: word("another output") }));
    await page.getByTestId("check-receipt").click();
    await eventually(result, "data-accepted", "false");
    await expect(result.textContent()).resolves.toContain("ReceiptNotInBatch");
  });

  it("Governance end to end: build an allow proposal, send it with the wallet, count down, advance chain time, execute; the allowlist shows it", async () => {
    const measurement = word("console governance measurement");
    await open("/governance");
    await page.locator('select[name="teeType"]').selectOption("3");
    await page.locator('input[name="programId"]').fill(setup.demo.devnet.programId);
    await page.locator('input[name="measurement"]').fill(measurement);
    await page.getByTestId("build").click();
    await expect(text("built")).resolves.toContain("allow NITRO measurement");
    await expect(text("calldata")).resolves.toMatch(/^0x8f2a0bb0/);
    await page.getByTestId("send").click();
    await page.getByTestId("sent").waitFor();

    await open("/allowlist");
    const operation = page.locator("tr[data-operation]");
    await eventually(operation, "data-state", "pending");
    await expect(operation.textContent()).resolves.toContain("allow NITRO measurement");
    await expect(operation.locator(".countdown").textContent()).resolves.toMatch(/\d+s left/);
    await shoot("allowlist-pending");

    await setup.demo.devnet.increaseTime(61);
    await refresh();
    await eventually(operation, "data-state", "ready");
    await page.getByTestId("execute").click();
    await eventually(page.locator(`tr[data-measurement="${measurement}"]`), "data-status", "allowed");
    await expect(page.getByTestId("no-operations").count()).resolves.toBe(1);
  });

  it("Governance builder: rotate and policy proposals decode to what they change, with scheduleBatch calldata", async () => {
    await open("/governance");
    await page.locator('select[name="action"]').selectOption("rotate");
    await page.locator('select[name="teeType"]').selectOption("1");
    await page.locator('input[name="programId"]').fill(setup.demo.devnet.programId);
    await page.locator('input[name="measurement"]').fill(setup.demo.allowed.tdx.measurement);
    await page.locator('input[name="newMeasurement"]').fill(word("rebuilt tdx image"));
    await page.getByTestId("build").click();
    await expect(text("built")).resolves.toContain(`rotate TDX on program ${setup.demo.devnet.programId.slice(0, 10)}`);
    await expect(text("built")).resolves.toContain("expires 86400 s after execution");
    await page.locator('select[name="action"]').selectOption("policy");
    await page.locator('input[name="accept"]').fill("UP_TO_DATE");
    await page.locator('input[name="maxEvidenceAge"]').fill("600");
    await page.getByTestId("build").click();
    // Building is asynchronous (it reads the timelock's delay): wait for the new proposal to replace the rotation.
    await expect.poll(() => text("built"), { timeout: 20_000 }).toContain("set TDX policy: accept UP_TO_DATE; min SVN 0; max evidence age 600 s");
    await expect(text("calldata")).resolves.toMatch(/^0x8f2a0bb0/);
    await page.locator('input[name="maxEvidenceAge"]').fill("ten minutes");
    await page.getByTestId("build").click();
    await expect.poll(() => page.getByRole("alert").first().textContent(), { timeout: 20_000 }).toContain("maxEvidenceAge must be a non-negative integer");
  });

  it("Guardian revocation behind a confirmation: the live enclave turns revoked within one refresh", async () => {
    await open(`/enclaves`);
    const row = page.locator(`tr[data-enclave="${live.address}"]`);
    await eventually(row, "data-status", "live");

    wallet.use(DEV_KEYS.guardian);
    await open("/governance");
    const measurement = setup.demo.allowed.nitro.measurement;
    await page.locator('select[name="revokeTeeType"]').selectOption("3");
    await page.locator('input[name="revokeMeasurement"]').fill(measurement);
    await page.getByTestId("revoke").click();
    await expect(page.getByTestId("confirm-revoke").isDisabled()).resolves.toBe(true);
    await page.getByTestId("confirm-input").fill(measurement.slice(0, 10));
    await shoot("governance");
    await page.getByTestId("confirm-revoke").click();
    await page.getByTestId("revoked").waitFor();
    wallet.use(DEV_KEYS.proposer);

    await open("/enclaves");
    await refresh();
    await eventually(row, "data-status", "revoked");
    await expect(row.textContent()).resolves.toContain("revoked by guardian");
  });

  it("A conflicting root for a finalized epoch: the Roots page shows the halt after one refresh", async () => {
    await open("/roots");
    await page.getByTestId("timeline").waitFor();
    await expect(page.getByTestId("halted").count()).resolves.toBe(0);
    const { devnet, rollupSigners } = setup.demo;
    const roots = devnet.addresses.multiProverRoots;
    const forged = word("console forged root, epoch 3");
    const signature = await signRoot({ account: rollupSigners.tdx.account, epoch: 3n, root: forged, roots: { chainId: devnet.chainId, verifyingContract: roots } });
    await reportConflict({ ...devnet.clients, roots, epoch: 3n, root: forged, signatures: [signature] });
    await refresh();
    await page.getByTestId("halted").waitFor({ timeout: 20_000 });
    await shoot("roots-halted");
    await open("/");
    await expect(text("roots-state")).resolves.toContain("halted");
  });

  it("Wrong chain: a wallet on another network is refused before it signs, in words", async () => {
    wallet.reportChainId(1);
    try {
      await open("/governance");
      await page.locator('input[name="programId"]').fill(setup.demo.devnet.programId);
      await page.locator('input[name="measurement"]').fill(word("never sent"));
      await page.getByTestId("build").click();
      const sentBefore = wallet.sent.length;
      await page.getByTestId("send").click();
      await expect(page.getByRole("alert").first().textContent()).resolves.toContain("CONSOLE_WRONG_CHAIN");
      expect(wallet.sent.length).toBe(sentBefore);
    } finally {
      wallet.reportChainId(undefined);
    }
  });

  it("Bad setups give a message, never a blank page: a deployment for another chain, an RPC that is down", async () => {
    const { devnet } = setup.demo;
    const wrongChain = await startConsole({ upstream: { request: (args) => setup.provider.request(args as never) }, deployment: { ...devnet.addresses, chainId: 1 } });
    const rpcDown = await startConsole({ upstream: { url: "http://127.0.0.1:9" }, deployment: { ...devnet.addresses, chainId: devnet.chainId } });
    try {
      await page.goto(`${wrongChain.url}/enclaves`);
      await expect(page.getByTestId("startup-error").textContent()).resolves.toContain(`Wrong chain: the deployment is on chain 1 but the RPC serves chain ${devnet.chainId}`);
      await page.goto(`${rpcDown.url}/`);
      await expect(page.getByTestId("startup-error").textContent()).resolves.toContain("Cannot reach the chain");
      await shoot("rpc-down");
    } finally {
      await wrongChain.close();
      await rpcDown.close();
    }
  });

  it("Dark theme and keyboard: shift+t switches the theme, g e goes to Enclaves", async () => {
    await open("/");
    await page.keyboard.press("Shift+T");
    await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe("dark");
    await page.keyboard.press("g");
    await page.keyboard.press("e");
    await page.getByTestId("enclaves").waitFor();
    expect(new URL(page.url()).pathname).toBe("/enclaves");
    await shoot("enclaves-dark");
    await page.keyboard.press("Shift+T");
  });
});

const word = (label: string): Hex => keccak256(toHex(label));
