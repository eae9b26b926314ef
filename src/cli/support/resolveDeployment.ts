import { readFileSync, statSync } from "node:fs";
import { getAddress, isAddress, type Address } from "viem";
import { TeezkError } from "../../errors/index.js";
import { DEPLOYMENT_FLAGS, type DeploymentContract } from "./chainOptions.js";

/** What the CLI knows of a deployment: any subset of the addresses, and the chain id when the file gives it. */
export type ChainDeployment = Partial<Record<DeploymentContract, Address>> & { chainId?: number };

export type ResolveDeploymentParameters = {
  /** --deployment: the JSON deploy/deploy.ts prints and writes to TEEZK_DEPLOYMENT_OUT. */
  file?: string;
  /** Individual --<contract> flags; each overrides the file's entry. */
  overrides?: Partial<Record<DeploymentContract, string>>;
};
export type ResolveDeploymentErrorType = TeezkError;

const MAX_DEPLOYMENT_BYTES = 64 * 1024;

/**
 * Reads the deployment description written by deploy/deploy.ts (its DeployTeezkReturnType) and applies flag
 * overrides. Unknown keys in the file (deployer, sp1AttestationVerifier) are ignored; a malformed address is
 * refused here, naming the key, rather than reverting later at address zero.
 */
export function resolveDeployment({ file, overrides = {} }: ResolveDeploymentParameters): ChainDeployment {
  const deployment: ChainDeployment = {};
  if (file !== undefined) {
    const json = readDeploymentFile(file);
    if (json.chainId !== undefined) {
      if (typeof json.chainId !== "number" || !Number.isSafeInteger(json.chainId) || json.chainId <= 0) {
        throw new TeezkError("CONFIG_INVALID", `${file}: chainId must be a positive integer`);
      }
      deployment.chainId = json.chainId;
    }
    for (const key of Object.keys(DEPLOYMENT_FLAGS) as DeploymentContract[]) {
      const value = json[key];
      if (value === undefined) continue;
      if (typeof value !== "string" || !isAddress(value, { strict: false })) {
        throw new TeezkError("CONFIG_INVALID", `${file}: ${key} is not an address`);
      }
      deployment[key] = getAddress(value);
    }
  }
  for (const [key, value] of Object.entries(overrides) as [DeploymentContract, string | undefined][]) {
    if (value === undefined) continue;
    if (!isAddress(value, { strict: false })) throw new TeezkError("CONFIG_INVALID", `${DEPLOYMENT_FLAGS[key]} expects a 0x-prefixed 20-byte address; got "${value.slice(0, 80)}"`);
    deployment[key] = getAddress(value);
  }
  return deployment;
}

/** The address of `contract`, or CONFIG_INVALID naming the flag (and the file) that would supply it. */
export function requireAddress(deployment: ChainDeployment, contract: DeploymentContract): Address {
  const address = deployment[contract];
  if (address) return address;
  throw new TeezkError("CONFIG_INVALID", `No ${contract} address: pass ${DEPLOYMENT_FLAGS[contract]} 0x… or --deployment <file.json>`, {
    metaMessages: [
      "deploy/deploy.ts prints the deployment as JSON and writes it to TEEZK_DEPLOYMENT_OUT when set.",
      ...(contract === "multiProverRoots" ? ["MultiProverRoots is deployed only with TEEZK_ROOT_PROOF_VERIFIER set."] : []),
    ],
  });
}

/** Refuses a deployment file written for another chain than the RPC serves: every address would be wrong there. */
export function checkDeploymentChain(deployment: ChainDeployment, chainId: number): void {
  if (deployment.chainId !== undefined && deployment.chainId !== chainId) {
    throw new TeezkError("CHAIN_ID_MISMATCH", `The deployment is for chain ${deployment.chainId} but the RPC serves chain ${chainId}`, {
      metaMessages: ["Point --rpc-url at the deployment's chain, or pass the deployment file written for this one."],
    });
  }
}

function readDeploymentFile(file: string): Record<string, unknown> {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new TeezkError("CONFIG_INVALID", `Cannot read the deployment file ${file}`, { metaMessages: ["Pass --deployment <file.json> as written by deploy/deploy.ts."] });
  }
  if (size > MAX_DEPLOYMENT_BYTES) throw new TeezkError("CONFIG_INVALID", `The deployment file ${file} is ${size} bytes; a deployment description is under ${MAX_DEPLOYMENT_BYTES}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `The deployment file ${file} is not JSON`, { cause });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TeezkError("CONFIG_INVALID", `The deployment file ${file} must hold one JSON object`);
  }
  return json as Record<string, unknown>;
}
