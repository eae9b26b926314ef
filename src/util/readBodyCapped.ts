/**
 * Reads a fetch Response body chunk by chunk and stops at `maxBytes`: a server cannot make the reader hold more
 * than the cap, whatever Content-Length it announced. `tooLarge` builds the caller's typed error.
 */
export async function readBodyCapped(response: Response, maxBytes: number, tooLarge: () => Error): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
