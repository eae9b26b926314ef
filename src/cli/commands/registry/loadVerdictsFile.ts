import { getAddress, isAddress, isHex, keccak256, type Hex } from "viem";
import type { Verdict } from "../../../chain/index.js";
import { decodeVerdictClaims, type Claims } from "../../../claims/index.js";
import { TeezkError } from "../../../errors/index.js";
import { parseSignature, readJsonFile } from "../../support/parseCliValues.js";

export type VerdictsFile = {
  claims: Claims;
  /** The GPUs' claims of a composite (empty for CPU-only evidence). */
  gpuClaims: Claims[];
  /** abi.encode(claims), or a composite's abi.encode(claims, gpuClaims), exactly as the nodes signed over its hash. */
  encodedClaims: Hex;
  claimsHash: Hex;
  verdicts: Verdict[];
};

/** More verdicts than any committee has members is a malformed file, not a registration. */
const MAX_VERDICTS = 256;

/**
 * Reads the committee verdicts for one registration. Two shapes are accepted:
 * - what verifier nodes answer, one per node, as a JSON array (or one object):
 *   `[{ "encodedClaims": "0x…", "claimsHash": "0x…", "verdict": { "signer": "0x…", "signature": "0x…" } }, …]`
 *   (VerifierSignerVerdict of src/services/verifierSigner.ts; other fields such as `claims` are ignored);
 * - a collected file: `{ "encodedClaims": "0x…", "verdicts": [{ "signer": "0x…", "signature": "0x…" }, …] }`.
 * `encodedClaims` is abi.encode(claims), or for composite evidence abi.encode(claims, gpuClaims).
 * Every answer must be over the same encoded claims: verdicts over different claims cannot add up to a quorum.
 */
export function loadVerdictsFile(path: string): VerdictsFile {
  const json = readJsonFile(path, "verdicts file", 4 * 1024 * 1024);
  const fail = (what: string): never => {
    throw new TeezkError("CONFIG_INVALID", `The verdicts file ${path}: ${what}`);
  };
  let entries: { encodedClaims: unknown; claimsHash?: unknown; verdict: unknown }[];
  if (Array.isArray(json)) entries = json as typeof entries;
  else if (typeof json === "object" && json !== null && Array.isArray((json as { verdicts?: unknown }).verdicts)) {
    const collected = json as { encodedClaims?: unknown; claimsHash?: unknown; verdicts: unknown[] };
    entries = collected.verdicts.map((verdict) => ({ encodedClaims: collected.encodedClaims, claimsHash: collected.claimsHash, verdict }));
  } else if (typeof json === "object" && json !== null && "verdict" in json) entries = [json as (typeof entries)[number]];
  else return fail("expected an array of verifier-node answers or { encodedClaims, verdicts: [...] }");
  if (entries.length === 0) return fail("no verdicts");
  if (entries.length > MAX_VERDICTS) return fail(`more than ${MAX_VERDICTS} verdicts`);

  let encodedClaims: Hex | undefined;
  const verdicts: Verdict[] = [];
  entries.forEach((entry, i) => {
    if (typeof entry !== "object" || entry === null) return fail(`entry ${i} is not an object`);
    const encoded = entry.encodedClaims;
    if (typeof encoded !== "string" || !isHex(encoded, { strict: true })) return fail(`entry ${i}: encodedClaims must be 0x-hex (abi.encode(claims))`);
    if (encodedClaims === undefined) encodedClaims = encoded.toLowerCase() as Hex;
    else if (encoded.toLowerCase() !== encodedClaims) return fail(`entry ${i} is over different claims than entry 0; every node must verify the same evidence`);
    if (entry.claimsHash !== undefined && String(entry.claimsHash).toLowerCase() !== keccak256(encodedClaims)) {
      return fail(`entry ${i}: claimsHash is not keccak256(encodedClaims)`);
    }
    const verdict = entry.verdict as { signer?: unknown; signature?: unknown } | null;
    if (typeof verdict !== "object" || verdict === null) return fail(`entry ${i}: verdict must be { signer, signature }`);
    if (typeof verdict.signer !== "string" || !isAddress(verdict.signer, { strict: false })) return fail(`entry ${i}: verdict.signer is not an address`);
    verdicts.push({ signer: getAddress(verdict.signer), signature: parseSignature(verdict.signature, `The verdicts file ${path}: entry ${i}`) });
  });
  let decoded: { claims: Claims; gpuClaims: Claims[] };
  try {
    decoded = decodeVerdictClaims(encodedClaims!);
  } catch (cause) {
    return fail(`encodedClaims is neither an ABI-encoded Claims record nor a composite (${cause instanceof Error ? cause.message.split("\n")[0] : String(cause)})`);
  }
  return { ...decoded, encodedClaims: encodedClaims!, claimsHash: keccak256(encodedClaims!), verdicts };
}
