import { keccak256, type Hex } from "viem";
import type { Command } from "commander";
import { TeezkError, isTeezkError } from "../../errors/index.js";
import type { CliIo } from "../io.js";
import type { ChainCommandOutput } from "./chainCommandOutput.js";
import { checkDeploymentChain, DEPLOYMENT_FLAGS, resolveDeployment, type ChainDeployment, type DeploymentContract } from "./resolveDeployment.js";
import { connectChain, DEFAULT_PRIVATE_KEY_ENV, RPC_URL_ENV } from "./connectChain.js";
import { parseAddress, parseBytes32, parseHexArgument, parseTcbStatuses, parseTeeType, parseUint, readJsonFile } from "./parseCliValues.js";
import { registryChallenge } from "../commands/registry/registryChallenge.js";
import { registryExecute } from "../commands/registry/registryExecute.js";
import { registryRefreshLiveness } from "../commands/registry/registryRefreshLiveness.js";
import { registryRegister } from "../commands/registry/registryRegister.js";
import { registryRevoke } from "../commands/registry/registryRevoke.js";
import { registryScheduleAllow } from "../commands/registry/registryScheduleAllow.js";
import { registryStatus } from "../commands/registry/registryStatus.js";
import { receiptsBatchRefreshLiveness } from "../commands/receipts/receiptsBatchRefreshLiveness.js";
import { receiptsBatchSubmit } from "../commands/receipts/receiptsBatchSubmit.js";
import { receiptsBatchVerifyInclusion } from "../commands/receipts/receiptsBatchVerifyInclusion.js";
import { receiptsConsume } from "../commands/receipts/receiptsConsume.js";
import { receiptsVerify } from "../commands/receipts/receiptsVerify.js";
import { rootsPropose } from "../commands/roots/rootsPropose.js";
import { rootsReportConflict } from "../commands/roots/rootsReportConflict.js";
import { rootsStatus } from "../commands/roots/rootsStatus.js";
import { rootsSubmitZk } from "../commands/roots/rootsSubmitZk.js";
import type { TeezkClients } from "../../chain/index.js";

type Raw = Record<string, string | string[] | boolean | undefined>;
type Context = { deployment: ChainDeployment; publicClient: TeezkClients["publicClient"] };
type SignerContext = Context & TeezkClients;

/** Exit codes of the chain commands: 0 done, 1 refused or failed (a TeezkError); commander's usage errors are 2. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;

const repeat = (value: string, previous: string[] = []) => [...previous, value];

/**
 * Adds `teezk registry|receipts|roots …` to the program. Command logic lives in the functions this folder exports
 * (they take viem clients and parsed values, so tests call them in-process); this file only parses flags,
 * connects, prints and sets the exit code.
 */
