import { isHex, type Address, type Hex, type LocalAccount } from "viem";
import { TeezkError } from "../errors/index.js";
import type { ContractDomain } from "../receipts/types.js";
import { multiProverRootsDomain, rootTypes } from "./typedData.js";

/** One enclave's signature over (epoch, root). */
export type RootSignature = { signer: Address; signature: Hex };

export type SignRootParameters = {
  /** A live enclave's key (registered for the MultiProverRoots' programId). */
  account: LocalAccount;
  epoch: bigint;
  root: Hex;
  /** The MultiProverRoots contract. */
  roots: ContractDomain;
};
export type SignRootErrorType = TeezkError;

/** Signs EIP-712 `Root(uint64 epoch,bytes32 root)` for MultiProverRoots.submitRoot / reportConflict. */
export async function signRoot({ account, epoch, root, roots }: SignRootParameters): Promise<RootSignature> {
  if (typeof epoch !== "bigint" || epoch < 0n || epoch >= 1n << 64n) throw new TeezkError("CONFIG_INVALID", "epoch must be a uint64 bigint");
  if (!isHex(root) || root.length !== 66) throw new TeezkError("CONFIG_INVALID", "root must be 32-byte hex");
  const signature = await account.signTypedData({ domain: multiProverRootsDomain(roots), types: rootTypes, primaryType: "Root", message: { epoch, root } });
  return { signer: account.address, signature };
}
