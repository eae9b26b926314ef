import type { Address, Hex } from "viem";
import type { Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { attestForRegistration, type AttestForRegistrationParameters, type EnclaveAttestation } from "./attestForRegistration.js";
import { checkClaimsBinding } from "./checkClaimsBinding.js";
import { registerEnclave, type RegisterEnclaveReturnType } from "./registerEnclave.js";
import { ROUTE_IDS } from "./roleAndRouteIds.js";

/** A route's own proof over the claims it vouches for (the SP1 route: a proof whose public values are the claims). */
export type RouteAttestation = { claims: Claims; path: number; proof: Hex };

export type RegisterThroughRouteParameters = AttestForRegistrationParameters & {
  /**
   * Proves the enclave's evidence for a route other than the committee's (route 2: an SP1 proof of the teezk
   * program in attest mode, over the evidence and its binding), returning the claims and the proof bytes.
   */
  prove: (request: { attestation: EnclaveAttestation; binding: Hex; now: Date }) => Promise<RouteAttestation>;
};
export type RegisterThroughRouteReturnType = {
  enclave: Address;
  claims: Claims;
  hpkeKeyHash: Hex;
  nonce: Hex;
  path: number;
  expiresAt: bigint;
  attestation: EnclaveAttestation;
  /** The issueChallenge transaction, when this flow issued the nonce. */
  challengeHash?: Hex;
  registered: RegisterEnclaveReturnType;
  /** Challenge (when issued here) plus registration. */
  gasUsed: bigint;
};
export type RegisterThroughRouteErrorType = TeezkError;

/**
 * The registration flow of DESIGN §3–4 with a proof in place of committee verdicts: challenge (or the caller's
 * nonce) → the enclave's evidence → `prove` → EnclaveRegistry.register on the proof's route. Before the
 * transaction the proved claims are checked as every route's are (checkClaimsBinding: an enclave's claims,
 * carrying the binding). The committee route goes through registerThroughCommittee (CONFIG_INVALID here); a
 * proof route commits one Claims record, so a GPU program's composite cannot take it (the contract reverts
 * CompositeNotSupported or GpuEvidenceRequired).
 */
export async function registerThroughRoute(parameters: RegisterThroughRouteParameters): Promise<RegisterThroughRouteReturnType> {
  const { publicClient, walletClient, enclaveRegistry, programId } = parameters;
  const { challenge, nonce, attestation, hpkeKeyHash, binding, now } = await attestForRegistration(parameters);
  const { claims, path, proof } = await parameters.prove({ attestation, binding, now });
  if (path === ROUTE_IDS.committee) {
    throw new TeezkError("CONFIG_INVALID", `Route ${path} is the committee's: register with its verdicts through registerThroughCommittee`);
  }
  checkClaimsBinding({ claims, gpuClaims: [], binding });
  const enclave = attestation.enclaveAddress;
  const registered = await registerEnclave({ publicClient, walletClient, enclaveRegistry, programId, claims, enclave, hpkeKeyHash, nonce, path, proof });
  return {
    enclave,
    claims,
    hpkeKeyHash,
    nonce,
    path,
    expiresAt: registered.expiresAt,
    attestation,
    ...(challenge ? { challengeHash: challenge.hash } : {}),
    registered,
    gasUsed: (challenge?.gasUsed ?? 0n) + registered.gasUsed,
  };
}
