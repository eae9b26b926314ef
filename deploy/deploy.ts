import { readFile, writeFile } from "node:fs/promises";
import { isAddress, isHex, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { TeezkError } from "../src/errors/index.js";
import { DEPLOYMENT_DEFAULTS } from "./coreWiring.js";
import { deployTeezk } from "./deployTeezk.js";

/*
 * `npx tsx deploy/deploy.ts` — deploys teezk to any RPC.
 * Required: TEEZK_RPC_URL, TEEZK_PRIVATE_KEY.
 * Optional: TEEZK_MIN_DELAY (s, default 172800), TEEZK_PROPOSERS, TEEZK_EXECUTORS (comma lists; default deployer /
 * anyone), TEEZK_GUARDIAN (default deployer), TEEZK_COMMITTEE_NODES (default deployer), TEEZK_COMMITTEE_THRESHOLD
 * (default 1; outside a development chain a threshold of 1 is refused unless TEEZK_ACCEPT_ONE_KEY_ATTESTS_ANYTHING=true,
 * since any one node key, by default the deployer's, would then attest anything), TEEZK_SP1_VERIFIER + TEEZK_SP1_VKEY (the SP1 gateway and `teezk-zk vkey`: deploys Sp1AttestationVerifier
 * as route 2 and Sp1ReceiptVerifier; without a gateway neither is deployed), TEEZK_ROOT_PROOF_VERIFIER +
 * TEEZK_PROGRAM_ID (+ TEEZK_MIN_VENDORS, distinct vendors per root, 1..3, default 2,
 * TEEZK_ESCAPE_DELAY, TEEZK_ZK_REQUIRED=true|false), TEEZK_DCAP=false (skip the on-chain DCAP route; by default its
 * collateral store pinned to Intel's SGX Root CA and its verifier are deployed and added as route 3), TEEZK_DCAP_ROOT +
 * TEEZK_DCAP_ROOT_SHA256 (dev: another root's DER file and the SHA-256 it pins), TEEZK_DEPLOYMENT_OUT (JSON file
 * for the addresses).
 */

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new TeezkError("CONFIG_INVALID", `${name} is not set`);
  return value;
}

function addresses(name: string, fallback: Address[]): Address[] {
  const raw = process.env[name];
  if (!raw) return fallback;
  const list = raw.split(",").map((s) => s.trim());
  for (const a of list) if (!isAddress(a)) throw new TeezkError("CONFIG_INVALID", `${name}: ${a} is not an address`);
  return list as Address[];
}

function bytes32(name: string): Hex {
  const value = required(name);
  if (!isHex(value) || value.length !== 66) throw new TeezkError("CONFIG_INVALID", `${name} must be 32 bytes of hex`);
  return value;
}

function integer(name: string, fallback: bigint): bigint {
  const raw = process.env[name];
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new TeezkError("CONFIG_INVALID", `${name} must be a non-negative integer`);
  return BigInt(raw);
}

/** TEEZK_MIN_VENDORS; the old TEEZK_MIN_TEE_TYPES counted TEE types (TDX and SGX twice) and is refused, not ignored. */
function minVendors(): bigint {
  if (process.env.TEEZK_MIN_TEE_TYPES) {
    throw new TeezkError("CONFIG_INVALID", "TEEZK_MIN_TEE_TYPES was renamed TEEZK_MIN_VENDORS: the quorum counts distinct vendors (1..3)");
  }
  return integer("TEEZK_MIN_VENDORS", DEPLOYMENT_DEFAULTS.minVendors);
}

/** The DCAP route unless TEEZK_DCAP=false; Intel's root unless TEEZK_DCAP_ROOT names another (dev) root, with its pin. */
async function dcap(): Promise<{ dcap?: { root?: { der: Uint8Array; sha256: Hex } } }> {
  const enabled = process.env.TEEZK_DCAP ?? "true";
  if (enabled !== "true" && enabled !== "false") throw new TeezkError("CONFIG_INVALID", "TEEZK_DCAP must be true or false");
  if (enabled === "false") return {};
  const path = process.env.TEEZK_DCAP_ROOT;
  if (!path) return { dcap: {} };
  const der = await readFile(path).catch((cause: unknown) => {
    throw new TeezkError("CONFIG_INVALID", `TEEZK_DCAP_ROOT: cannot read ${path}`, { cause });
  });
  return { dcap: { root: { der: new Uint8Array(der), sha256: bytes32("TEEZK_DCAP_ROOT_SHA256") } } };
}

async function main(): Promise<void> {
  const rpcUrl = required("TEEZK_RPC_URL");
  const privateKey = required("TEEZK_PRIVATE_KEY");
  if (!isHex(privateKey) || privateKey.length !== 66) {
    throw new TeezkError("CONFIG_INVALID", "TEEZK_PRIVATE_KEY must be 0x-prefixed 32-byte hex");
  }
  const deployer = privateKeyToAccount(privateKey).address;
  const result = await deployTeezk({
    rpcUrl,
    privateKey,
    minDelay: integer("TEEZK_MIN_DELAY", DEPLOYMENT_DEFAULTS.minDelay),
    proposers: addresses("TEEZK_PROPOSERS", [deployer]),
    executors: addresses("TEEZK_EXECUTORS", [...DEPLOYMENT_DEFAULTS.executors]),
    guardian: addresses("TEEZK_GUARDIAN", [deployer])[0] ?? deployer,
    committeeNodes: addresses("TEEZK_COMMITTEE_NODES", [deployer]),
    committeeThreshold: integer("TEEZK_COMMITTEE_THRESHOLD", 1n),
    acceptOneKeyAttestsAnything: process.env.TEEZK_ACCEPT_ONE_KEY_ATTESTS_ANYTHING === "true",
    ...(process.env.TEEZK_SP1_VERIFIER
      ? { sp1: { verifier: addresses("TEEZK_SP1_VERIFIER", [])[0]!, programVKey: bytes32("TEEZK_SP1_VKEY") } }
      : {}),
    ...(process.env.TEEZK_ROOT_PROOF_VERIFIER
      ? {
          multiProver: {
            rootProofVerifier: addresses("TEEZK_ROOT_PROOF_VERIFIER", [])[0]!,
            programId: bytes32("TEEZK_PROGRAM_ID"),
            minVendors: minVendors(),
            escapeDelay: integer("TEEZK_ESCAPE_DELAY", DEPLOYMENT_DEFAULTS.escapeDelay),
            zkRequired: process.env.TEEZK_ZK_REQUIRED === "true",
          },
        }
      : {}),
    ...(await dcap()),
  });
  if (!result.sp1AttestationVerifier) {
    process.stderr.write("SP1 verifiers not deployed: TEEZK_SP1_VERIFIER (an SP1 verifier gateway) is not set\n");
  }
  if (!result.dcapVerifier) process.stderr.write("On-chain DCAP route not deployed: TEEZK_DCAP=false\n");
  const json = JSON.stringify(result, null, 2);
  if (process.env.TEEZK_DEPLOYMENT_OUT) await writeFile(process.env.TEEZK_DEPLOYMENT_OUT, json + "\n");
  process.stdout.write(json + "\n");
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
