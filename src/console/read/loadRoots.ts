import { decodeFunctionData, getAddress, recoverTypedDataAddress, type Address, type Hex } from "viem";
import { enclaveRegistryAbi, multiProverRootsAbi } from "../../chain/contractAbis.js";
import { multiProverRootsDomain, rootTypes } from "../../chain/typedData.js";
import { teeLabel, teeTypesOfBitmapLabel, vendorLabel } from "./labels.js";
import { loadRootsState, type RootsState } from "./loadOverview.js";
import { readChainClock } from "./readChainClock.js";
import type { ChainClock, ConsoleReadParameters } from "./types.js";

export type RootSigner = { address: Address; tee: string; vendor: string };

export type RootsTimelineEntry = {
  kind: "finalized" | "conflict" | "disputed" | "settled" | "halted" | "resumed" | "removal-failed";
  epoch?: bigint;
  root?: Hex;
  /** Words for the row: how it finalized, what conflicted. */
  summary: string;
  signers: RootSigner[];
  blockNumber: bigint;
  transactionHash: Hex;
};

export type RootsTimeline = { clock: ChainClock; state: RootsState; entries: RootsTimelineEntry[] };

/** Epochs whose signers are recovered from their transactions (one read each); older rows show the event alone. */
export const ROOT_SIGNER_LOOKUPS = 50;

/**
 * The Roots page: every finalization, conflict, halt and resume from the roots contract's logs (one indexed query),
 * newest first; for the newest TEE finalizations, the signers recovered from the submitRoot call's signatures and
 * named with their TEE and vendor from the enclave registry's events.
 */
export async function loadRoots({ client, config }: ConsoleReadParameters): Promise<RootsTimeline | undefined> {
  const address = config.deployment.multiProverRoots;
  if (!address) return undefined;
  const fromBlock = BigInt(config.fromBlock);
  const [clock, state, logs] = await Promise.all([readChainClock(client), loadRootsState({ client, address }), client.getContractEvents({ address, abi: multiProverRootsAbi, fromBlock })]);
  // Signers are named after the entries are built: one registry query filtered on their addresses (an indexed topic).
  const named = (signer: Address): RootSigner => ({ address: signer, tee: "not registered", vendor: "?" });
  const domain = multiProverRootsDomain({ chainId: config.chainId, verifyingContract: address });
  const entries: RootsTimelineEntry[] = [];
  let lookups = 0;
  for (const log of [...logs].reverse()) {
    const args = log.args as Record<string, unknown>;
    const base = { blockNumber: log.blockNumber ?? 0n, transactionHash: log.transactionHash ?? ("0x" as Hex), signers: [] as RootSigner[] };
    switch (log.eventName) {
      case "RootFinalized": {
        const teeTypes = args.teeTypes as bigint;
        const how = args.escape ? "ZK alone (escape hatch)" : args.zkProven && teeTypes === 0n ? "ZK proof" : `TEE quorum (${teeTypesOfBitmapLabel(teeTypes).join(" + ")})${args.zkProven ? " + ZK" : ""}`;
        const signers = teeTypes !== 0n && lookups++ < ROOT_SIGNER_LOOKUPS ? (await recoverRootSigners(client, base.transactionHash, domain)).map(named) : [];
        entries.push({ ...base, kind: "finalized", epoch: args.epoch as bigint, root: args.root as Hex, summary: `finalized by ${how}`, signers });
        break;
      }
      case "ConflictReported":
        entries.push({ ...base, kind: "conflict", epoch: args.epoch as bigint, root: args.conflictingRoot as Hex, summary: `conflicting root reported against ${String(args.finalizedRoot).slice(0, 10)}…; signers removed`, signers: (args.signers as Address[]).map(named) });
        break;
      case "RootDisputed":
        entries.push({ ...base, kind: "disputed", epoch: args.epoch as bigint, root: args.finalizedRoot as Hex, summary: `epoch disputed: ${String(args.finalizedRoot).slice(0, 10)}… vs ${String(args.conflictingRoot).slice(0, 10)}…` });
        break;
      case "DisputeSettled":
        entries.push({ ...base, kind: "settled", epoch: args.epoch as bigint, root: args.root as Hex, summary: `dispute settled by a ZK proof on ${String(args.root).slice(0, 10)}…` });
        break;
      case "Halted":
        entries.push({ ...base, kind: "halted", epoch: args.epoch as bigint, summary: "contract halted: only a ZK proof finalizes until governance resumes it" });
        break;
      case "Resumed":
        entries.push({ ...base, kind: "resumed", summary: `resumed by ${String(args.by)}` });
        break;
      case "EnclaveRemovalFailed":
        entries.push({ ...base, kind: "removal-failed", summary: `removing conflicting signer ${String(args.enclave)} failed` });
        break;
      default:
        break;
    }
  }
  const signers = [...new Set(entries.flatMap((entry) => entry.signers.map((signer) => getAddress(signer.address))))];
  if (signers.length > 0) {
    const registrations = await client.getContractEvents({ address: config.deployment.enclaveRegistry, abi: enclaveRegistryAbi, eventName: "EnclaveRegistered", args: { enclave: signers }, fromBlock });
    const teeOf = new Map<Address, number>(registrations.map((log) => [getAddress(log.args.enclave as Address), Number(log.args.teeType)]));
    for (const signer of entries.flatMap((entry) => entry.signers)) {
      const teeType = teeOf.get(getAddress(signer.address));
      if (teeType !== undefined) Object.assign(signer, { tee: teeLabel(teeType), vendor: vendorLabel(teeType) });
    }
  }
  return { clock, state, entries };
}

/** The signers of a submitRoot call, recovered from its signatures over (epoch, root); empty when the call came through another contract. */
async function recoverRootSigners(client: ConsoleReadParameters["client"], hash: Hex, domain: ReturnType<typeof multiProverRootsDomain>): Promise<Address[]> {
  const transaction = await client.getTransaction({ hash }).catch(() => undefined);
  if (!transaction) return [];
  try {
    const call = decodeFunctionData({ abi: multiProverRootsAbi, data: transaction.input });
    if (call.functionName !== "submitRoot") return [];
    const [epoch, root, signatures] = call.args;
    return await Promise.all(signatures.map((signature) => recoverTypedDataAddress({ domain, types: rootTypes, primaryType: "Root", message: { epoch, root }, signature })));
  } catch {
    return [];
  }
}
