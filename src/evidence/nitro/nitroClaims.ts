import { TcbStatus, TeeType, measurementDigest, sha256Hex, type Claims } from "../../claims/index.js";
import { isAllZero, toBytes32, toHex, type Hex } from "../../util/bytes.js";
import { TeezkError } from "../../errors/index.js";
import type { NitroDocument } from "./types.js";

export type NitroClaimsReturnType = { claims: Claims; registers: Record<string, Hex | string | number> };

/**
 * DESIGN §2 claims of a verified document: measurement sha256(PCR0‖PCR1‖PCR2), reportData the first 32 bytes
 * of user_data, platformId sha256(module_id), timestamp the document's own (seconds). Nitro has no TCB
 * levels or SVNs, so tcbStatus is NOT_APPLICABLE and svn 0. A debug enclave reports all-zero PCRs; PCR0 (the
 * image hash) can never be zero for a production image, so it alone decides `debug`.
 */
export function nitroClaims(document: NitroDocument, rootHash: Hex): NitroClaimsReturnType {
  const [pcr0, pcr1, pcr2] = [0, 1, 2].map((index) => {
    const pcr = document.pcrs.get(index);
    if (!pcr) throw new TeezkError("NITRO_DOCUMENT_INVALID", `The Nitro attestation document has no PCR${index}, needed for the measurement`);
    return pcr;
  }) as [Uint8Array, Uint8Array, Uint8Array];
  const claims: Claims = {
    teeType: TeeType.NITRO,
    measurement: measurementDigest([pcr0, pcr1, pcr2]),
    reportData: toBytes32(document.userData ?? new Uint8Array(0)),
    platformId: sha256Hex(new TextEncoder().encode(document.moduleId)),
    rootHash,
    timestamp: BigInt(Math.floor(document.timestamp / 1000)),
    tcbStatus: TcbStatus.NOT_APPLICABLE,
    svn: 0,
    debug: isAllZero(pcr0),
  };
  const registers: Record<string, Hex | string | number> = {};
  for (const [index, pcr] of document.pcrs) registers[`pcr${index}`] = toHex(pcr);
  registers.moduleId = document.moduleId;
  registers.digest = document.digest;
  registers.timestampMs = document.timestamp;
  // Absent fields stay absent rather than becoming "0x": an empty user_data and a missing one differ.
  if (document.publicKey) registers.publicKey = toHex(document.publicKey);
  if (document.userData) registers.userData = toHex(document.userData);
  if (document.nonce) registers.nonce = toHex(document.nonce);
  return { claims, registers };
}
