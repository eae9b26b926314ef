import { keccak256, type Address, type Hex } from "viem";
import { issueChallenge, registerEnclave, type Verdict } from "../chain/index.js";
import { claimsHash, computeBinding, type Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import type { Devnet } from "./types.js";

/** What an enclave (a prover node) answers when asked to attest for a nonce. */
export type EnclaveAttestation = {
  enclaveAddress: Address;
  /** Raw X25519 public key the enclave bound into its report (DESIGN §3). */
  hpkePublicKey: Hex;
  evidence: Uint8Array;
  /** What a verifier needs besides the evidence (DCAP TCB info, AMD VCEK chain); undefined for Nitro. */
  collateralDir?: string;
};

/** One committee member's signed verdict and the claims it read from the evidence. */
export type CommitteeVerdict = { claims: Claims; verdict: Verdict };

export type RegisterThroughCommitteeParameters = {
  devnet: Devnet;
  /** Asks the enclave to attest with the registry's challenge as its nonce (a prover node's /v1/attestation). */
  attest: (nonce: Hex) => Promise<EnclaveAttestation>;
  /**
   * Asks every committee member for a verdict on that evidence (verifier nodes' /v1/verify), all as of one
   * verification time: TDX and SEV-SNP claims carry it as their timestamp, so members verifying a second apart
   * would sign different claims. `now` is the chain's time, for members verifying in-process; members over HTTP
   * accept only an `at` near their own clocks, so collect from them with requestCommitteeVerdicts, which picks
   * one from the requester's clock (the chain's maxEvidenceAge and 5-minute future skew both admit it).
   */
  collectVerdicts: (request: { attestation: EnclaveAttestation; binding: Hex; now: Date }) => Promise<readonly CommitteeVerdict[]>;
};
export type RegisterThroughCommitteeReturnType = {
  enclave: Address;
  claims: Claims;
  hpkeKeyHash: Hex;
  nonce: Hex;
  expiresAt: bigint;
  attestation: EnclaveAttestation;
  verdicts: readonly CommitteeVerdict[];
  challengeHash: Hex;
  registerHash: Hex;
  /** The register transaction alone. */
  registerGasUsed: bigint;
  /** Challenge plus registration. */
  gasUsed: bigint;
};
export type RegisterThroughCommitteeErrorType = TeezkError;

/**
 * The committee registration flow of DESIGN §3–4: the registry issues a one-time challenge; the enclave binds
 * (address, HPKE key, challenge) into fresh evidence; each committee member verifies, appraises and signs a
 * verdict over the claims hash; the registry checks the verdicts, recomputes the binding, checks policy and
 * freshness, and stores the enclave. Members must agree on the claims: a member reading other claims from the
 * same evidence is a fault worth stopping for (CONFIG_INVALID), not something to outvote.
 */
export async function registerThroughCommittee({ devnet, attest, collectVerdicts }: RegisterThroughCommitteeParameters): Promise<RegisterThroughCommitteeReturnType> {
  const challenge = await issueChallenge({ ...devnet.clients, enclaveRegistry: devnet.addresses.enclaveRegistry, programId: devnet.programId });
  const attestation = await attest(challenge.challenge);
  const binding = computeBinding({ enclaveAddress: attestation.enclaveAddress, hpkePublicKey: attestation.hpkePublicKey, nonce: challenge.challenge });
  const verdicts = await collectVerdicts({ attestation, binding, now: await devnet.chainNow() });
  const first = verdicts[0];
  if (!first) throw new TeezkError("VERDICT_REFUSED", "No committee member returned a verdict");
  const hash = claimsHash(first.claims);
  if (verdicts.some((v) => claimsHash(v.claims) !== hash)) {
    throw new TeezkError("CONFIG_INVALID", "Committee members read different claims from the same evidence", {
      details: verdicts.map((v) => claimsHash(v.claims)).join(", "),
    });
  }
  const hpkeKeyHash = keccak256(attestation.hpkePublicKey);
  const registered = await registerEnclave({
    ...devnet.clients,
    enclaveRegistry: devnet.addresses.enclaveRegistry,
    programId: devnet.programId,
    claims: first.claims,
    enclave: attestation.enclaveAddress,
    hpkeKeyHash,
    nonce: challenge.challenge,
    verdicts: verdicts.map((v) => v.verdict),
  });
  return {
    enclave: attestation.enclaveAddress,
    claims: first.claims,
    hpkeKeyHash,
    nonce: challenge.challenge,
    expiresAt: registered.expiresAt,
    attestation,
    verdicts,
    challengeHash: challenge.hash,
    registerHash: registered.hash,
    registerGasUsed: registered.gasUsed,
    gasUsed: challenge.gasUsed + registered.gasUsed,
  };
}
