import { isTeezkError, TeezkError } from "../../errors/index.js";
import { evidenceKinds } from "../../evidence/detectEvidenceType.js";
import type { CollectedEvidence, EvidenceRequest, EvidenceSource } from "./types.js";

/**
 * One call to the node's evidence source, checked: evidence of a known kind as bytes (and GPU evidence as bytes
 * when present). A source that throws anything but a TeezkError, or returns nothing usable, is TEE_UNAVAILABLE.
 */
export async function collectEvidence(source: EvidenceSource, request: EvidenceRequest): Promise<CollectedEvidence> {
  let collected: CollectedEvidence;
  try {
    collected = await source(request);
  } catch (error) {
    if (isTeezkError(error)) throw error;
    throw new TeezkError("TEE_UNAVAILABLE", "The node's TEE did not produce evidence", { cause: error });
  }
  if (!collected || !evidenceKinds.includes(collected.kind) || !(collected.evidence instanceof Uint8Array) || collected.evidence.length === 0) {
    throw new TeezkError("TEE_UNAVAILABLE", "The evidence source returned no evidence of a known kind");
  }
  if (collected.gpuEvidence !== undefined && !(collected.gpuEvidence instanceof Uint8Array)) {
    throw new TeezkError("TEE_UNAVAILABLE", "The evidence source returned GPU evidence that is not bytes");
  }
  return collected;
}
