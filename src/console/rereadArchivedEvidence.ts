import type { Hex } from "viem";
import type { CheckName, CheckOutcome } from "../claims/types.js";
import { isTeezkError } from "../errors/index.js";
import { verifyEvidence } from "../evidence/verifyEvidence.js";
import { fromHex } from "../util/bytes.js";
import type { PinnedRoot } from "../util/x509.js";

/** Evidence fields the page shows for an archived piece of evidence. */
export type RereadEvidence =
  | {
      ok: true;
      kind: string;
      /** Every register the vendor verifier reads (RTMRs, PCRs, HOST_DATA, …), as hex or plain values. */
      registers: Record<string, string>;
      checks: Partial<Record<CheckName, CheckOutcome>>;
      advisoryIds: string[];
      tcbStatus: number;
      /** The time it was re-verified as of: the evidence's own (its claims' timestamp). */
      at: string;
    }
  | { ok: false; code: string; message: string };

/**
 * Re-verifies archived evidence as of its own time against the pinned vendor roots (and, on a dev deployment, the
 * simulated TEEs' dev roots the console was started with), without collateral: the page shows every register, the
 * advisory ids and which checks this re-reading could run. It never replaces the node's appraisal (archived
 * beside it); a failure is shown as its code, e.g. an SEV-SNP report whose AMD chain needs collateral.
 */
export function rereadArchivedEvidence(parameters: { evidence: Hex; timestamp: number; extraTrustedRoots?: readonly PinnedRoot[] }): RereadEvidence {
  const at = new Date(parameters.timestamp * 1000);
  try {
    const { kind, evidence } = verifyEvidence({
      evidence: fromHex(parameters.evidence),
      now: at,
      ...(parameters.extraTrustedRoots ? { extraTrustedRoots: parameters.extraTrustedRoots } : {}),
    });
    return {
      ok: true,
      kind,
      registers: Object.fromEntries(Object.entries(evidence.registers).map(([name, value]) => [name, String(value)])),
      checks: evidence.checks,
      advisoryIds: evidence.advisoryIds,
      tcbStatus: evidence.claims.tcbStatus,
      at: at.toISOString(),
    };
  } catch (error) {
    return isTeezkError(error) ? { ok: false, code: error.code, message: error.shortMessage } : { ok: false, code: "INTERNAL", message: "the evidence could not be re-read" };
  }
}
