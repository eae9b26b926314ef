import { concat, domainSeparator, isHex, keccak256, stringToBytes, type Hex, type LocalAccount } from "viem";
import { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import type { Verdict } from "./signVerdict.js";
import { committeeDomain, VERDICT_TYPE } from "./typedData.js";

export type CreateVerdictSignerParameters = {
  /** The verifier node's key (a committee member). */
  account: LocalAccount;
  /** The CommitteeAttestationVerifier. */
  committee: ContractDomain;
};

export type VerdictSigner = {
  /** The EIP-712 digest CommitteeAttestationVerifier.verdictDigest returns (equal to `hashVerdict`). */
  digest: (claimsHash: Hex) => Hex;
  /** `signVerdict` for this key and committee: the same signature, for a fraction of the hashing. */
  sign: (claimsHash: Hex) => Promise<Verdict>;
};
export type CreateVerdictSignerErrorType = TeezkError;

const VERDICT_TYPE_HASH = keccak256(stringToBytes(VERDICT_TYPE));

/**
 * `signVerdict` for a node that signs many verdicts for one committee. viem's signTypedData re-derives the types,
 * re-encodes and re-hashes the domain on every call, about a third of a verdict's cost on a busy verifier node;
 * here the domain separator is hashed once, and each verdict is
 * keccak256(0x1901 ‖ domainSeparator ‖ keccak256(typeHash ‖ claimsHash)) — `Verdict` has one bytes32 field,
 * which EIP-712 encodes as itself. The tests compare every digest and signature with viem's.
 */
export function createVerdictSigner({ account, committee }: CreateVerdictSignerParameters): VerdictSigner {
  const separator = domainSeparator({ domain: committeeDomain(committee) });
  if (account.sign === undefined) throw new TeezkError("CONFIG_INVALID", "The verifier node's account cannot sign digests (a local private-key account is needed)");
  const digest = (claimsHash: Hex): Hex => keccak256(concat(["0x1901", separator, keccak256(concat([VERDICT_TYPE_HASH, bytes32(claimsHash)]))]));
  return {
    digest,
    sign: async (claimsHash) => ({ signer: account.address, signature: await account.sign!({ hash: digest(claimsHash) }) }),
  };
}

function bytes32(value: Hex): Hex {
  if (!isHex(value) || value.length !== 66) throw new TeezkError("CONFIG_INVALID", "claimsHash must be 32-byte hex");
  return value;
}
