import { describe, expect, it } from "vitest";
import { keccak256, type Hex } from "viem";
import {
  claimsHash,
  decodeClaims,
  decodeCompositeClaims,
  decodeVerdictClaims,
  encodeClaims,
  encodeCompositeClaims,
  MAX_SVN,
  packSvnLanes,
  svnLanes,
  TcbStatus,
  TeeType,
  type Claims,
} from "../../src/claims/index.js";

const claims: Claims = {
  teeType: TeeType.SEV_SNP,
  measurement: `0x${"01".repeat(32)}`,
  reportData: `0x${"02".repeat(32)}`,
  platformId: `0x${"03".repeat(32)}`,
  rootHash: `0x${"04".repeat(32)}`,
  timestamp: 1_750_000_000n,
  tcbStatus: TcbStatus.NOT_APPLICABLE,
  svn: 0x03000a15,
  debug: true,
};

describe("encodeClaims", () => {
  it("lays the struct out as nine static 32-byte ABI words in DESIGN §2 order", () => {
    const encoded = encodeClaims(claims);
    expect((encoded.length - 2) / 2).toBe(9 * 32);
    const word = (index: number) => encoded.slice(2 + index * 64, 2 + (index + 1) * 64);
    expect(BigInt(`0x${word(0)}`)).toBe(2n);
    expect(`0x${word(1)}`).toBe(claims.measurement);
    expect(`0x${word(4)}`).toBe(claims.rootHash);
    expect(BigInt(`0x${word(5)}`)).toBe(claims.timestamp);
    expect(BigInt(`0x${word(6)}`)).toBe(255n);
    expect(BigInt(`0x${word(7)}`)).toBe(0x03000a15n);
    expect(BigInt(`0x${word(8)}`)).toBe(1n);
  });

  it("round-trips and hashes the encoding", () => {
    const encoded = encodeClaims(claims);
    expect(decodeClaims(encoded)).toEqual(claims);
    expect(claimsHash(claims)).toBe(keccak256(encoded));
  });

  it("svn is a uint48 of six 8-bit lanes: a Turin FMC lane above 32 bits keeps its bytes and round-trips", () => {
    const turin = { ...claims, svn: packSvnLanes([0x48, 25, 4, 3, 1]) };
    const encoded = encodeClaims(turin);
    expect(encoded.slice(2 + 7 * 64, 2 + 8 * 64)).toBe(`${"0".repeat(54)}0103041948`);
    expect(decodeClaims(encoded)).toEqual(turin);
    expect(svnLanes(turin.svn)).toEqual([0x48, 25, 4, 3, 1, 0]);
    expect(decodeClaims(encodeClaims({ ...claims, svn: MAX_SVN })).svn).toBe(2 ** 48 - 1);
    expect(() => encodeClaims({ ...claims, svn: 2 ** 48 })).toThrow();
  });

  it("refuses bytes that are not a Claims record", () => {
    expect(() => decodeClaims("0x1234")).toThrow(/MALFORMED/);
    const badType = encodeClaims({ ...claims, teeType: 9 as never });
    expect(() => decodeClaims(badType)).toThrow(/Unknown teeType/);
  });
});

describe("encodeCompositeClaims", () => {
  const gpuClaims: Claims[] = [{ ...claims, teeType: TeeType.NVIDIA_GPU, measurement: `0x${"05".repeat(32)}` }];

  it("is abi.encode(Claims cpu, Claims[] gpus): the CPU's nine words, the array's offset, length and elements", () => {
    const encoded = encodeCompositeClaims({ claims, gpuClaims });
    expect(encoded.slice(0, 2 + 64 * 9)).toBe(encodeClaims(claims));
    expect(BigInt(`0x${encoded.slice(2 + 64 * 9, 2 + 64 * 10)}`)).toBe(320n);
    expect(BigInt(`0x${encoded.slice(2 + 64 * 10, 2 + 64 * 11)}`)).toBe(1n);
    expect(`0x${encoded.slice(2 + 64 * 11)}`).toBe(encodeClaims(gpuClaims[0]!));
    expect(decodeCompositeClaims(encoded)).toEqual({ claims, gpuClaims });
    expect(decodeVerdictClaims(encoded)).toEqual({ claims, gpuClaims });
    expect(decodeVerdictClaims(encodeClaims(claims))).toEqual({ claims, gpuClaims: [] });
  });

  it("a composite never decodes as its CPU claims alone, and only its canonical encoding decodes", () => {
    const encoded = encodeCompositeClaims({ claims, gpuClaims });
    expect(() => decodeClaims(encoded)).toThrow(/Not an ABI-encoded Claims record/);
    expect(() => decodeCompositeClaims(`${encoded}${"00".repeat(32)}` as Hex)).toThrow(/canonical/);
  });
});
