import type { TypedDataDomain } from "viem";
import type { ContractDomain } from "../receipts/types.js";

/**
 * EIP-712 types of the committee verdict and the multi-prover root, copied once from
 * CommitteeAttestationVerifier.VERDICT_TYPE and MultiProverRoots.ROOT_TYPE (public constants; the chain tests
 * compare their type hashes with the contracts' getters).
 */
export const VERDICT_TYPE = "Verdict(bytes32 claimsHash)";
export const ROOT_TYPE = "Root(uint64 epoch,bytes32 root)";
export const COMMITTEE_DOMAIN = { name: "teezk CommitteeVerifier", version: "1" } as const;
export const MULTI_PROVER_ROOTS_DOMAIN = { name: "teezk MultiProverRoots", version: "1" } as const;

export const verdictTypes = { Verdict: [{ name: "claimsHash", type: "bytes32" }] } as const;
export const rootTypes = {
  Root: [
    { name: "epoch", type: "uint64" },
    { name: "root", type: "bytes32" },
  ],
} as const;

export function committeeDomain({ chainId, verifyingContract }: ContractDomain): TypedDataDomain {
  return { ...COMMITTEE_DOMAIN, chainId: Number(chainId), verifyingContract };
}

export function multiProverRootsDomain({ chainId, verifyingContract }: ContractDomain): TypedDataDomain {
  return { ...MULTI_PROVER_ROOTS_DOMAIN, chainId: Number(chainId), verifyingContract };
}
