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
import { DEFAULT_PROVER_CHAIN_ID, DEFAULT_PROVER_PORT, type ServeListenOptions } from "./serveOptions.js";
import { listenWithArchive, serveUntilSignal } from "./serveSupport.js";

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

/** `teezk serve prover`: starts the node, prints its listening line and runs until SIGINT/SIGTERM. */
export async function serveProver(options: ServeProverOptions, io: CliIo, setExitCode: (code: number) => void): Promise<void> {
  await serveUntilSignal({ io, setExitCode, start: () => startServeProver(options, io) });
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
