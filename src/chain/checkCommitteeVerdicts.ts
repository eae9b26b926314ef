import { getAddress, keccak256, recoverAddress, type Address, type Hex } from "viem";
import { encodeVerdictClaims, type Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { checkClaimsBinding } from "./checkClaimsBinding.js";
import { hashVerdict, type Verdict } from "./signVerdict.js";

export type CheckCommitteeVerdictsParameters = {
  /** The CPU claims the verdicts are over. */
  claims: Claims;
  /** The GPUs' claims of a composite, signed over with `claims` as one record; empty for CPU-only evidence. */
  gpuClaims: readonly Claims[];
  verdicts: readonly Verdict[];
  /** The DESIGN §3 binding of (enclave, HPKE key hash, nonce) the registration will name (computeBinding). */
  binding: Hex;
  /** The CommitteeAttestationVerifier the verdicts must be signed for. */
  committee: ContractDomain;
  /** The program, when it requires a GPU (readProgramRequiresGpu): CPU-only verdicts are GPU_EVIDENCE_REQUIRED. */
  gpuRequiredBy?: Hex;
};
export type CheckCommitteeVerdictsReturnType = {
  /** What the verdicts sign: keccak256 of the claims, or of the composite when GPUs came with them. */
  claimsHash: Hex;
};
export type CheckCommitteeVerdictsErrorType = TeezkError;

/**
 * The registration's preflight, before any transaction: what EnclaveRegistry would refuse with less context.
 * The claims first (checkClaimsBinding): verdicts over a GPU's claims are GPU_NOT_AN_ENCLAVE (no enclave stands behind a GPU report); a GPU part that is
 * not NVIDIA claims is MALFORMED; a GPU whose nonce is not the binding BORROWED_GPU_REPORT; CPU claims whose
 * reportData is not the binding BINDING_MISMATCH; a verdict that does not recover to its stated signer over these
 * claims for this committee and chain VERDICT_INVALID; CPU-only verdicts for a program that requires a GPU
 * GPU_EVIDENCE_REQUIRED. Whether the signers are members and enough is the
 * contract's to say.
 */
export async function checkCommitteeVerdicts(parameters: CheckCommitteeVerdictsParameters): Promise<CheckCommitteeVerdictsReturnType> {
  const { claims, gpuClaims, verdicts, committee } = parameters;
  const { binding } = parameters;
  checkClaimsBinding({ claims, gpuClaims, binding, ...(parameters.gpuRequiredBy !== undefined ? { gpuRequiredBy: parameters.gpuRequiredBy } : {}) });
  const claimsHash = keccak256(encodeVerdictClaims({ claims, gpuClaims }));
  const digest = hashVerdict({ claimsHash, committee });
  for (const [i, verdict] of verdicts.entries()) {
    let recovered: Address;
    try {
      recovered = await recoverAddress({ hash: digest, signature: verdict.signature });
    } catch (cause) {
      throw new TeezkError("VERDICT_INVALID", `Verdict ${i} (${verdict.signer}) is not a valid signature`, { cause });
    }
    if (getAddress(recovered) !== getAddress(verdict.signer)) {
      throw new TeezkError("VERDICT_INVALID", `Verdict ${i} is not signed by ${verdict.signer} over these claims for committee ${committee.verifyingContract} on chain ${committee.chainId}`, {
        metaMessages: ["The verifier node signed for another committee address or chain, or over other claims: ask it again with this deployment's committee."],
      });
    }
  }
  return { claimsHash };
}
