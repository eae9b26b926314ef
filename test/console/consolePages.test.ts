import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Browser } from "./support/browser.js";
import { startDemoConsole, type DemoConsole } from "./support/demoConsole.js";
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

  beforeAll(async () => {
    setup = await startDemoConsole();
    shots = process.env.TEEZK_CONSOLE_SCREENSHOTS === "1" ? DOCS_SHOTS : join(setup.dir, "screenshots");
    mkdirSync(shots, { recursive: true });
    browser = await launchBrowser();
    wallet = await installTestWallet(browser.context, { provider: setup.provider, chainId: setup.demo.devnet.chainId, key: DEV_KEYS.proposer });
    page = await browser.context.newPage();
  });

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
    const tdx = page.locator(`tr[data-enclave="${setup.demo.registered.tdx.enclave}"]`);
    await expect(tdx.getAttribute("data-status")).resolves.toBe("expired");
    await expect(page.locator("tr[data-enclave]").count()).resolves.toBe(6);
    await shoot("enclaves");
  });
});
