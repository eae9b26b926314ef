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

/** Bytes of `abi.encode(Claims)`: nine static words. */
export const ENCODED_CLAIMS_BYTES = 9 * 32;

export function decodeClaims(encoded: Hex): Claims {
  // The ABI decoder ignores trailing bytes: a composite's encoding would read as its CPU claims alone.
  if ((encoded.length - 2) / 2 !== ENCODED_CLAIMS_BYTES) {
    throw new TeezkError("MALFORMED", `Not an ABI-encoded Claims record: ${(encoded.length - 2) / 2} bytes, not ${ENCODED_CLAIMS_BYTES}`);
  }
  let decoded: readonly [DecodedClaims];
  try {
    decoded = decodeAbiParameters([claimsAbiParameter], encoded);
  } catch (error) {
    throw new TeezkError("MALFORMED", "Not an ABI-encoded Claims record", { cause: error });
  }
  return checkedClaims(decoded[0]);
}

type DecodedClaims = { teeType: number; measurement: Hex; reportData: Hex; platformId: Hex; rootHash: Hex; timestamp: bigint; tcbStatus: number; svn: number; debug: boolean };

function checkedClaims(value: DecodedClaims): Claims {
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

/** A composite CPU+GPU registration's claims: the enclave's (carrying the binding) and each GPU's (DESIGN §3). */
export type CompositeClaims = { claims: Claims; gpuClaims: Claims[] };

const compositeAbiParameters = [claimsAbiParameter, { ...claimsAbiParameter, type: "tuple[]", name: "gpus" }] as const;

/**
 * `abi.encode(Claims cpu, Claims[] gpus)`: what EnclaveRegistry.registerComposite hands its route, so what
 * committee verdicts over a composite sign the hash of (the whole composite, not the CPU half alone).
 */
export function encodeCompositeClaims({ claims, gpuClaims }: CompositeClaims): Hex {
  return encodeAbiParameters(compositeAbiParameters, [claims, gpuClaims]);
}

/** The inverse of encodeCompositeClaims; bytes that are not exactly its encoding are MALFORMED. */
export function decodeCompositeClaims(encoded: Hex): CompositeClaims {
  let decoded: readonly [DecodedClaims, readonly DecodedClaims[]];
  try {
    decoded = decodeAbiParameters(compositeAbiParameters, encoded);
  } catch (error) {
    throw new TeezkError("MALFORMED", "Not an ABI-encoded composite (Claims, Claims[])", { cause: error });
  }
  const composite = { claims: checkedClaims(decoded[0]), gpuClaims: decoded[1].map(checkedClaims) };
  // Canonical only: trailing bytes or odd offsets would let two byte strings (two verdict hashes) mean one composite.
  if (encodeCompositeClaims(composite).toLowerCase() !== encoded.toLowerCase()) {
    throw new TeezkError("MALFORMED", "The composite claims are not in canonical ABI encoding");
  }
  return composite;
}

/** Decodes what a committee verdict is over: one Claims record (288 bytes) or a composite. */
export function decodeVerdictClaims(encoded: Hex): CompositeClaims {
  return (encoded.length - 2) / 2 === ENCODED_CLAIMS_BYTES ? { claims: decodeClaims(encoded), gpuClaims: [] } : decodeCompositeClaims(encoded);
}

/**
 * What a committee verdict is over: abi.encode(claims), or the composite's abi.encode(claims, gpuClaims) when GPUs
 * came with the evidence (the inverse of decodeVerdictClaims).
 */
export function encodeVerdictClaims({ claims, gpuClaims }: { claims: Claims; gpuClaims?: readonly Claims[] }): Hex {
  return gpuClaims && gpuClaims.length > 0 ? encodeCompositeClaims({ claims, gpuClaims: [...gpuClaims] }) : encodeClaims(claims);
}