export function registerChainCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const view = (cmd: Command, name: string, contracts: DeploymentContract[], body: (ctx: Context, raw: Raw) => Promise<ChainCommandOutput>) =>
    connectionOptions(cmd, contracts, false).action(async (raw: Raw) => setExitCode(await runChainCommand(name, raw, contracts, false, io, body)));
  const send = (cmd: Command, name: string, contracts: DeploymentContract[], body: (ctx: SignerContext, raw: Raw) => Promise<ChainCommandOutput>) =>
    connectionOptions(cmd, contracts, true).action(async (raw: Raw) =>
      setExitCode(await runChainCommand(name, raw, contracts, true, io, (ctx, r) => body(ctx as SignerContext, r))),
    );

  // ── registry ───────────────────────────────────────────────────────────────────────────────
  const registry = program.command("registry").description("MeasurementRegistry / EnclaveRegistry: allowlist governance, revocation, challenges, registration");
  send(
    registry
      .command("schedule-allow")
      .description("Propose allowing a measurement (and optionally its TEE policy and roots) as a timelock batch; run `registry execute` after the delay")
      .requiredOption("--program-id <hex32>", "program the measurement is allowed for")
      .requiredOption("--tee <type>", "tdx, sevsnp, nitro, nvidia, sgx (or 1..5)")
      .requiredOption("--measurement <hex32>", "Claims.measurement (DESIGN §2 digest)")
      .option("--valid-from <seconds>", "start of the validity window (default: execution time)")
      .option("--valid-until <seconds>", "end of the validity window (default: none)")
      .option("--accept-tcb <statuses>", "also set the TEE policy: accepted TCB statuses, comma-separated (UP_TO_DATE,NOT_APPLICABLE,…)")
      .option("--min-svn <n>", "TEE policy minimum SVN (default 0)")
      .option("--max-evidence-age <seconds>", "TEE policy maximum evidence age")
      .option("--allow-root <sha256>", "also allow this root certificate hash for the TEE type; repeatable", repeat)
      .option("--require-gpu", "first mark the program as requiring a GPU (only before its first measurement): its enclaves then register only with --gpu composites")
      .option("--delay <seconds>", "timelock delay (default: the timelock's minimum)")
      .option("--salt <hex32>", "operation salt (default: random)")
      .requiredOption("--save <file>", "write the operation (calls, salt) here for `registry execute --operation`; must not exist"),
    "registry schedule-allow",
    ["timelock", "measurementRegistry"],
    (ctx, raw) =>
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
      }),
  );
  send(
    registry
      .command("execute")
      .description("Execute a scheduled timelock operation once its delay has passed")
      .requiredOption("--operation <file>", "the file `registry schedule-allow --save` wrote"),
    "registry execute",
    ["timelock"],
    (ctx, raw) => registryExecute({ ...ctx, operationFile: str(raw.operation) }),
  );
  send(
    registry
      .command("revoke")
      .description("Guardian: revoke a measurement at once and for good (no timelock); its enclaves stop being live")
      .requiredOption("--tee <type>", "tdx, sevsnp, nitro, nvidia, sgx (or 1..5)")
      .requiredOption("--measurement <hex32>", "the measurement to revoke"),
    "registry revoke",
    ["measurementRegistry"],
    (ctx, raw) => registryRevoke({ ...ctx, teeType: parseTeeType(str(raw.tee)), measurement: parseBytes32(str(raw.measurement), "--measurement") }),
  );
  view(
    registry
      .command("status")
      .description("Registry views: a measurement (--tee --measurement [--program-id]), a TEE policy (--tee), an enclave (--enclave --program-id), or governance settings")
      .option("--program-id <hex32>", "program id")
      .option("--tee <type>", "tdx, sevsnp, nitro, nvidia, sgx (or 1..5)")
      .option("--measurement <hex32>", "measurement")
      .option("--enclave <address>", "enclave signing address")
      .option("--root-hash <sha256>", "report whether this root hash is allowed for --tee; repeatable", repeat),
    "registry status",
    ["measurementRegistry", "enclaveRegistry", "committee", "timelock"],
    (ctx, raw) =>
      registryStatus({
        ...ctx,
        ...opt(raw.programId, (v) => ({ programId: parseBytes32(v, "--program-id") })),
        ...opt(raw.tee, (v) => ({ teeType: parseTeeType(v) })),
        ...opt(raw.measurement, (v) => ({ measurement: parseBytes32(v, "--measurement") })),
        ...opt(raw.enclave, (v) => ({ enclave: parseAddress(v, "--enclave") })),
        ...(Array.isArray(raw.rootHash) ? { rootHashes: raw.rootHash.map((h) => parseBytes32(h, "--root-hash")) } : {}),
      }),
  );
  send(
    registry
      .command("refresh-liveness")
      .description("Re-run the full liveness check of a live enclave key after a revocation, rotation or removal, so its checks take the cheap cached path again (anyone may send it)")
      .requiredOption("--enclave <address>", "enclave signing address")
      .requiredOption("--program-id <hex32>", "program the key is registered for"),
    "registry refresh-liveness",
    ["enclaveRegistry"],
    (ctx, raw) => registryRefreshLiveness({ ...ctx, enclave: parseAddress(str(raw.enclave), "--enclave"), programId: parseBytes32(str(raw.programId), "--program-id") }),
  );
  send(
    registry
      .command("challenge")
      .description("Issue a one-time registration nonce for an enclave to bind into its evidence, usable only to register for one program")
      .requiredOption("--program-id <hex32>", "program the registration will name"),
    "registry challenge",
    ["enclaveRegistry"],
    (ctx, raw) => registryChallenge({ ...ctx, programId: parseBytes32(str(raw.programId), "--program-id") }),
  );
  send(
    registry
      .command("register")
      .description("Register an enclave key through the committee route with verifier-node verdicts over its evidence")
      .requiredOption("--program-id <hex32>", "program to register for")
      .requiredOption("--enclave <address>", "the enclave's signing address")
      .requiredOption("--nonce <hex32>", "the challenge (registry challenge) or block hash bound into the evidence")
      .option("--evidence <file>", "the enclave's evidence, sent to every --verifier node")
      .option("--gpu <file>", "with --evidence: the GPU half of composite CPU+GPU evidence; the nodes sign over the whole composite and it registers through registerComposite (needed when the program requires a GPU)")
      .option("--verifier <url>", "verifier node (teezk serve verifier) to ask for a verdict; repeat per committee member", repeat)
      .option("--verdicts <file>", "instead of --evidence/--verifier: collected verdicts (verifier-node answers as a JSON array, or { encodedClaims, verdicts })")
      .option("--hpke-key-hash <hex32>", "keccak256 of the enclave's HPKE public key")
      .option("--hpke-public-key <hex>", "the enclave's HPKE public key (hashed here), instead of --hpke-key-hash"),
    "registry register",
    ["enclaveRegistry", "committee"],
    (ctx, raw) =>
      registryRegister({
        ...ctx,
        programId: parseBytes32(str(raw.programId), "--program-id"),
        enclave: parseAddress(str(raw.enclave), "--enclave"),
        nonce: parseBytes32(str(raw.nonce), "--nonce"),
        hpkeKeyHash: hpkeKeyHash(raw),
        ...verdictSource(raw),
      }),
  );

  // ── receipts ───────────────────────────────────────────────────────────────────────────────
  const receipts = program.command("receipts").description("ReceiptVerifier / BatchReceipts: check, consume and batch enclave receipts");
  view(
    receipts
      .command("verify")
      .description("Check a signed receipt on-chain (a view: free, repeatable, does not mark it used)")
      .requiredOption("--receipt <file>", '{ "receipt": {…}, "signature": "0x…" } as a prover node returns it'),
    "receipts verify",
    ["receiptVerifier"],
    (ctx, raw) => receiptsVerify({ ...ctx, receiptFile: str(raw.receipt) }),
  );
  send(
    receipts
      .command("consume")
      .description("Verify and consume a signed receipt once for the sending account (replays revert)")
      .requiredOption("--receipt <file>", '{ "receipt": {…}, "signature": "0x…" }'),
    "receipts consume",
    ["receiptVerifier"],
    (ctx, raw) => receiptsConsume({ ...ctx, receiptFile: str(raw.receipt) }),
  );
  const batch = receipts.command("batch").description("Batches of receipts under one enclave signature (StandardMerkleTree)");
  send(
    batch
      .command("submit")
      .description("Rebuild a batch's Merkle root from its receipts and submit it with the enclave's batch signature")
      .requiredOption("--receipts <file.jsonl>", "one receipt (or { receipt }) per line")
      .requiredOption("--signature <hex>", "the enclave's EIP-712 signature over Batch(root, count, issuedAt)")
      .requiredOption("--issued-at <seconds>", "the batch's issuedAt as signed"),
    "receipts batch submit",
    ["batchReceipts"],
    (ctx, raw) =>
      receiptsBatchSubmit({
        ...ctx,
        receiptsFile: str(raw.receipts),
        signature: parseHexArgument(str(raw.signature), "--signature", 200),
        issuedAt: parseUint(str(raw.issuedAt), "--issued-at"),
      }),
  );
  send(
    batch
      .command("refresh-liveness")
      .description("Cache the signer's liveness for one program of a submitted batch, so its inclusion checks take the cheap path again (after a revocation, rotation or removal, or for a program other than the one named at submission; anyone may send it)")
      .requiredOption("--root <hex32>", "the batch root")
      .requiredOption("--signer <address>", "the enclave that submitted the batch")
      .requiredOption("--program-id <hex32>", "the program whose receipts in the batch to cache"),
    "receipts batch refresh-liveness",
    ["batchReceipts"],
    (ctx, raw) =>
      receiptsBatchRefreshLiveness({
        ...ctx,
        root: parseBytes32(str(raw.root), "--root"),
        signer: parseAddress(str(raw.signer), "--signer"),
        programId: parseBytes32(str(raw.programId), "--program-id"),
      }),
  );
  view(
    batch
      .command("verify-inclusion")
      .description("Check on-chain that a receipt is in a batch --signer submitted and that --signer is live: --receipts + --index, or --receipt + --root + --proof")
      .requiredOption("--signer <address>", "the enclave that submitted the batch (`receipts batch submit` prints it)")
      .option("--receipts <file.jsonl>", "the batch's receipts file (the proof is derived)")
      .option("--index <n>", "the receipt's line index in --receipts (0-based, blank lines skipped)")
      .option("--receipt <file>", "one receipt (bare or { receipt })")
      .option("--root <hex32>", "the batch root")
      .option("--proof <nodes>", "comma-separated 32-byte hex nodes, or @file with a JSON array"),
    "receipts batch verify-inclusion",
    ["batchReceipts"],
    (ctx, raw) => {
      const signer = parseAddress(str(raw.signer), "--signer");
      if (raw.receipts !== undefined) {
        if (raw.index === undefined) throw new TeezkError("CONFIG_INVALID", "--receipts needs --index <n>");
        return receiptsBatchVerifyInclusion({ ...ctx, signer, receiptsFile: str(raw.receipts), index: Number(parseUint(str(raw.index), "--index", 0xffffffffn)) });
      }
      if (raw.receipt === undefined || raw.root === undefined || raw.proof === undefined) {
        throw new TeezkError("CONFIG_INVALID", "Pass --receipts <file.jsonl> --index <n>, or --receipt <file> --root <hex32> --proof <nodes>");
      }
      return receiptsBatchVerifyInclusion({ ...ctx, signer, receiptFile: str(raw.receipt), root: parseBytes32(str(raw.root), "--root"), proof: parseProof(str(raw.proof)) });
    },
  );

  // ── roots ──────────────────────────────────────────────────────────────────────────────────
  const roots = program.command("roots").description("MultiProverRoots: roots finalized by several TEE vendors, conflicts, the ZK escape hatch");
  send(
    roots
      .command("propose")
      .description("Submit (epoch, root) with enclave signatures; finalizes only with enough distinct vendors (TDX and SGX are both Intel)")
      .requiredOption("--epoch <n>", "epoch (uint64)")
      .requiredOption("--root <hex32>", "state root")
      .requiredOption("--signatures <file>", '[{ "signer": "0x…", "signature": "0x…" }, …] over Root(epoch, root)')
      .option("--zk-proof <hex>", "ZK proof (0x… or @file); required by ZK deployments"),
    "roots propose",
    ["multiProverRoots"],
    (ctx, raw) =>
      rootsPropose({
        ...ctx,
        epoch: parseUint(str(raw.epoch), "--epoch"),
        root: parseBytes32(str(raw.root), "--root"),
        signaturesFile: str(raw.signatures),
        ...opt(raw.zkProof, (v) => ({ zkProof: parseHexArgument(v, "--zk-proof") })),
      }),
  );
  view(
    roots.command("status").description("Halted or running, quorum rule, escape hatch, and an epoch's finalized root").option("--epoch <n>", "also show this epoch"),
    "roots status",
    ["multiProverRoots"],
    (ctx, raw) => rootsStatus({ ...ctx, ...opt(raw.epoch, (v) => ({ epoch: parseUint(v, "--epoch") })) }),
  );
  send(
    roots
      .command("report-conflict")
      .description("Report enclaves that signed a second root for a finalized epoch: halts the contract, disputes the epoch and removes them (keys already removed cannot report again)")
      .requiredOption("--epoch <n>", "the finalized epoch")
      .requiredOption("--root <hex32>", "the conflicting root")
      .requiredOption("--signatures <file>", "the enclaves' signatures over (epoch, conflicting root)"),
    "roots report-conflict",
    ["multiProverRoots"],
    (ctx, raw) =>
      rootsReportConflict({ ...ctx, epoch: parseUint(str(raw.epoch), "--epoch"), root: parseBytes32(str(raw.root), "--root"), signaturesFile: str(raw.signatures) }),
  );
  send(
    roots
      .command("submit-zk")
      .description("Escape hatch: finalize (epoch, root) with a ZK proof alone while halted, after escapeDelay without a TEE quorum, or to settle a disputed epoch")
      .requiredOption("--epoch <n>", "epoch (uint64)")
      .requiredOption("--root <hex32>", "state root")
      .requiredOption("--zk-proof <hex>", "ZK proof (0x… or @file)"),
    "roots submit-zk",
    ["multiProverRoots"],
    (ctx, raw) =>
      rootsSubmitZk({ ...ctx, epoch: parseUint(str(raw.epoch), "--epoch"), root: parseBytes32(str(raw.root), "--root"), zkProof: parseHexArgument(str(raw.zkProof), "--zk-proof") }),
  );
}

