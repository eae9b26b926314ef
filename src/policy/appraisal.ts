import type { CheckName } from "../claims/types.js";
import type { ErrorCode } from "../errors/index.js";

// The appraisal's shape apart from the rules that produce it (appraise.ts), so the archive and the wire types can
// name it without depending on the evaluation code and the vendor roots it reads.

export type AppraisalFailure = { code: ErrorCode; rule: string; message: string };

export type Appraisal = {
  ok: boolean;
  /** Every rule that failed, in a stable order; empty when ok. */
  failures: AppraisalFailure[];
  /** Rules that were evaluated (failed or passed), for audit logs. */
  evaluated: string[];
  /**
   * Checks that were not performed and passed only because the policy's `skipChecks` names them (always set by
   * appraise; also listed in `evaluated` as `check.<name>:skipped`, so archives and verdicts that keep
   * `evaluated` show the opt-out).
   */
  skippedChecks?: CheckName[];
};
