/**
 * Evidence for a JSON request body: text evidence (hex, base64, vendor JSON) goes as is, binary as base64. Text
 * is never wrapped again, since the service decodes one layer and would be left with text it cannot parse.
 */
export function evidenceAsText(evidence: Uint8Array | string): string {
  if (typeof evidence === "string") return evidence;
  const printable = evidence.every((byte) => (byte >= 0x20 && byte < 0x7f) || byte === 0x0a || byte === 0x0d || byte === 0x09);
  return printable ? Buffer.from(evidence).toString("latin1") : Buffer.from(evidence).toString("base64");
}
