import { keccak256, type Address, type Hex } from "viem";
import { computeBindingFromKeyHash } from "../claims/index.js";
import type { TeezkError } from "../errors/index.js";
import { issueChallenge, type IssueChallengeReturnType } from "./issueChallenge.js";
import { gpuEvidenceRequired, readProgramRequiresGpu } from "./readProgramRequiresGpu.js";
import { chainCallError } from "./chainCallError.js";
import type { TeezkClients } from "./types.js";

/** What an enclave answers when asked to attest for a nonce (a prover node's /v1/attestation, an evidence file). */
export type EnclaveAttestation = {
  enclaveAddress: Address;
  evidence: Uint8Array;
  /** The GPU half of composite CPU+GPU evidence: its nonce is the CPU evidence's binding. */
  gpuEvidence?: Uint8Array;
  /** What a verifier needs besides the evidence (DCAP TCB info, AMD VCEK chain); undefined for Nitro. */
  collateralDir?: string;
} & (
  | {
      /** Raw X25519 public key the enclave bound into its report (DESIGN §3). */
      hpkePublicKey: Hex;
    }
  | {
      /** keccak256 of it, when only the hash is at hand (the CLI's --hpke-key-hash). */
      hpkeKeyHash: Hex;
    }
);

export type AttestForRegistrationParameters = TeezkClients & {
  enclaveRegistry: Address;
  /** Read for programRequiresGpu, so a GPU program's enclave without GPU evidence stops before anyone vouches. */
  measurementRegistry?: Address;
  programId: Hex;
  /** A challenge already issued (issueChallenge) or a recent block hash; by default one is issued here. */
  nonce?: Hex;
  /** Asks the enclave to attest with `nonce` bound into its evidence. */
  attest: (nonce: Hex) => Promise<EnclaveAttestation>;
};
export type AttestForRegistrationReturnType = {
  chainId: number;
  programRequiresGpu: boolean;
  /** The issueChallenge transaction, when the nonce was issued here. */
  challenge?: IssueChallengeReturnType;
  nonce: Hex;
  attestation: EnclaveAttestation;
  hpkeKeyHash: Hex;
  /** The DESIGN §3 binding the evidence must carry. */
  binding: Hex;
  /** The chain's latest block time: what members verifying in-process verify as of. */
  now: Date;
};
export type AttestForRegistrationErrorType = TeezkError;

/**
 * The steps every registration route shares, before anyone vouches for the evidence: read the chain and whether
 * the program requires a GPU, issue the challenge (or take the caller's nonce), have the enclave attest to it, and
 * stop a GPU program's enclave that sent no GPU half (GPU_EVIDENCE_REQUIRED). registerThroughCommittee and
 * registerThroughRoute continue from here.
 */
export async function attestForRegistration(parameters: AttestForRegistrationParameters): Promise<AttestForRegistrationReturnType> {
  const { publicClient, walletClient, enclaveRegistry, programId } = parameters;
  const chainId = await publicClient.getChainId().catch((error: unknown) => {
    throw chainCallError("getChainId", error);
  });
  const measurementRegistry = parameters.measurementRegistry ? { measurementRegistry: parameters.measurementRegistry } : {};
  const programRequiresGpu = await readProgramRequiresGpu({ publicClient, programId, ...measurementRegistry });
  const challenge = parameters.nonce === undefined ? await issueChallenge({ publicClient, walletClient, enclaveRegistry, programId }) : undefined;
  const nonce = challenge?.challenge ?? parameters.nonce!;
  const attestation = await parameters.attest(nonce);
  if (programRequiresGpu && attestation.gpuEvidence === undefined) throw gpuEvidenceRequired(programId);
  const hpkeKeyHash = "hpkePublicKey" in attestation ? keccak256(attestation.hpkePublicKey) : attestation.hpkeKeyHash;
  const binding = computeBindingFromKeyHash({ enclaveAddress: attestation.enclaveAddress, hpkeKeyHash, nonce });
  const now = new Date(Number((await publicClient.getBlock()).timestamp) * 1000);
  return { chainId, programRequiresGpu, ...(challenge ? { challenge } : {}), nonce, attestation, hpkeKeyHash, binding, now };
}
