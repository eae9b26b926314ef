import { getAddress, hashTypedData, isAddress, recoverAddress, type Address, type Hex } from "viem";
import { multiProverRootsDomain, rootTypes, type RootSignature } from "../../../chain/index.js";
import { TeezkError } from "../../../errors/index.js";
import { parseSignature, readJsonFile } from "../../support/parseCliValues.js";

/** More signatures than there are TEE types times a generous set of enclaves each: a malformed file. */
const MAX_SIGNATURES = 256;

export type LoadRootSignaturesFileParameters = {
  path: string;
  /** The (epoch, root) and contract every signature must be over: checked here, before any gas is spent. */
  epoch: bigint;
  root: Hex;
  roots: Address;
  chainId: number;
};

/**
 * Enclave signatures over EIP-712 Root(epoch, root) (signRoot in src/chain), as a JSON array of
 * `{ "signer": "0x…", "signature": "0x…" }` or `{ "signatures": [...] }`. Each must recover to its stated signer
 * for this epoch, root and MultiProverRoots: a signature over another root would otherwise surface on-chain only
 * as an index (InvalidRootSignature(i)), or, in a conflict report, as a different signer than intended.
 */
export async function loadRootSignaturesFile({ path, epoch, root, roots, chainId }: LoadRootSignaturesFileParameters): Promise<RootSignature[]> {
  const json = readJsonFile(path, "signatures file", 1024 * 1024);
  const list = Array.isArray(json) ? json : (json as { signatures?: unknown } | null)?.signatures;
  const fail = (what: string): never => {
    throw new TeezkError("CONFIG_INVALID", `The signatures file ${path}: ${what}`);
  };
  if (!Array.isArray(list) || list.length === 0) return fail('expected a non-empty array of { "signer", "signature" }');
  if (list.length > MAX_SIGNATURES) return fail(`more than ${MAX_SIGNATURES} signatures`);
  const digest = hashTypedData({ domain: multiProverRootsDomain({ chainId, verifyingContract: roots }), types: rootTypes, primaryType: "Root", message: { epoch, root } });
  const signatures: RootSignature[] = [];
  for (const [i, entry] of list.entries()) {
    const { signer, signature } = (entry ?? {}) as { signer?: unknown; signature?: unknown };
    if (typeof signer !== "string" || !isAddress(signer, { strict: false })) return fail(`entry ${i}: signer is not an address`);
    const parsed = parseSignature(signature, `The signatures file ${path}: entry ${i}`);
    let recovered: Address;
    try {
      recovered = await recoverAddress({ hash: digest, signature: parsed });
    } catch (cause) {
      throw new TeezkError("SIGNATURE_INVALID", `The signatures file ${path}: entry ${i} is not a valid signature`, { cause });
    }
    if (getAddress(recovered) !== getAddress(signer)) {
      throw new TeezkError("SIGNATURE_INVALID", `The signatures file ${path}: entry ${i} is not ${signer}'s signature over epoch ${epoch}, root ${root} for MultiProverRoots ${roots}`, {
        metaMessages: ["Each enclave must sign exactly this (epoch, root) for this contract and chain (signRoot in src/chain)."],
      });
    }
    signatures.push({ signer: getAddress(signer), signature: parsed });
  }
  return signatures;
}
