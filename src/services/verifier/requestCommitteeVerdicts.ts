import type { Address, Hex } from "viem";
import type { Claims } from "../../claims/index.js";
import { TeezkError } from "../../errors/index.js";
import { requestVerdict, type RequestVerdictParameters, type RequestVerdictReturnType } from "./requestVerdict.js";

export type RequestCommitteeVerdictsParameters = Omit<RequestVerdictParameters, "at" | "expectedSigner"> & {
  /** Verifier-node base URLs, one per committee member to ask. */
  urls: readonly string[];
  /**
   * The verification time every node is asked to use; default the requester's clock. Truncated to whole
   * seconds, so it equals the claims timestamp of evidence that carries no time of its own.
   */
  at?: Date;
  /** The requester's clock when `at` is not given (tests); default `() => new Date()`. */
  clock?: () => Date;
  /** Per node, the address its verdict must be signed by (same order as `urls`); undefined entries are not checked. */
  expectedSigners?: readonly (Address | undefined)[];
};

export type RequestCommitteeVerdictsReturnType = {
  /** The one verification time sent to every node. */
  at: Date;
  /** Each node's answer, in the order of `urls`. */
  answers: RequestVerdictReturnType[];
  /** The claims every node signed over (they all read the same). */
  claims: Claims;
  /** With GPU evidence: the GPUs' claims, signed over with `claims` as one composite. */
  gpuClaims?: Claims[];
  encodedClaims: Hex;
  claimsHash: Hex;
  verdicts: { signer: Address; signature: Hex }[];
};
export type RequestCommitteeVerdictsErrorType = TeezkError;

/**
 * Asks every committee member for a verdict over the same evidence, as of one verification time. Evidence
 * without a time of its own (a TDX quote, an SEV-SNP report, GPU evidence) gets the verification time as its
 * claims timestamp, so nodes verifying as of their own clocks, even a second apart, sign different claims
 * hashes and the verdicts never add up to a quorum. The requester picks the time once (whole seconds) and
 * sends it as `at`; a node accepts it within its clock skew bound (DEFAULT_REQUEST_TIME_SKEW_MS) or refuses with
 * REQUEST_TIME_SKEWED. A node that refuses fails the whole request with its own code and its URL: registering
 * with fewer verdicts than asked for is the operator's decision. Nodes that answer over different claims anyway
 * (different versions or collateral) are VERDICT_INVALID.
 *
 * @example
 * const { claims, verdicts } = await requestCommitteeVerdicts({ urls, evidence, expectedBinding: binding, committee });
 */
export async function requestCommitteeVerdicts(parameters: RequestCommitteeVerdictsParameters): Promise<RequestCommitteeVerdictsReturnType> {
  const { urls, at: givenAt, clock, expectedSigners, ...request } = parameters;
  if (urls.length === 0) throw new TeezkError("CONFIG_INVALID", "No verifier node to ask: pass at least one URL");
  if (expectedSigners && expectedSigners.length !== urls.length) {
    throw new TeezkError("CONFIG_INVALID", `${expectedSigners.length} expected signers for ${urls.length} verifier nodes`);
  }
  const chosen = givenAt ?? (clock ?? (() => new Date()))();
  if (Number.isNaN(chosen.getTime())) throw new TeezkError("CONFIG_INVALID", "The verification time is not a valid date");
  const at = new Date(Math.floor(chosen.getTime() / 1000) * 1000);
  const answers = await Promise.all(
    urls.map((url, i) => {
      const expectedSigner = expectedSigners?.[i];
      return requestVerdict(url, { ...request, at, ...(expectedSigner ? { expectedSigner } : {}) }).catch((error: unknown) => {
        if (!(error instanceof TeezkError)) throw error;
        throw new TeezkError(error.code, `Verifier node ${url}: ${error.shortMessage}`, {
          cause: error,
          ...(error.details ? { details: error.details } : {}),
          metaMessages: error.metaMessages,
        });
      });
    }),
  );
  const first = answers[0]!;
  for (const [i, answer] of answers.entries()) {
    if (answer.encodedClaims.toLowerCase() !== first.encodedClaims.toLowerCase()) {
      throw new TeezkError("VERDICT_INVALID", `Verifier nodes disagree on the claims: ${urls[i]} and ${urls[0]} verified different claims from the same evidence at ${at.toISOString()}`, {
        details: answers.map((a, j) => `${urls[j]} ${a.claimsHash}`).join(", "),
        metaMessages: ["Nodes must verify identically; check their versions and collateral (a TCB status can differ with stale collateral)."],
      });
    }
  }
  return {
    at,
    answers,
    claims: first.claims,
    ...(first.gpuClaims ? { gpuClaims: first.gpuClaims } : {}),
    encodedClaims: first.encodedClaims,
    claimsHash: first.claimsHash,
    verdicts: answers.map((answer) => answer.verdict),
  };
}
