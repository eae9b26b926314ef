import { describe, expect, it } from "vitest";
import { encodeAbiParameters, keccak256, toHex, type Hex } from "viem";
import { computeBinding } from "../../src/claims/index.js";

describe("computeBinding", () => {
  it("is keccak256(abi.encode('teezk/v1', address, keccak256(hpkeKey), nonce))", () => {
    const enclaveAddress = "0x00000000000000000000000000000000000000aa";
    const hpkePublicKey: Hex = toHex(new Uint8Array(32).fill(7));
    const nonce: Hex = `0x${"5a".repeat(32)}`;
    // Independent encoding: the dynamic string sits after four head words.
    const manual = encodeAbiParameters(
      [{ type: "string" }, { type: "address" }, { type: "bytes32" }, { type: "bytes32" }],
      ["teezk/v1", enclaveAddress, keccak256(hpkePublicKey), nonce],
    );
    expect(manual.slice(2, 66)).toBe((128).toString(16).padStart(64, "0"));
    expect(computeBinding({ enclaveAddress, hpkePublicKey, nonce })).toBe(keccak256(manual));
    expect(computeBinding({ enclaveAddress, hpkePublicKey, nonce: `0x${"5b".repeat(32)}` })).not.toBe(keccak256(manual));
  });
});
