import { keccak256, recoverAddress, toHex, type Address } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { createVerdictSigner } from "../../src/chain/createVerdictSigner.js";
import { hashVerdict, signVerdict } from "../../src/chain/index.js";

/**
 * The verifier node signs verdicts through createVerdictSigner (the domain separator hashed once). A digest or a
 * signature that differed from viem's signTypedData by one bit would be a verdict CommitteeAttestationVerifier
 * refuses; the deployed contract's verdictDigest is compared with hashVerdict in typedData.test.ts.
 */
describe("createVerdictSigner: the same digests and signatures as viem's EIP-712 signing", () => {
  const committees = [
    { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000be0c4001" as Address },
    { chainId: 1n, verifyingContract: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48" as Address },
    { chainId: 8453, verifyingContract: "0xffffffffffffffffffffffffffffffffffffffff" as Address },
  ];
  const keys = [1, 2, 3].map((seed) => keccak256(toHex(`verdict signer key ${seed}`)));

  it("equals hashVerdict and signVerdict over 300 claims hashes, 3 committees and 3 keys; the signature recovers to the key", async () => {
    let compared = 0;
    for (const committee of committees) {
      for (const key of keys) {
        const account = privateKeyToAccount(key);
        const signer = createVerdictSigner({ account, committee });
        for (let i = 0; i < 34; i++) {
          const claimsHash = keccak256(toHex(`claims ${i} ${committee.chainId} ${key}`));
          const digest = signer.digest(claimsHash);
          expect(digest).toBe(hashVerdict({ claimsHash, committee }));
          const fast = await signer.sign(claimsHash);
          expect(fast).toEqual(await signVerdict({ account, claimsHash, committee }));
          expect(await recoverAddress({ hash: digest, signature: fast.signature })).toBe(account.address);
          compared += 1;
        }
      }
    }
    expect(compared).toBe(306);
  });

  it("a digest for another committee, chain or claims hash differs (no field is left out of the hash)", () => {
    const account = privateKeyToAccount(keys[0]!);
    const claimsHash = keccak256(toHex("claims"));
    const base = createVerdictSigner({ account, committee: committees[0]! }).digest(claimsHash);
    expect(createVerdictSigner({ account, committee: { ...committees[0]!, chainId: 31338 } }).digest(claimsHash)).not.toBe(base);
    expect(createVerdictSigner({ account, committee: { ...committees[0]!, verifyingContract: committees[2]!.verifyingContract } }).digest(claimsHash)).not.toBe(base);
    expect(createVerdictSigner({ account, committee: committees[0]! }).digest(keccak256(toHex("claims2")))).not.toBe(base);
  });

  it("refuses a claims hash that is not 32 bytes: CONFIG_INVALID", async () => {
    const signer = createVerdictSigner({ account: privateKeyToAccount(keys[0]!), committee: committees[0]! });
    for (const bad of ["0x1234", `0x${"zz".repeat(32)}`, `0x${"00".repeat(33)}`]) {
      await expect(signer.sign(bad as `0x${string}`)).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    }
  });
});
