import { hashTypedData, isHex, type Address, type Hex, type LocalAccount } from "viem";
import { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { committeeDomain, verdictTypes } from "./typedData.js";

/** One committee member's signature over a claims hash. */
export type Verdict = { signer: Address; signature: Hex };

export type SignVerdictParameters = {
  /** The verifier node's key (a committee member). */
  account: LocalAccount;
  /** keccak256(abi.encode(claims)) (claimsHash in src/claims). */
  claimsHash: Hex;
  /** The CommitteeAttestationVerifier. */
  committee: ContractDomain;
};
export type SignVerdictErrorType = TeezkError;

/** The EIP-712 digest CommitteeAttestationVerifier.verdictDigest returns. */
export function hashVerdict({ claimsHash, committee }: Omit<SignVerdictParameters, "account">): Hex {
  return hashTypedData({ domain: committeeDomain(committee), types: verdictTypes, primaryType: "Verdict", message: { claimsHash: bytes32(claimsHash) } });
}

/** Signs `Verdict(claimsHash)` for the committee. Call only after the evidence verified and appraised. */
export async function signVerdict({ account, claimsHash, committee }: SignVerdictParameters): Promise<Verdict> {
  const signature = await account.signTypedData({
    domain: committeeDomain(committee),
    types: verdictTypes,
    primaryType: "Verdict",
    message: { claimsHash: bytes32(claimsHash) },
  });
  return { signer: account.address, signature };
}

function bytes32(value: Hex): Hex {
  if (!isHex(value) || value.length !== 66) throw new TeezkError("CONFIG_INVALID", "claimsHash must be 32-byte hex");
  return value;
}
