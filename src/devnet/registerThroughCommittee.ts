import type { Hex } from "viem";
import {
  registerThroughCommittee as registerOnChain,
  type EnclaveAttestation,
  type RegisterThroughCommitteeParameters as ChainRegisterThroughCommitteeParameters,
  type RegisterThroughCommitteeReturnType as ChainRegisterThroughCommitteeReturnType,
} from "../chain/index.js";
import type { TeezkError } from "../errors/index.js";
import type { Devnet } from "./types.js";

export type { CommitteeVerdict, EnclaveAttestation } from "../chain/index.js";

export type RegisterThroughCommitteeParameters = Pick<ChainRegisterThroughCommitteeParameters, "collectVerdicts"> & {
  devnet: Devnet;
  /** Asks the enclave to attest with the registry's challenge as its nonce (a prover node's /v1/attestation). */
  attest: (nonce: Hex) => Promise<EnclaveAttestation>;
};
export type RegisterThroughCommitteeReturnType = ChainRegisterThroughCommitteeReturnType & { challengeHash: Hex };
export type RegisterThroughCommitteeErrorType = TeezkError;

/**
 * The committee registration flow (src/chain registerThroughCommittee) for the devnet's program and deployment:
 * always through a challenge the registry issues here.
 */
export async function registerThroughCommittee({ devnet, attest, collectVerdicts }: RegisterThroughCommitteeParameters): Promise<RegisterThroughCommitteeReturnType> {
  const { addresses } = devnet;
  const registered = await registerOnChain({
    ...devnet.clients,
    enclaveRegistry: addresses.enclaveRegistry,
    committee: addresses.committee,
    measurementRegistry: addresses.measurementRegistry,
    programId: devnet.programId,
    attest,
    collectVerdicts,
  });
  return { ...registered, challengeHash: registered.challengeHash! };
}
