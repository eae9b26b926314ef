import { hashTypedData, isAddressEqual, keccak256, recoverAddress, type Address, type Hex } from "viem";
import { z } from "zod";
import { committeeDomain, verdictTypes } from "../../chain/typedData.js";
import { decodeClaims, decodeCompositeClaims, type Claims } from "../../claims/index.js";
import { TeezkError } from "../../errors/index.js";
import type { EvidenceKind } from "../../evidence/detectEvidenceType.js";
import type { Appraisal } from "../../policy/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import { requestService } from "../../protocol/index.js";
import type { VerifierArchiveIds, VerifyRequestBody, VerifyResponseBody } from "./types.js";
import { evidenceAsText } from "./evidenceAsText.js";

export type RequestVerdictParameters = {
  /** Evidence bytes as read from a file or a TEE (binary, or hex / base64 / vendor JSON text). */
  evidence: Uint8Array | string;
  kind?: EvidenceKind;
  gpuEvidence?: Uint8Array | string;
  /** The binding the caller put in the report data: the node refuses (VERDICT_REFUSED) when it differs. */
  expectedBinding?: Hex;
  /**
   * Verify as of this time: a node accepts it within its skew bound of its own clock (default ±120 s), any time
   * only when started with allowRequestTime. Asking several nodes, give them one `at` (requestCommitteeVerdicts).
   */
  at?: Date | string;
  /**
   * The committee domain the verdict must be for. When given, the signature is recovered and must be the
   * answer's `signer` (and `expectedSigner` when given): a node cannot hand back someone else's verdict.
   */
  committee?: ContractDomain;
  expectedSigner?: Address;
  timeoutMs?: number;
};

/**
 * The node's answer, checked; `claims` (and with GPU evidence `gpuClaims`) decoded from `encodedClaims` (the
 * signed bytes), not taken from the JSON copy.
 */
export type RequestVerdictReturnType = Omit<VerifyResponseBody, "claims" | "gpuClaims"> & { claims: Claims; gpuClaims?: Claims[] };
export type RequestVerdictErrorType = TeezkError;

const hex = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/);
const responseSchema = z.object({
  kind: z.enum(["nitro", "tdx", "sgx", "sevsnp", "nvidia"]),
  encodedClaims: hex,
  claimsHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
  appraisal: z.object({
    ok: z.boolean(),
    failures: z.array(z.object({ code: z.string(), rule: z.string(), message: z.string() })),
    evaluated: z.array(z.string()),
  }),
  verdict: z.object({ signer: z.string().regex(/^0x[0-9a-fA-F]{40}$/), signature: hex }),
  at: z.string(),
  archived: z.object({ evidenceId: z.string().optional(), appraisalId: z.string().optional(), verdictId: z.string() }).optional(),
});

/**
 * Asks a verifier node (`teezk serve verifier`) for a verdict over evidence: the client half of the committee
 * registration flow. The answer is checked before it is returned: the claims are decoded from the encoded
 * bytes and must hash to `claimsHash`, and with `committee` the EIP-712 signature must recover to the signer.
 * The node's refusals come back as TeezkErrors with the node's code (VERDICT_REFUSED, CERT_EXPIRED, …).
 *
 * @example
 * const { claims, verdict } = await requestVerdict(url, { evidence, expectedBinding: binding, committee });
 */
export async function requestVerdict(url: string, parameters: RequestVerdictParameters): Promise<RequestVerdictReturnType> {
  const body: VerifyRequestBody = {
    evidence: evidenceAsText(parameters.evidence),
    ...(parameters.kind ? { kind: parameters.kind } : {}),
    ...(parameters.gpuEvidence !== undefined ? { gpuEvidence: evidenceAsText(parameters.gpuEvidence) } : {}),
    ...(parameters.expectedBinding ? { expectedBinding: parameters.expectedBinding } : {}),
    ...(parameters.at !== undefined ? { at: typeof parameters.at === "string" ? parameters.at : parameters.at.toISOString() } : {}),
  };
  const answer = await requestService(`${url.replace(/\/+$/, "")}/v1/verify`, {
    body,
    ...(parameters.timeoutMs !== undefined ? { timeoutMs: parameters.timeoutMs } : {}),
    maxResponseBytes: 1024 * 1024,
  });
  const parsed = responseSchema.safeParse(answer);
  if (!parsed.success) {
    throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered /v1/verify with a body that is not a verdict`, {
      details: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
    });
  }
  const value = parsed.data;
  const encodedClaims = value.encodedClaims as Hex;
  const claimsHash = value.claimsHash.toLowerCase() as Hex;
  if (keccak256(encodedClaims) !== claimsHash) {
    throw new TeezkError("VERDICT_INVALID", `${url} answered with claims that do not hash to its claims hash`);
  }
  let claims: Claims;
  let gpuClaims: Claims[] | undefined;
  try {
    // Sent GPU evidence, the verdict must cover the composite; sent none, one Claims record.
    if (parameters.gpuEvidence !== undefined) ({ claims, gpuClaims } = decodeCompositeClaims(encodedClaims));
    else claims = decodeClaims(encodedClaims);
  } catch (cause) {
    const expected = parameters.gpuEvidence !== undefined ? "a composite (Claims, Claims[])" : "one Claims record";
    throw new TeezkError("VERDICT_INVALID", `${url} answered with encoded claims that are not ${expected}`, { cause });
  }
  const verdict = { signer: value.verdict.signer as Address, signature: value.verdict.signature as Hex };
  if (parameters.expectedSigner && !isAddressEqual(parameters.expectedSigner, verdict.signer)) {
    throw new TeezkError("VERDICT_INVALID", `The verdict is from ${verdict.signer}, not the expected node ${parameters.expectedSigner}`);
  }
  if (parameters.committee) {
    const digest = hashTypedData({ domain: committeeDomain(parameters.committee), types: verdictTypes, primaryType: "Verdict", message: { claimsHash } });
    let recovered: Address;
    try {
      recovered = await recoverAddress({ hash: digest, signature: verdict.signature });
    } catch (cause) {
      throw new TeezkError("VERDICT_INVALID", `${url} answered with a verdict signature that does not parse`, { cause });
    }
    if (!isAddressEqual(recovered, verdict.signer)) {
      throw new TeezkError("VERDICT_INVALID", `The verdict signature recovers to ${recovered}, not to the signer ${verdict.signer} the node named`, {
        metaMessages: ["Check that the node serves the same CommitteeAttestationVerifier (chain id and address) as the one given."],
      });
    }
  }
  return {
    kind: value.kind,
    claims,
    ...(gpuClaims ? { gpuClaims } : {}),
    encodedClaims,
    claimsHash,
    appraisal: value.appraisal as Appraisal,
    verdict,
    at: value.at,
    ...(value.archived ? { archived: value.archived as VerifierArchiveIds } : {}),
  };
}
