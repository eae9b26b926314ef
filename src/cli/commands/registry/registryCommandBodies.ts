import { keccak256, type Hex } from "viem";
import { TeezkError } from "../../../errors/index.js";
import { opt, str, type ChainFlags } from "../../support/chainOptions.js";
import { parseAddress, parseBytes32, parseHexArgument, parseTcbStatuses, parseTeeType, parseUint } from "../../support/parseCliValues.js";
import type { ChainCommandBody, ChainSendContext, ChainViewContext } from "../../support/runChainCommand.js";
import { registryChallenge } from "./registryChallenge.js";
import { registryExecute } from "./registryExecute.js";
import { registryRefreshLiveness } from "./registryRefreshLiveness.js";
import { registryRegister } from "./registryRegister.js";
import { registryRegisterDcap } from "./registryRegisterDcap.js";
import { registryRevoke } from "./registryRevoke.js";
import { registryScheduleAllow } from "./registryScheduleAllow.js";
import { registryStatus } from "./registryStatus.js";

/*
 * The bodies of `teezk registry …`: each parses its command's flags (a bad value is CONFIG_INVALID naming the flag) and
 * calls the command's function; registerRegistryCommands.ts declares the flags and loads this file when one runs.
 */

/** `teezk registry schedule-allow` */
export const scheduleAllow: ChainCommandBody<ChainSendContext> = (ctx, raw) =>
  registryScheduleAllow({
    ...ctx,
    programId: parseBytes32(str(raw.programId), "--program-id"),
    teeType: parseTeeType(str(raw.tee)),
    measurement: parseBytes32(str(raw.measurement), "--measurement"),
    ...opt(raw.validFrom, (v) => ({ validFrom: parseUint(v, "--valid-from") })),
    ...opt(raw.validUntil, (v) => ({ validUntil: parseUint(v, "--valid-until") })),
    ...opt(raw.acceptTcb, (v) => ({ acceptTcb: parseTcbStatuses(v, "--accept-tcb") })),
    ...opt(raw.minSvn, (v) => ({ minSvn: Number(parseUint(v, "--min-svn", (1n << 48n) - 1n)) })),
    ...opt(raw.maxEvidenceAge, (v) => ({ maxEvidenceAge: parseUint(v, "--max-evidence-age") })),
    ...(Array.isArray(raw.allowRoot) ? { allowRoots: raw.allowRoot.map((h) => parseBytes32(h, "--allow-root")) } : {}),
    ...(raw.requireGpu === true ? { requireGpu: true } : {}),
    ...opt(raw.delay, (v) => ({ delay: parseUint(v, "--delay", (1n << 256n) - 1n) })),
    ...opt(raw.salt, (v) => ({ salt: parseBytes32(v, "--salt") })),
    ...opt(raw.save, (v) => ({ save: v })),
  });

/** `teezk registry execute` */
export const execute: ChainCommandBody<ChainSendContext> = (ctx, raw) => registryExecute({ ...ctx, operationFile: str(raw.operation) });

/** `teezk registry revoke` */
export const revoke: ChainCommandBody<ChainSendContext> = (ctx, raw) => registryRevoke({ ...ctx, teeType: parseTeeType(str(raw.tee)), measurement: parseBytes32(str(raw.measurement), "--measurement") });

/** `teezk registry status` */
export const status: ChainCommandBody<ChainViewContext> = (ctx, raw) =>
  registryStatus({
    ...ctx,
    ...opt(raw.programId, (v) => ({ programId: parseBytes32(v, "--program-id") })),
    ...opt(raw.tee, (v) => ({ teeType: parseTeeType(v) })),
    ...opt(raw.measurement, (v) => ({ measurement: parseBytes32(v, "--measurement") })),
    ...opt(raw.enclave, (v) => ({ enclave: parseAddress(v, "--enclave") })),
    ...(Array.isArray(raw.rootHash) ? { rootHashes: raw.rootHash.map((h) => parseBytes32(h, "--root-hash")) } : {}),
  });

/** `teezk registry refresh-liveness` */
export const refreshLiveness: ChainCommandBody<ChainSendContext> = (ctx, raw) => registryRefreshLiveness({ ...ctx, enclave: parseAddress(str(raw.enclave), "--enclave"), programId: parseBytes32(str(raw.programId), "--program-id") });

/** `teezk registry challenge` */
export const challenge: ChainCommandBody<ChainSendContext> = (ctx, raw) => registryChallenge({ ...ctx, programId: parseBytes32(str(raw.programId), "--program-id") });

/** `teezk registry register` */
export const register: ChainCommandBody<ChainSendContext> = (ctx, raw) => {
  const common = {
    ...ctx,
    programId: parseBytes32(str(raw.programId), "--program-id"),
    enclave: parseAddress(str(raw.enclave), "--enclave"),
    nonce: parseBytes32(str(raw.nonce), "--nonce"),
    hpkeKeyHash: hpkeKeyHash(raw),
  };
  if (raw.route === undefined || raw.route === "committee") return registryRegister({ ...common, ...verdictSource(raw) });
  if (raw.route !== "dcap") throw new TeezkError("CONFIG_INVALID", `--route is committee or dcap, got "${String(raw.route)}"`);
  if (typeof raw.evidence !== "string" || raw.verdicts !== undefined || raw.verifier !== undefined || raw.gpu !== undefined) {
    throw new TeezkError("CONFIG_INVALID", "--route dcap takes --evidence <quote> alone (no --verdicts, --verifier or --gpu)");
  }
  return registryRegisterDcap({ ...common, quoteFile: raw.evidence });
};

function hpkeKeyHash(raw: ChainFlags): Hex {
  if (typeof raw.hpkeKeyHash === "string" && typeof raw.hpkePublicKey === "string") {
    throw new TeezkError("CONFIG_INVALID", "Pass --hpke-key-hash or --hpke-public-key, not both");
  }
  if (typeof raw.hpkeKeyHash === "string") return parseBytes32(raw.hpkeKeyHash, "--hpke-key-hash");
  if (typeof raw.hpkePublicKey === "string") return keccak256(parseHexArgument(raw.hpkePublicKey, "--hpke-public-key", 4096));
  throw new TeezkError("CONFIG_INVALID", "registry register needs --hpke-key-hash <hex32> or --hpke-public-key <hex>");
}

function verdictSource(raw: ChainFlags): { verdictsFile: string } | { evidenceFile: string; gpuEvidenceFile?: string; verifierUrls: string[] } {
  const nodes = Array.isArray(raw.verifier) ? raw.verifier : [];
  if (typeof raw.verdicts === "string") {
    if (raw.evidence !== undefined || raw.gpu !== undefined || nodes.length > 0) {
      throw new TeezkError("CONFIG_INVALID", "Pass --verdicts <file>, or --evidence <file> (and --gpu <file>) with --verifier <url>…, not both");
    }
    return { verdictsFile: raw.verdicts };
  }
  if (typeof raw.evidence !== "string" || nodes.length === 0) {
    throw new TeezkError("CONFIG_INVALID", "registry register needs --evidence <file> and at least one --verifier <url>, or --verdicts <file>");
  }
  for (const url of nodes) {
    if (!/^https?:\/\//.test(url)) throw new TeezkError("CONFIG_INVALID", `--verifier expects an http(s) URL; got "${url.slice(0, 80)}"`);
  }
  return { evidenceFile: raw.evidence, ...(typeof raw.gpu === "string" ? { gpuEvidenceFile: raw.gpu } : {}), verifierUrls: nodes };
}
