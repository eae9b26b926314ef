import { Option, type Command } from "commander";
import { zeroAddress, type Address, type Hex } from "viem";
import { isTeezkError } from "../errors/index.js";
import { serveApp } from "../services/http/index.js";
import {
  createProverNode,
  createSimulatedEvidenceSource,
  createTeeEvidenceSource,
  simulatedProverVendors,
  type EvidenceSource,
  type SimulatedProverVendor,
} from "../services/prover/index.js";
import { openArchive, type Archive } from "../store/index.js";
import { getDevRoots } from "../tee/simulated/index.js";
import { ExitCode, UsageError, type CliIo } from "./main.js";
import { parseAddressFlag, parseChainId, parsePort } from "./parseServeOptions.js";
import { runUntilSignal, type RunningService } from "./runUntilSignal.js";

export type ServeProverOptions = {
  simulate?: SimulatedProverVendor;
  tee?: "tdx" | "sevsnp" | "nitro";
  register?: string[];
  gpu?: boolean;
  circuit?: string[];
  programId?: string[];
  chainId?: string;
  receiptVerifier?: string;
  host?: string;
  port?: string;
  archive?: string;
  devRoots?: string;
  json?: boolean;
};

/** Default port of `teezk serve prover` (prover 7310, verifier 7311, keys 7312). */
export const DEFAULT_PROVER_PORT = 7310;
/** The chain id receipts are signed for when --chain-id is not given: Hardhat's and anvil's. */
export const DEFAULT_PROVER_CHAIN_ID = "31337";

/**
 * Adds `teezk serve prover` to the `serve` command: a prover node (attestation, sealed witnesses, Groth16 proofs,
 * signed receipts) on loopback by default, backed by a simulated TEE (`--simulate`, development) or by the TEE the
 * machine is (`--tee`). Prints one line when listening (`--json`: `{"service":"prover","url","enclaveAddress",…}`)
 * and runs until SIGINT/SIGTERM.
 */
