import type { TeezkError } from "../../errors/index.js";
import { collectEvidence, type CollectEvidenceParameters } from "../../tee/collectEvidence.js";
import type { EvidenceSource } from "./types.js";

export type CreateTeeEvidenceSourceParameters = {
  /** The TEE this node runs in (`teezk tee detect` lists what the machine offers). */
  kind: "tdx" | "sevsnp" | "nitro";
  /**
   * Collateral folder files to serve with every piece of evidence (e.g. the platform's Intel TCB info and QE
   * identity, or the AMD VCEK chain, fetched by the deployment). Clients verify it; they may also bring their own.
   */
  collateral?: Readonly<Record<string, string>>;
  /** Passed to `collectEvidence` (configfs root, helper command runner, environment); for tests and odd layouts. */
  collect?: Omit<CollectEvidenceParameters, "kind" | "binding">;
};
export type CreateTeeEvidenceSourceReturnType = EvidenceSource;
export type CreateTeeEvidenceSourceErrorType = TeezkError;

/**
 * An evidence source backed by the TEE the node runs in, through `collectEvidence`: configfs-tsm for TDX and
 * SEV-SNP, the TEEZK_NITRO_ATTEST_CMD helper for Nitro. Failures are TEE_UNAVAILABLE with what to set up.
 * Collection is synchronous (a kernel call or a helper process) and bounded by the node's attestation timeout.
 */
export function createTeeEvidenceSource(parameters: CreateTeeEvidenceSourceParameters): CreateTeeEvidenceSourceReturnType {
  return ({ binding }) => {
    const collected = collectEvidence({ ...parameters.collect, kind: parameters.kind, binding });
    return { kind: parameters.kind, evidence: collected.evidence, ...(parameters.collateral ? { collateral: parameters.collateral } : {}) };
  };
}
