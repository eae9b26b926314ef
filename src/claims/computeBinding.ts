import { encodeAbiParameters, keccak256, type Address, type Hex } from "viem";

export type ComputeBindingParameters = {
  enclaveAddress: Address;
  /** The enclave's HPKE public key (raw bytes as hex). */
  hpkePublicKey: Hex;
  /** The challenge: a recent block hash on-chain or a client's random 32 bytes off-chain. */
  nonce: Hex;
};

/**
 * DESIGN §3: binding = keccak256(abi.encode("teezk/v1", enclaveAddress, keccak256(hpkePublicKey), nonce)).
 * The enclave puts it in the first 32 bytes of its report data; the EnclaveRegistry recomputes it on-chain.
 */
export function computeBinding({ enclaveAddress, hpkePublicKey, nonce }: ComputeBindingParameters): Hex {
  return computeBindingFromKeyHash({ enclaveAddress, hpkeKeyHash: keccak256(hpkePublicKey), nonce });
}

export type ComputeBindingFromKeyHashParameters = Omit<ComputeBindingParameters, "hpkePublicKey"> & {
  /** keccak256 of the enclave's HPKE public key, as EnclaveRegistry.register takes it. */
  hpkeKeyHash: Hex;
};

/** The same binding from the HPKE key's hash, for callers that hold only the hash (registration). */
export function computeBindingFromKeyHash({ enclaveAddress, hpkeKeyHash, nonce }: ComputeBindingFromKeyHashParameters): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "string" }, { type: "address" }, { type: "bytes32" }, { type: "bytes32" }], ["teezk/v1", enclaveAddress, hpkeKeyHash, nonce]),
  );
}
