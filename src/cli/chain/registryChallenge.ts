import { issueChallenge, type TeezkClients } from "../../chain/index.js";
import type { TeezkError } from "../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "./chainCommandOutput.js";
import { explainChainError } from "./explainChainError.js";
import { requireAddress, type ChainDeployment } from "./resolveDeployment.js";

export type RegistryChallengeParameters = TeezkClients & { deployment: ChainDeployment };
export type RegistryChallengeErrorType = TeezkError;

/**
 * `teezk registry challenge`: asks the EnclaveRegistry for a one-time nonce. The enclave binds it into its
 * evidence (DESIGN §3), so a registration proves the evidence was produced after this transaction.
 */
export async function registryChallenge({ deployment, ...clients }: RegistryChallengeParameters): Promise<ChainCommandOutput> {
  const enclaveRegistry = requireAddress(deployment, "enclaveRegistry");
  try {
    const tx = await issueChallenge({ ...clients, enclaveRegistry });
    return transactionOutput("registry challenge", `challenge ${tx.challenge}, valid until ${isoTime(tx.expiresAt)}`, tx, deployment, {
      challenge: tx.challenge,
      expiresAt: tx.expiresAt,
      expiresAtIso: isoTime(tx.expiresAt),
    });
  } catch (error) {
    throw explainChainError(error, "registry challenge");
  }
}