function connectionOptions(cmd: Command, contracts: DeploymentContract[], signer: boolean): Command {
  cmd.option("--rpc-url <url>", `JSON-RPC endpoint (default: $${RPC_URL_ENV})`);
  if (signer) cmd.option("--private-key-env <name>", "environment variable holding the sender's private key (never pass a key on the command line)", DEFAULT_PRIVATE_KEY_ENV);
  cmd.option("--deployment <file.json>", "addresses as deploy/deploy.ts prints them (TEEZK_DEPLOYMENT_OUT)");
  for (const contract of contracts) cmd.option(`${DEPLOYMENT_FLAGS[contract]} <address>`, `${contract} address (overrides --deployment)`);
  return cmd.option("--json", "print one JSON object");
}

/**
 * Connects, runs `body` and prints: the readable text, or with --json the command's JSON object. Every failure
 * is a TeezkError printed with its code (and, in JSON, its details and hints) and exit code 1.
 */
async function runChainCommand(
  name: string,
  raw: Raw,
  contracts: DeploymentContract[],
  signer: boolean,
  io: CliIo,
  body: (ctx: Context | SignerContext, raw: Raw) => Promise<ChainCommandOutput>,
): Promise<number> {
  try {
    const overrides: Partial<Record<DeploymentContract, string>> = {};
    for (const contract of contracts) {
      const value = raw[contract];
      if (typeof value === "string") overrides[contract] = value;
    }
    const deployment = resolveDeployment({ ...(typeof raw.deployment === "string" ? { file: raw.deployment } : {}), overrides });
    const { chainId, ...clients } = await connectChain({
      ...(typeof raw.rpcUrl === "string" ? { rpcUrl: raw.rpcUrl } : {}),
      ...(typeof raw.privateKeyEnv === "string" ? { privateKeyEnv: raw.privateKeyEnv } : {}),
      signer,
    });
    checkDeploymentChain(deployment, chainId);
    const output = await body({ deployment, ...clients } as Context, raw);
    io.out(raw.json ? `${JSON.stringify(output.json)}\n` : output.text);
    return EXIT_OK;
  } catch (error) {
    const failure = isTeezkError(error) ? error : new TeezkError("INTERNAL", `${name} failed unexpectedly`, { cause: error, details: error instanceof Error ? error.message : String(error) });
    if (raw.json) {
      io.out(
        `${JSON.stringify({
          ok: false,
          command: name,
          code: failure.code,
          message: failure.shortMessage,
          ...(failure.details ? { details: failure.details } : {}),
          ...(failure.metaMessages.length ? { hints: failure.metaMessages } : {}),
        })}\n`,
      );
    } else {
      io.err(`error: ${failure.message}\n`);
    }
    return EXIT_FAILED;
  }
}

