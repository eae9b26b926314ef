import { secp256k1 } from "@noble/curves/secp256k1.js";
import { toHex, type Address, type Hex } from "viem";
import { publicKeyToAddress } from "viem/accounts";
import { fromHex } from "./bytes.js";

/**
 * The address whose key signed the 32-byte `hash`: viem's `recoverAddress` for a 65-byte r‖s‖v signature, with the
 * same rules (v is 0, 1, 27 or 28; r and s in [1, n); high s recovers as it does on chain through ecrecover),
 * computed synchronously with a statically imported noble. viem imports noble's curve dynamically on every call,
 * which under a module loader with hooks (tsx, the test runner) is a round trip to the loader's thread per
 * signature: the larger part of a delegating client's receipt check. Throws on a malformed signature.
 */
export function recoverDigestSigner({ hash, signature }: { hash: Hex; signature: Hex }): Address {
  const bytes = fromHex(signature);
  if (bytes.length !== 65) throw new Error("invalid signature length");
  const recovered = secp256k1.Signature.fromBytes(bytes.subarray(0, 64), "compact")
    .addRecoveryBit(recoveryBit(bytes[64]!))
    .recoverPublicKey(fromHex(hash));
  return publicKeyToAddress(toHex(recovered.toBytes(false)));
}

function recoveryBit(yParityOrV: number): number {
  if (yParityOrV === 0 || yParityOrV === 27) return 0;
  if (yParityOrV === 1 || yParityOrV === 28) return 1;
  throw new Error("Invalid yParityOrV value");
}
