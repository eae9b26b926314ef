import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { zeroAddress, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deployTeezk } from "../../deploy/deployTeezk.js";
import { tempDir } from "../cli/support/chainCli.js";
import { launchBrowser, type Browser } from "./support/browser.js";
import { DEV_KEYS } from "./support/testWallet.js";

const bin = fileURLToPath(new URL("../../bin/teezk.js", import.meta.url));

/**
 * The path a user takes: deploy/deploy.ts against an HTTP JSON-RPC, its JSON written to a file, then the spawned
 * `teezk serve console --rpc-url … --deployment …` serving the page, read in chromium through the console's proxy.
 */
describe("teezk serve console, spawned against an HTTP RPC and a deploy/deploy.ts deployment file", () => {
  const dir = tempDir();
  const deploymentFile = join(dir, "deployment.json");
  let rpcUrl: string;
  let closeRpc: () => Promise<void>;
  let child: ChildProcessWithoutNullStreams | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const { network } = await import("hardhat");
    const server = await network.createServer();
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    closeRpc = () => server.close();
    const deployer = privateKeyToAccount(DEV_KEYS.proposer as Hex).address;
    const deployment = await deployTeezk({ rpcUrl, privateKey: DEV_KEYS.proposer, minDelay: 3600n, proposers: [deployer], executors: [zeroAddress], guardian: deployer, committeeNodes: [deployer], committeeThreshold: 1n });
    writeFileSync(deploymentFile, JSON.stringify(deployment, null, 2));
  });

  afterAll(async () => {
    await browser?.close();
    child?.kill("SIGKILL");
    await closeRpc?.();
  });

  it("prints its URL, serves the page, the script and the read-only proxy, and the Overview reads the chain; SIGTERM stops it with exit 0", async () => {
    child = spawn(process.execPath, [bin, "serve", "console", "--rpc-url", rpcUrl, "--deployment", deploymentFile, "--port", "0", "--json"], { env: { ...process.env, TEEZK_RPC_URL: "" } });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child!.stdout }).once("line", resolve);
      child!.once("exit", (code) => reject(new Error(`exited ${code}`)));
    });
    const listening = JSON.parse(line) as { service: string; url: string; chainId: number };
    expect(listening).toMatchObject({ service: "console", chainId: 31337 });

    const html = await fetch(`${listening.url}/enclaves`);
    expect(html.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await html.text()).toContain('<script type="module" src="/assets/app.js">');
    expect((await fetch(`${listening.url}/assets/app.js`)).status).toBe(200);
    const refused = await fetch(`${listening.url}/rpc`, { method: "POST", body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_sendTransaction", params: [] }) });
    expect(refused.status).toBe(400);

    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.goto(`${listening.url}/`);
    await expect(page.getByTestId("governance").textContent()).resolves.toContain("timelock delay1h 0s");

    const exited = new Promise<number | null>((resolve) => child!.once("exit", resolve));
    child.kill("SIGTERM");
    await expect(exited).resolves.toBe(0);
    child = undefined;
  });

  it("without --deployment it is a usage error (exit 2), before anything listens", async () => {
    const usage = spawn(process.execPath, [bin, "serve", "console", "--rpc-url", rpcUrl]);
    let stderr = "";
    usage.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => usage.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--deployment");
  });
});
