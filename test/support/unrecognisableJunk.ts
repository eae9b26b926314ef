import { randomBytes } from "node:crypto";

/**
 * Random bytes no evidence detector recognises, base64-encoded. Plain random bytes start with a Nitro COSE
 * header (0x84) once in 256 draws and are then refused as an oversized Nitro document, which made the archive
 * bound tests flaky; a zero first byte matches no vendor's header (no COSE array, no DCAP/SNP version, no SPDM
 * request, no HCL magic, no JSON).
 */
export function unrecognisableJunk(byteCount: number): string {
  const bytes = randomBytes(byteCount);
  bytes[0] = 0x00;
  return bytes.toString("base64");
}
