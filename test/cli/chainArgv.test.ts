import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { checkDeploymentChain, requireAddress, resolveDeployment } from "../../src/cli/support/resolveDeployment.js";
import { connectChain } from "../../src/cli/support/connectChain.js";
import { runCli } from "./support/runCli.js";
import { tempDir, writeTemp } from "./support/chainCli.js";
import { rejection } from "../support/rejection.js";

const bin = fileURLToPath(new URL("../../bin/teezk.js", import.meta.url));
const measurement = `0x${"ab".repeat(32)}`;
const address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** Runs the real binary; a missing variable in `env` means unset (TEEZK_* of the developer's shell never leak in). */
async function spawnTeezk(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("TEEZK_")));
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...clean, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("teezk registry|receipts|roots: argv parsing and connection errors", () => {
  it("`registry --help` lists the subcommands (spawned binary)", async () => {
    const { code, stdout } = await spawnTeezk(["registry", "--help"]);
    expect(code).toBe(0);
    for (const sub of ["schedule-allow", "execute", "revoke", "status", "refresh-liveness", "challenge", "register"]) expect(stdout).toContain(sub);
  });

  it("a command without --rpc-url or TEEZK_RPC_URL exits 1 with CONFIG_INVALID naming both (spawned binary)", async () => {
    const json = await spawnTeezk(["roots", "status", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, command: "roots status", code: "CONFIG_INVALID" });
    expect(JSON.parse(json.stdout).message).toMatch(/--rpc-url.*TEEZK_RPC_URL/);
    const text = await spawnTeezk(["receipts", "verify", "--receipt", "r.json"]);
    expect(text.code).toBe(1);
    expect(text.stderr).toContain("CONFIG_INVALID: No RPC URL");
  });

  it("a malformed key in the environment is refused without echoing it (spawned binary)", async () => {
    const secret = "0xdeadbeefsecretvalue";
    const { code, stdout } = await spawnTeezk(["registry", "challenge", "--program-id", `0x${"11".repeat(32)}`, "--rpc-url", "http://127.0.0.1:9", "--json"], { TEEZK_PRIVATE_KEY: secret });
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ code: "CONFIG_INVALID", message: "TEEZK_PRIVATE_KEY must hold a 0x-prefixed 32-byte hex private key" });
    expect(stdout).not.toContain("deadbeef");
  });

  it("a missing required flag is a usage error (exit 2); a missing key names the variable; views need no key", async () => {
    expect((await runCli(["registry", "revoke", "--tee", "nitro"])).code).toBe(2);
    // Batches are keyed by (root, signer): an inclusion check must name the signer.
    expect((await runCli(["receipts", "batch", "verify-inclusion", "--receipts", "b.jsonl", "--index", "0"])).code).toBe(2);
    expect((await runCli(["registry", "refresh-liveness", "--enclave", address])).code).toBe(2);
    const noKey = await runCli(["registry", "revoke", "--rpc-url", "http://127.0.0.1:9", "--private-key-env", "TEEZK_TEST_UNSET_KEY", "--tee", "nitro", "--measurement", measurement, "--json"]);
    expect(noKey.code).toBe(1);
    expect(JSON.parse(noKey.out).message).toContain("set TEEZK_TEST_UNSET_KEY");
    // A view gets past the key and fails at the (closed) RPC port instead.
    const view = await runCli(["roots", "status", "--rpc-url", "http://127.0.0.1:9", "--multi-prover-roots", address, "--json"]);
    expect(JSON.parse(view.out)).toMatchObject({ code: "CHAIN_UNREACHABLE", message: "Asking the node its chain id: cannot reach the node at http://127.0.0.1:9: bad port" });
  });

  it("flag values are checked before connecting, each error naming its flag", async () => {
    const badAddress = await runCli(["roots", "status", "--multi-prover-roots", "0x1234", "--json"]);
    expect(JSON.parse(badAddress.out)).toMatchObject({ code: "CONFIG_INVALID" });
    expect(JSON.parse(badAddress.out).message).toContain("--multi-prover-roots");
    const badRpc = await runCli(["roots", "status", "--rpc-url", "ftp://example", "--json"]);
    expect(JSON.parse(badRpc.out).message).toContain("--rpc-url must be http(s)");
  });
});

describe("deployment description", () => {
  const dir = tempDir();
  const written = { chainId: 31337, deployer: address, timelock: address, measurementRegistry: address, enclaveRegistry: address, committee: address, receiptVerifier: address, batchReceipts: address };

  it("reads deploy/deploy.ts's JSON; flags override entries; a missing contract names its flag", () => {
    const file = writeTemp(dir, "deployment.json", written);
    const other = "0x0000000000000000000000000000000000000001";
    const deployment = resolveDeployment({ file, overrides: { receiptVerifier: other } });
    expect(deployment).toMatchObject({ chainId: 31337, timelock: address, receiptVerifier: "0x0000000000000000000000000000000000000001" });
    expect(() => requireAddress(deployment, "multiProverRoots")).toThrow(/--multi-prover-roots/);
    expect(() => checkDeploymentChain(deployment, 1)).toThrow(/deployment is for chain 31337 but the RPC serves chain 1/);
    expect(() => checkDeploymentChain(deployment, 31337)).not.toThrow();
  });

  it("refuses a malformed file with the key at fault", () => {
    expect(() => resolveDeployment({ file: writeTemp(dir, "bad.json", { ...written, batchReceipts: "0x12" }) })).toThrow(/batchReceipts is not an address/);
    expect(() => resolveDeployment({ file: writeTemp(dir, "notjson.json", "{") })).toThrow(/is not JSON/);
    expect(() => resolveDeployment({ file: `${dir}/absent.json` })).toThrow(/Cannot read the deployment file/);
  });

  it("connectChain needs a URL and, only for transactions, a key from the named variable", async () => {
    expect((await rejection(connectChain({ signer: false, env: {} }))).shortMessage).toContain("TEEZK_RPC_URL");
    expect((await rejection(connectChain({ rpcUrl: "http://127.0.0.1:9", signer: true, env: {} }))).shortMessage).toContain("set TEEZK_PRIVATE_KEY");
    expect((await rejection(connectChain({ rpcUrl: "http://127.0.0.1:9", signer: true, privateKeyEnv: "bad name;", env: {} }))).shortMessage).toContain("--private-key-env");
  });
});
