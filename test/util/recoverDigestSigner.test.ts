import { keccak256, recoverAddress, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { recoverDigestSigner } from "../../src/util/recoverDigestSigner.js";

const secp256k1Order = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** viem's answer, or the fact that it refused. */
async function viemSigner(hash: Hex, signature: Hex): Promise<string> {
  try {
    return await recoverAddress({ hash, signature });
  } catch {
    return "refused";
  }
}
function ownSigner(hash: Hex, signature: Hex): string {
  try {
    return recoverDigestSigner({ hash, signature });
  } catch {
    return "refused";
  }
}

describe("recoverDigestSigner", () => {
  it("recovers what viem's recoverAddress recovers, and refuses what it refuses, for every form of v, high s and bad values", async () => {
    const account = privateKeyToAccount(keccak256(toHex("teezk recoverDigestSigner test key")));
    const cases: Hex[][] = [];
    for (let i = 0; i < 8; i++) {
      const hash = keccak256(toHex(`message ${i}`));
      const signature = await account.sign({ hash });
      const r = signature.slice(2, 66);
      const s = BigInt(`0x${signature.slice(66, 130)}`);
      const v = parseInt(signature.slice(130), 16);
      const withV = (value: number, sHex = signature.slice(66, 130)) => `0x${r}${sHex}${value.toString(16).padStart(2, "0")}` as Hex;
      const highS = (secp256k1Order - s).toString(16).padStart(64, "0");
      cases.push(
        [hash, signature],
        [hash, withV(v - 27)],
        // The other half of the curve: the same signature malleated, the other recovery bit.
        [hash, withV(v === 27 ? 28 : 27, highS)],
        [hash, withV(v === 27 ? 27 : 28, highS)],
        [hash, withV(29)],
        [hash, withV(2)],
        [hash, `0x${"00".repeat(32)}${signature.slice(66)}` as Hex],
        [hash, `0x${r}${secp256k1Order.toString(16)}${signature.slice(130)}` as Hex],
        [hash, signature.slice(0, 130) as Hex],
        [keccak256(toHex(`other ${i}`)), signature],
      );
    }
    const outcomes = await Promise.all(cases.map(async ([hash, signature]) => [await viemSigner(hash!, signature!), ownSigner(hash!, signature!)]));
    for (const [viem, own] of outcomes) expect(own).toBe(viem);
    // The cases are not all refusals or all the signer: both outcomes are exercised.
    const answers = outcomes.map(([viem]) => viem);
    expect(answers.filter((a) => a === account.address).length).toBeGreaterThanOrEqual(16);
    expect(answers.filter((a) => a === "refused").length).toBeGreaterThanOrEqual(24);
  });
});
