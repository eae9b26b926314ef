import { parseEventLogs, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { enclaveRegistryAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients, TransactionResult } from "./types.js";

export type IssueChallengeParameters = TeezkClients & {
  enclaveRegistry: Address;
  /** The program the registration will name: the challenge is usable for it only (a copy of the registration naming
   * another program can neither use it nor burn it). */
  programId: Hex;
};
export type IssueChallengeReturnType = TransactionResult & { challenge: Hex; expiresAt: bigint };
export type IssueChallengeErrorType = TeezkError;

/** Asks the EnclaveRegistry for a one-time registration nonce for `programId` (valid CHALLENGE_TTL) and reads it from the event. */
export async function issueChallenge({ enclaveRegistry, programId, ...clients }: IssueChallengeParameters): Promise<IssueChallengeReturnType> {
  const tx = await sendContractTransaction(clients, { address: enclaveRegistry, abi: enclaveRegistryAbi, functionName: "issueChallenge", args: [programId] });
  const [event] = parseEventLogs({ abi: enclaveRegistryAbi, eventName: "ChallengeIssued", logs: tx.receipt.logs });
  if (!event) throw new TeezkError("CHAIN_CALL_FAILED", "issueChallenge emitted no ChallengeIssued event", { details: tx.hash });
  return { hash: tx.hash, gasUsed: tx.gasUsed, receipt: tx.receipt, challenge: event.args.challenge, expiresAt: event.args.expiresAt };
}
