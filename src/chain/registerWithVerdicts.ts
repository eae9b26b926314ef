import type { Address, Hex } from "viem";
import { computeBindingFromKeyHash, type Claims } from "../claims/index.js";
import type { TeezkError } from "../errors/index.js";
import { checkCommitteeVerdicts } from "./checkCommitteeVerdicts.js";
import { readProgramRequiresGpu } from "./readProgramRequiresGpu.js";
import { registerComposite } from "./registerComposite.js";
import { registerEnclave, type RegisterEnclaveReturnType } from "./registerEnclave.js";
import { chainCallError } from "./chainCallError.js";
import type { Verdict } from "./signVerdict.js";
import type { TeezkClients } from "./types.js";

export type RegisterWithVerdictsParameters = TeezkClients & {
  enclaveRegistry: Address;
  /** The CommitteeAttestationVerifier the verdicts must be signed for. */
  committee: Address;
  /** Read for programRequiresGpu; without it only the contract refuses a CPU-only enclave of a GPU program. */
  measurementRegistry?: Address;
  programId: Hex;
  /** The enclave's signing address. */
  enclave: Address;
  /** keccak256 of the enclave's HPKE public key. */
  hpkeKeyHash: Hex;
  /** The challenge (issueChallenge) or recent block hash the enclave bound into its evidence. */
  nonce: Hex;
  /** The CPU claims the committee verified. */
  claims: Claims;
  /** The GPUs' claims when the verdicts are over composite evidence. */
  gpuClaims?: readonly Claims[];
  verdicts: readonly Verdict[];
  /** Already read by the caller (registerThroughCommittee), so not asked again. */
  known?: { chainId: number; programRequiresGpu: boolean };
};
export type RegisterWithVerdictsReturnType = RegisterEnclaveReturnType & {
  /** What the verdicts signed (the composite's hash when GPUs came with the claims). */
  claimsHash: Hex;
  /** Present when the registration was a composite (registerComposite). */
  gpuMeasurements?: readonly Hex[];
};
export type RegisterWithVerdictsErrorType = TeezkError;

/**
 * The last step of a committee registration: checks, before any transaction, everything the contract would
 * otherwise refuse with less context (checkCommitteeVerdicts: the DESIGN §3 binding of (enclave, HPKE key hash,
 * nonce), GPUs answering it, each verdict signed by its stated node for this committee and chain; and a GPU
 * program's enclave coming with GPU claims, GPU_EVIDENCE_REQUIRED), then registers: registerComposite when the
 * verdicts cover GPUs (only there do composite verdicts verify), registerEnclave otherwise.
 */
export async function registerWithVerdicts(parameters: RegisterWithVerdictsParameters): Promise<RegisterWithVerdictsReturnType> {
  const { publicClient, walletClient, enclaveRegistry, committee, programId, claims, enclave, hpkeKeyHash, nonce, verdicts } = parameters;
  const gpuClaims = parameters.gpuClaims ?? [];
  const known = parameters.known ?? {
    chainId: await publicClient.getChainId().catch((error: unknown) => {
      throw chainCallError("getChainId", error);
    }),
    programRequiresGpu: await readProgramRequiresGpu({ publicClient, programId, ...(parameters.measurementRegistry ? { measurementRegistry: parameters.measurementRegistry } : {}) }),
  };
  const binding = computeBindingFromKeyHash({ enclaveAddress: enclave, hpkeKeyHash, nonce });
  const { claimsHash } = await checkCommitteeVerdicts({
    claims,
    gpuClaims,
    verdicts,
    binding,
    committee: { chainId: known.chainId, verifyingContract: committee },
    ...(known.programRequiresGpu ? { gpuRequiredBy: programId } : {}),
  });
  const common = { publicClient, walletClient, enclaveRegistry, programId, claims, enclave, hpkeKeyHash, nonce, verdicts };
  if (gpuClaims.length === 0) return { ...(await registerEnclave(common)), claimsHash };
  return { ...(await registerComposite({ ...common, gpuClaims })), claimsHash };
}