export function registerServeProverCommand(serve: Command, io: CliIo, setExitCode: (code: number) => void): void {
  serve
    .command("prover")
    .description("Run a prover node: GET /v1/attestation binds its keys to your nonce, POST /v1/prove proves a sealed witness and signs a receipt")
    .addOption(new Option("--simulate <vendor>", "simulated TEE signed by the local dev root (NOT FOR PRODUCTION)").choices([...simulatedProverVendors]))
    .addOption(new Option("--tee <kind>", "the TEE this machine is: evidence from configfs-tsm (tdx, sevsnp) or TEEZK_NITRO_ATTEST_CMD").choices(["tdx", "sevsnp", "nitro"]))
    .option(
      "--register <name=hex>",
      "with --simulate: set a register (mrTd, rtmr0, measurement, pcr0, …) to change the measurement; repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option("--gpu", "with --simulate: add simulated NVIDIA GPU evidence bound to the same binding (composite)")
    .option("--circuit <name>", "circuit to prove (artifacts under circuits/build); repeatable; default membership", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("--program-id <circuit=0x…>", "programId receipts carry for a circuit (the PrivateProofVerifier's); repeatable", (value: string, previous: string[] = []) => [
      ...previous,
      value,
    ])
    .option("--chain-id <id>", "chain id of the ReceiptVerifier receipts are signed for", DEFAULT_PROVER_CHAIN_ID)
    .option("--receipt-verifier <address>", "ReceiptVerifier address receipts are signed for (EIP-712 domain); default none (zero address)")
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", String(DEFAULT_PROVER_PORT))
    .option("--archive <file>", "record every proof and receipt in this SQLite archive before answering")
    .option("--dev-roots <dir>", "dev PKI folder for --simulate (default $TEEZK_HOME/dev-roots or ./.teezk/dev-roots)")
    .addOption(new Option("--json", "print the listening line as JSON"))
    .action(async (options: ServeProverOptions) => {
      let running: RunningService;
      try {
        running = await startServeProver(options, io);
      } catch (error) {
        if (error instanceof UsageError || !isTeezkError(error)) throw error;
        io.err(`error: ${error.message}\n`);
        setExitCode(ExitCode.REJECTED);
        return;
      }
      await runUntilSignal(running);
      setExitCode(ExitCode.OK);
    });
}

/** Builds and starts the node from the command's options; resolves once it listens (tests call this directly). */
export async function startServeProver(options: ServeProverOptions, io: CliIo): Promise<RunningService & { enclaveAddress: Address; hpkePublicKey: Hex }> {
  if (Boolean(options.simulate) === Boolean(options.tee)) {
    throw new UsageError("serve prover needs exactly one of --simulate <tdx|sevsnp|nitro|sgx> (development) or --tee <tdx|sevsnp|nitro> (inside a TEE)");
  }
  if (options.tee && (options.register?.length || options.gpu)) throw new UsageError("--register and --gpu only apply to --simulate");
  const port = parsePort(options.port, DEFAULT_PROVER_PORT);
  const receiptVerifier = options.receiptVerifier === undefined ? zeroAddress : parseAddressFlag("--receipt-verifier", options.receiptVerifier);
  const receiptDomain = { chainId: parseChainId(options.chainId ?? DEFAULT_PROVER_CHAIN_ID), verifyingContract: receiptVerifier };
  const circuits = options.circuit?.length ? options.circuit : ["membership"];
  const programIds = parseProgramIds(options.programId, circuits);
  const registers = parseRegisters(options.register);
  const evidenceSource: EvidenceSource = options.simulate
    ? createSimulatedEvidenceSource({
        vendor: options.simulate,
        devRoots: getDevRoots(options.devRoots ? { dir: options.devRoots } : {}),
        ...(registers ? { registers } : {}),
        ...(options.gpu ? { gpu: true } : {}),
      })
    : createTeeEvidenceSource({ kind: options.tee! });
  const archive: Archive | undefined = options.archive ? openArchive(options.archive) : undefined;
  let node: Awaited<ReturnType<typeof createProverNode>> | undefined;
  try {
    node = await createProverNode({ evidenceSource, receiptDomain, circuits, programIds, ...(archive ? { archive } : {}) });
    const server = await serveApp(node.app, { host: options.host ?? "127.0.0.1", port });
    const source = options.simulate ? `simulated ${options.simulate}${options.gpu ? "+gpu" : ""}` : options.tee!;
    const line = {
      service: "prover",
      url: server.url,
      enclaveAddress: node.enclaveAddress,
      hpkePublicKey: node.hpkePublicKey,
      tee: source,
      simulated: Boolean(options.simulate),
      receiptDomain,
      programIds: node.programIds,
    };
    io.out(
      options.json
        ? `${JSON.stringify(line)}\n`
        : `prover node ${node.enclaveAddress} (${source}) listening on ${server.url}; receipts for ReceiptVerifier ${receiptVerifier} on chain ${receiptDomain.chainId}\n`,
    );
    if (options.simulate) io.err("warning: --simulate: evidence is signed by a local dev root. NOT FOR PRODUCTION.\n");
    if (options.receiptVerifier === undefined) {
      io.err("warning: no --receipt-verifier: receipts are signed for the zero address and no contract accepts them; fine for off-chain use.\n");
    }
    const started = node;
    return {
      url: server.url,
      enclaveAddress: started.enclaveAddress,
      hpkePublicKey: started.hpkePublicKey,
      close: async () => {
        await server.close();
        await started.close();
        archive?.close();
      },
    };
  } catch (error) {
    await node?.close();
    archive?.close();
    throw error;
  }
}

function parseProgramIds(values: readonly string[] | undefined, circuits: readonly string[]): Record<string, Hex> {
  const ids: Record<string, Hex> = {};
  for (const value of values ?? []) {
    const match = /^([a-z0-9_]{1,64})=(0x[0-9a-fA-F]{64})$/.exec(value);
    if (!match) throw new UsageError(`--program-id expects <circuit>=<0x + 64 hex digits>, got "${value.slice(0, 120)}"`);
    if (!circuits.includes(match[1]!)) throw new UsageError(`--program-id names circuit "${match[1]}", which is not served (--circuit)`);
    ids[match[1]!] = match[2]!.toLowerCase() as Hex;
  }
  return ids;
}

function parseRegisters(values: readonly string[] | undefined): Record<string, Hex> | undefined {
  if (!values?.length) return undefined;
  const registers: Record<string, Hex> = {};
  for (const value of values) {
    const match = /^([A-Za-z][A-Za-z0-9]{0,31})=(?:0x)?([0-9a-fA-F]{2,256})$/.exec(value);
    if (!match || match[2]!.length % 2 !== 0) throw new UsageError(`--register expects <name>=<hex bytes>, got "${value.slice(0, 120)}"`);
    registers[match[1]!] = `0x${match[2]!.toLowerCase()}`;
  }
  return registers;
}
