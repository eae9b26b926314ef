import { decodeAbiParameters, encodeAbiParameters, keccak256, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { TeeType, TcbStatus, type Claims } from "./types.js";

/** The Solidity struct `Claims` as a viem ABI tuple: order and widths are the wire format. */
export const claimsAbiParameter = {
  type: "tuple",
  name: "claims",
  components: [
    { name: "teeType", type: "uint8" },
    { name: "measurement", type: "bytes32" },
    { name: "reportData", type: "bytes32" },
    { name: "platformId", type: "bytes32" },
    { name: "rootHash", type: "bytes32" },
    { name: "timestamp", type: "uint64" },
    { name: "tcbStatus", type: "uint8" },
    { name: "svn", type: "uint48" },
    { name: "debug", type: "bool" },
  ],
} as const;

/** `abi.encode(Claims)`: what contracts decode and what the SP1 program commits in `attest` mode. */
export function encodeClaims(claims: Claims): Hex {
  return encodeAbiParameters([claimsAbiParameter], [claims]);
}

export function decodeClaims(encoded: Hex): Claims {
  let decoded: readonly [{ teeType: number; measurement: Hex; reportData: Hex; platformId: Hex; rootHash: Hex; timestamp: bigint; tcbStatus: number; svn: number; debug: boolean }];
  try {
    decoded = decodeAbiParameters([claimsAbiParameter], encoded);
  } catch (error) {
    throw new TeezkError("MALFORMED", "Not an ABI-encoded Claims record", { cause: error });
  }
  const [value] = decoded;
  if (!Object.values(TeeType).includes(value.teeType as TeeType)) {
    throw new TeezkError("MALFORMED", `Unknown teeType ${value.teeType}`);
  }
  if (!Object.values(TcbStatus).includes(value.tcbStatus as TcbStatus)) {
    throw new TeezkError("MALFORMED", `Unknown tcbStatus ${value.tcbStatus}`);
  }
  return { ...value, teeType: value.teeType as TeeType, tcbStatus: value.tcbStatus as TcbStatus };
}

/** keccak256 of the encoding: what committee verdicts sign and contracts index by. */
export function claimsHash(claims: Claims): Hex {
  return keccak256(encodeClaims(claims));
}
