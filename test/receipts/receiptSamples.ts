import { concat, encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import type { Receipt } from "../../src/receipts/index.js";

export const domain = { chainId: 31337, verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3" } as const;
export const word = (n: number): Hex => keccak256(toHex(`word ${n}`));
export const receiptOf = (n: number): Receipt => ({
  programId: word(0),
  inputDigest: word(3 * n + 1),
  outputDigest: word(3 * n + 2),
  proofDigest: word(3 * n + 3),
  issuedAt: 1_750_000_000n + BigInt(n),
  nonce: keccak256(toHex(`nonce ${n}`)),
});

/** EIP-712 digest written out from the spec, independently of viem's hashTypedData. */
export function eip712Digest(name: string, typeString: string, fields: readonly { type: string; value: unknown }[]): Hex {
  const domainTypehash = keccak256(toHex("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"));
  const separator = keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint256" }, { type: "address" }],
      [domainTypehash, keccak256(toHex(name)), keccak256(toHex("1")), BigInt(domain.chainId), domain.verifyingContract],
    ),
  );
  const structHash = keccak256(
    encodeAbiParameters([{ type: "bytes32" }, ...fields.map((f) => ({ type: f.type }))], [keccak256(toHex(typeString)), ...fields.map((f) => f.value)]),
  );
  return keccak256(concat(["0x1901", separator, structHash]));
}
