import { parseEventLogs, type Address, type Hex } from "viem";
import { enclaveVendorsOf, teeTypesOfBitmap, type TeeVendorName } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { multiProverRootsAbi } from "./contractAbis.js";
import { sortBySigner } from "./encodeCommitteeProof.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { RootSignature } from "./signRoot.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type ProposeRootParameters = TeezkClients & {
  roots: Address;
  epoch: bigint;
  root: Hex;
  signatures: readonly RootSignature[];
  /** The ZK proof for deployments that require one (or to add one); empty by default. */
  zkProof?: Hex;
};
export type ProposeRootReturnType = TransactionResult & {
  /** Bit t set for each TEE type t that signed. */
  teeTypes: bigint;
  /** The distinct vendors the quorum counted (DESIGN §2: TDX and SGX are both INTEL). */
  vendors: TeeVendorName[];
  finalized: boolean;
};
export type ProposeRootErrorType = TeezkError;

/**
 * Submits (epoch, root) with enclave signatures to MultiProverRoots.submitRoot, ordered ascending by signer as
 * the contract requires. The root finalizes in this transaction or the call reverts (InsufficientQuorum, …).
 */
export async function proposeRoot({ roots, epoch, root, signatures, zkProof = "0x", ...clients }: ProposeRootParameters): Promise<ProposeRootReturnType> {
  const ordered = sortBySigner(signatures).map((s) => s.signature);
  const tx = await sendContractTransaction(clients, { address: roots, abi: multiProverRootsAbi, functionName: "submitRoot", args: [epoch, root, ordered, zkProof] });
  const [event] = parseEventLogs({ abi: multiProverRootsAbi, eventName: "RootFinalized", logs: tx.receipt.logs });
  if (!event) throw new TeezkError("CHAIN_CALL_FAILED", "submitRoot emitted no RootFinalized event", { details: tx.hash });
  const teeTypes = event.args.teeTypes;
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, teeTypes, vendors: enclaveVendorsOf(teeTypesOfBitmap(teeTypes)), finalized: true };
}
