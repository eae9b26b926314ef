import type { Hex } from "viem";
import { issueChallenge, type TeezkClients } from "../../../chain/index.js";
import type { TeezkError } from "../../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type RegistryChallengeParameters = TeezkClients & { deployment: ChainDeployment; programId: Hex };
export type RegistryChallengeErrorType = TeezkError;

/**
 * `teezk registry challenge`: asks the EnclaveRegistry for a one-time nonce. The enclave binds it into its
 * evidence (DESIGN §3), so a registration proves the evidence was produced after this transaction. The nonce is
 * usable only to register for `programId`.
 */
export async function registryChallenge({ deployment, programId, ...clients }: RegistryChallengeParameters): Promise<ChainCommandOutput> {
  const enclaveRegistry = requireAddress(deployment, "enclaveRegistry");
  try {
    const tx = await issueChallenge({ ...clients, enclaveRegistry, programId });
    return transactionOutput("registry challenge", `challenge ${tx.challenge} for program ${programId}, valid until ${isoTime(tx.expiresAt)}`, tx, deployment, {
      challenge: tx.challenge,
      programId,
      expiresAt: tx.expiresAt,
      expiresAtIso: isoTime(tx.expiresAt),
    });
  } catch (error) {
    throw explainChainError(error, "registry challenge");
  }
}
