import { parseEventLogs, type Address, type Hex } from "viem";
import type { TeezkError } from "../errors/index.js";
import { multiProverRootsAbi } from "./contractAbis.js";
import { sortBySigner } from "./encodeCommitteeProof.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { RootSignature } from "./signRoot.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type ReportConflictParameters = TeezkClients & {
  roots: Address;
  epoch: bigint;
  /** A root that differs from the epoch's finalized root. */
  root: Hex;
  signatures: readonly RootSignature[];
};
export type ReportConflictReturnType = TransactionResult & { halted: boolean; removed: Address[] };
export type ReportConflictErrorType = TeezkError;

/**
 * Reports registered enclaves that signed a second root for a finalized epoch: MultiProverRoots removes them from
 * the EnclaveRegistry (where it holds ENCLAVE_REMOVER_ROLE) and, unless this (epoch, root) was reported before,
 * halts and disputes the epoch. Signers already removed or reported are skipped (`removed` lists the others); a
 * report with none left reverts (ConflictSignersAlreadyRemoved).
 */
export async function reportConflict({ roots, epoch, root, signatures, ...clients }: ReportConflictParameters): Promise<ReportConflictReturnType> {
  const ordered = sortBySigner(signatures).map((s) => s.signature);
  const tx = await sendContractTransaction(clients, { address: roots, abi: multiProverRootsAbi, functionName: "reportConflict", args: [epoch, root, ordered] });
  const [conflict] = parseEventLogs({ abi: multiProverRootsAbi, eventName: "ConflictReported", logs: tx.receipt.logs });
  const halted = await clients.publicClient.readContract({ address: roots, abi: multiProverRootsAbi, functionName: "halted" });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, halted, removed: [...(conflict?.args.signers ?? [])] };
}
