import { describe, expect, it } from "vitest";
import { TeeType, TeeVendor, enclaveVendorsOf, teeTypesOfBitmap, teeVendorOf } from "../../src/claims/index.js";

describe("teeVendorOf / enclaveVendorsOf (DESIGN §2 vendors)", () => {
  it("maps TDX and SGX to Intel, SEV-SNP to AMD, Nitro to AWS, the GPU to NVIDIA, and nothing else", () => {
    expect([TeeType.TDX, TeeType.SGX].map(teeVendorOf)).toEqual([TeeVendor.INTEL, TeeVendor.INTEL]);
    expect([TeeType.SEV_SNP, TeeType.NITRO, TeeType.NVIDIA_GPU].map(teeVendorOf)).toEqual([TeeVendor.AMD, TeeVendor.AWS, TeeVendor.NVIDIA]);
    expect([0, 6, 255].map(teeVendorOf)).toEqual([undefined, undefined, undefined]);
  });

  it("counts TDX + SGX as one vendor and never counts a GPU", () => {
    expect(enclaveVendorsOf([TeeType.TDX, TeeType.SGX])).toEqual(["INTEL"]);
    expect(enclaveVendorsOf([TeeType.NVIDIA_GPU, TeeType.SGX, 9])).toEqual(["INTEL"]);
    expect(enclaveVendorsOf(teeTypesOfBitmap((1n << 3n) | (1n << 2n) | (1n << 5n)))).toEqual(["INTEL", "AMD", "AWS"]);
  });
});
