import { toHex, type Address, type Hex } from "viem";
import type { Claims } from "../claims/index.js";
import { chainCallError } from "./chainCallError.js";
import { dcapAttestationVerifierAbi } from "./contractAbis.js";
import { registerEnclave, type RegisterEnclaveReturnType } from "./registerEnclave.js";
import { DCAP_PATH, type TeezkClients } from "./types.js";

export type RegisterViaDcapParameters = TeezkClients & {
  enclaveRegistry: Address;
  /** The DcapAttestationVerifier behind route DCAP_PATH. */
  dcapVerifier: Address;
  programId: Hex;
  enclave: Address;
  hpkeKeyHash: Hex;
  nonce: Hex;
  /** The raw TDX/SGX quote: the route's whole proof. */
  quote: Uint8Array;
};
export type RegisterViaDcapReturnType = RegisterEnclaveReturnType & { claims: Claims };

/**
 * Registers an enclave through the on-chain DCAP route: no committee, no verdicts. The claims are the ones the
 * verifier derives from the quote at the current block (its verifyQuote view), so the registration states exactly
 * what the chain will re-derive; collateral must be in the store first (pushDcapCollateral).
 */
export async function registerViaDcap(parameters: RegisterViaDcapParameters): Promise<RegisterViaDcapReturnType> {
  const { publicClient, walletClient, dcapVerifier, quote } = parameters;
  let claims: Claims;
  try {
    claims = (await publicClient.readContract({ address: dcapVerifier, abi: dcapAttestationVerifierAbi, functionName: "verifyQuote", args: [toHex(quote)] })) as Claims;
  } catch (error) {
    throw chainCallError(`verifyQuote on ${dcapVerifier}`, error);
  }
  const registered = await registerEnclave({
    publicClient,
    walletClient,
    enclaveRegistry: parameters.enclaveRegistry,
    programId: parameters.programId,
    claims,
    enclave: parameters.enclave,
    hpkeKeyHash: parameters.hpkeKeyHash,
    nonce: parameters.nonce,
    path: DCAP_PATH,
    proof: toHex(quote),
  });
  return { ...registered, claims };
}