function str(value: Raw[string]): string {
  return typeof value === "string" ? value : "";
}

function opt<T>(value: Raw[string], build: (v: string) => T): T | Record<string, never> {
  return typeof value === "string" ? build(value) : {};
}

function hpkeKeyHash(raw: Raw): Hex {
  if (typeof raw.hpkeKeyHash === "string" && typeof raw.hpkePublicKey === "string") {
    throw new TeezkError("CONFIG_INVALID", "Pass --hpke-key-hash or --hpke-public-key, not both");
  }
  if (typeof raw.hpkeKeyHash === "string") return parseBytes32(raw.hpkeKeyHash, "--hpke-key-hash");
  if (typeof raw.hpkePublicKey === "string") return keccak256(parseHexArgument(raw.hpkePublicKey, "--hpke-public-key", 4096));
  throw new TeezkError("CONFIG_INVALID", "registry register needs --hpke-key-hash <hex32> or --hpke-public-key <hex>");
}

function verdictSource(raw: Raw): { verdictsFile: string } | { evidenceFile: string; gpuEvidenceFile?: string; verifierUrls: string[] } {
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

function parseProof(value: string): Hex[] {
  const nodes = value.startsWith("@") ? readJsonFile(value.slice(1), "--proof file", 64 * 1024) : value === "" ? [] : value.split(",");
  if (!Array.isArray(nodes) || nodes.length > 64) throw new TeezkError("CONFIG_INVALID", "--proof must list at most 64 nodes (a JSON array in an @file)");
  return nodes.map((node, i) => parseBytes32(String(node).trim(), `--proof node ${i}`));
}
