import { Option, type Command } from "commander";
import { zeroAddress, type Address, type Hex } from "viem";
import {
  createProverNode,
  createSimulatedEvidenceSource,
  createTeeEvidenceSource,
  simulatedProverVendors,
  type EvidenceSource,
  type SimulatedProverVendor,
} from "../../../services/prover/index.js";
import { getDevRoots } from "../../../tee/simulated/index.js";
import { UsageError, type CliIo } from "../../io.js";
import { parseAddressFlag, parseChainId, parsePort } from "./parseServeOptions.js";
import type { RunningService } from "./runUntilSignal.js";
import { addListeningLineJsonOption, addListenOptions, listenWithArchive, serveUntilSignal, type ServeListenOptions } from "./serveSupport.js";

export type ServeProverOptions = ServeListenOptions & {
  simulate?: SimulatedProverVendor;
  tee?: "tdx" | "sevsnp" | "nitro";
  register?: string[];
  gpu?: boolean;
  circuit?: string[];
  programId?: string[];
  chainId?: string;
  receiptVerifier?: string;
  devRoots?: string;
  keyRelease?: string;
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
  const command = serve
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
    .option("--receipt-verifier <address>", "ReceiptVerifier address receipts are signed for (EIP-712 domain); default none (zero address)");
  addListenOptions(command, { defaultPort: DEFAULT_PROVER_PORT, archiveDescription: "record every proof and receipt in this SQLite archive before answering" });
  command.option("--key-release <url>", "key-release service (teezk serve keys) for POST /v1/prove-stored: witnesses stored encrypted under a released data key");
  command.option("--dev-roots <dir>", "dev PKI folder for --simulate (default $TEEZK_HOME/dev-roots or ./.teezk/dev-roots)");
  addListeningLineJsonOption(command).action(async (options: ServeProverOptions) => {
    await serveUntilSignal({ io, setExitCode, start: () => startServeProver(options, io) });
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
  const source = options.simulate ? `simulated ${options.simulate}${options.gpu ? "+gpu" : ""}` : options.tee!;
  const { url, service: node, close } = await listenWithArchive({
    options,
    port,
    build: (archive) =>
      createProverNode({
        evidenceSource,
        receiptDomain,
        circuits,
        programIds,
        ...(options.keyRelease ? { keyRelease: { url: options.keyRelease } } : {}),
        ...(archive ? { archive } : {}),
      }),
    closeService: (node) => node.close(),
    announce: (node, url) => {
      const line = {
        service: "prover",
        url,
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
          : `prover node ${node.enclaveAddress} (${source}) listening on ${url}; receipts for ReceiptVerifier ${receiptVerifier} on chain ${receiptDomain.chainId}\n`,
      );
      if (options.simulate) io.err("warning: --simulate: evidence is signed by a local dev root. NOT FOR PRODUCTION.\n");
      if (options.receiptVerifier === undefined) {
        io.err("warning: no --receipt-verifier: receipts are signed for the zero address and no contract accepts them; fine for off-chain use.\n");
      }
    },
  });
  return { url, enclaveAddress: node.enclaveAddress, hpkePublicKey: node.hpkePublicKey, close };
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
