import { keccak256, type Address, type Hex } from "viem";
import { encodeVerdictClaims, type Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { attestForRegistration, type AttestForRegistrationParameters, type EnclaveAttestation } from "./attestForRegistration.js";
import { registerWithVerdicts, type RegisterWithVerdictsReturnType } from "./registerWithVerdicts.js";
import type { Verdict } from "./signVerdict.js";

/** One committee member's signed verdict and the claims it read from the evidence. */
export type CommitteeVerdict = { claims: Claims; gpuClaims?: readonly Claims[]; verdict: Verdict };

/** What the committee is asked: verdicts over the attestation, for this binding and CommitteeAttestationVerifier. */
export type CollectVerdictsRequest = { attestation: EnclaveAttestation; binding: Hex; now: Date; committee: ContractDomain };

export type RegisterThroughCommitteeParameters = AttestForRegistrationParameters & {
  /** The CommitteeAttestationVerifier: verdicts are checked to be signed for it before the transaction. */
  committee: Address;
  /**
   * Asks every committee member for a verdict on that evidence, all as of one verification time: TDX and SEV-SNP
   * claims carry it as their timestamp, so members verifying a second apart would sign different claims. `now`
   * is the chain's time, for members verifying in-process; members over HTTP accept only an `at` near their own
   * clocks, so collect from them with requestCommitteeVerdicts, which picks one from the requester's clock (the
   * chain's maxEvidenceAge and 5-minute future skew both admit it).
   */
  collectVerdicts: (request: CollectVerdictsRequest) => Promise<readonly CommitteeVerdict[]>;
};
export type RegisterThroughCommitteeReturnType = {
  enclave: Address;
  claims: Claims;
  gpuClaims: readonly Claims[];
  hpkeKeyHash: Hex;
  nonce: Hex;
  expiresAt: bigint;
  attestation: EnclaveAttestation;
  verdicts: readonly CommitteeVerdict[];
  /** The issueChallenge transaction, when this flow issued the nonce. */
  challengeHash?: Hex;
  /** The register (or registerComposite) transaction. */
  registered: RegisterWithVerdictsReturnType;
  registerHash: Hex;
  /** The register transaction alone. */
  registerGasUsed: bigint;
  /** Challenge (when issued here) plus registration. */
  gasUsed: bigint;
};
export type RegisterThroughCommitteeErrorType = TeezkError;

/**
 * The committee registration flow of DESIGN §3–4, the one every caller uses (CLI `registry register`, devnet,
 * demo): the registry issues a one-time challenge (or the caller brings one); the enclave binds (address, HPKE
 * key, challenge) into fresh evidence; a program that requires a GPU without a GPU half stops here
 * (GPU_EVIDENCE_REQUIRED); each committee member verifies, appraises and signs a verdict over the claims hash;
 * the members must agree on the claims (a member reading other claims from the same evidence is a fault worth
 * stopping for, CONFIG_INVALID, not something to outvote); registerWithVerdicts checks binding and signatures and
 * registers, a composite when GPUs came with the evidence.
 */
export async function registerThroughCommittee(parameters: RegisterThroughCommitteeParameters): Promise<RegisterThroughCommitteeReturnType> {
  const { publicClient, walletClient, enclaveRegistry, programId } = parameters;
  const { chainId, programRequiresGpu, challenge, nonce, attestation, hpkeKeyHash, binding, now } = await attestForRegistration(parameters);
  const verdicts = await parameters.collectVerdicts({ attestation, binding, now, committee: { chainId, verifyingContract: parameters.committee } });
  const first = verdicts[0];
  if (!first) throw new TeezkError("VERDICT_REFUSED", "No committee member returned a verdict");
  const hashes = verdicts.map((verdict) => keccak256(encodeVerdictClaims(verdict)));
  if (hashes.some((hash) => hash !== hashes[0])) {
    throw new TeezkError("CONFIG_INVALID", "Committee members read different claims from the same evidence", { details: hashes.join(", ") });
  }
  const gpuClaims = first.gpuClaims ?? [];
  const registered = await registerWithVerdicts({
    publicClient,
    walletClient,
    enclaveRegistry,
    committee: parameters.committee,
    programId,
    enclave: attestation.enclaveAddress,
    hpkeKeyHash,
    nonce,
    claims: first.claims,
    gpuClaims,
    verdicts: verdicts.map((v) => v.verdict),
    known: { chainId, programRequiresGpu },
  });
  return {
    enclave: attestation.enclaveAddress,
    claims: first.claims,
    gpuClaims,
    hpkeKeyHash,
    nonce,
    expiresAt: registered.expiresAt,
    attestation,
    verdicts,
    ...(challenge ? { challengeHash: challenge.hash } : {}),
    registered,
    registerHash: registered.hash,
    registerGasUsed: registered.gasUsed,
    gasUsed: (challenge?.gasUsed ?? 0n) + registered.gasUsed,
  };
}
