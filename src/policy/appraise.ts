import type { ErrorCode } from "../errors/index.js";
import { TcbStatus, TeeType, teeTypeName, tcbStatusName, type Checks, type Claims } from "../claims/types.js";
import type { ReferenceValues } from "./referenceValues.js";

export type AppraisalFailure = { code: ErrorCode; rule: string; message: string };

export type Appraisal = {
  ok: boolean;
  /** Every rule that failed, in a stable order; empty when ok. */
  failures: AppraisalFailure[];
  /** Rules that were evaluated (failed or passed), for audit logs. */
  evaluated: string[];
};

export type AppraiseOptions = {
  /** Checks reported by the verifier; needed for `requiredChecks`. */
  checks?: Checks;
  /**
   * "gpu" when the claims are the GPU half of composite evidence (assessEvidence): only there are NVIDIA claims
   * appraised as such; anywhere else they fail GPU_NOT_AN_ENCLAVE.
   */
  part?: "gpu";
};

/** Allowed clock skew between a TEE's clock and the appraiser's. */
const FUTURE_SKEW_SECONDS = 300n;

/**
 * Appraises claims against reference values and returns every failed rule, not just the first, so an
 * operator fixes a policy or a deployment in one round.
 */
export function appraise(claims: Claims, referenceValues: ReferenceValues, now: Date, options: AppraiseOptions = {}): Appraisal {
  const failures: AppraisalFailure[] = [];
  const evaluated: string[] = [];
  const rule = (name: string, passed: boolean, code: ErrorCode, message: string) => {
    evaluated.push(name);
    if (!passed) failures.push({ code, rule: name, message });
  };

  if (claims.teeType === TeeType.NVIDIA_GPU && options.part !== "gpu") {
    rule("enclave", false, "GPU_NOT_AN_ENCLAVE", "GPU claims on their own are no enclave's: a GPU is appraised only as the GPU half of composite evidence");
  }
  const typeName = teeTypeName(claims.teeType);
  const refs = typeName ? referenceValues.tee[typeName] : undefined;
  rule("teeType", refs !== undefined, "TEE_TYPE_NOT_ALLOWED", `No reference values for TEE type ${typeName ?? claims.teeType}`);

  if (refs) {
    const measurement = claims.measurement.toLowerCase();
    rule(
      "measurement",
      refs.allowedMeasurements.includes(measurement as `0x${string}`),
      "MEASUREMENT_NOT_ALLOWED",
      `Measurement ${measurement} is not in the ${typeName} allowlist (${refs.allowedMeasurements.length} entries)`,
    );
    rule("debug", refs.allowDebug || !claims.debug, "DEBUG_ENCLAVE", "The TEE is debuggable and the policy forbids debug");

    const statusName = tcbStatusName(claims.tcbStatus) ?? String(claims.tcbStatus);
    const statusAccepted = refs.acceptedTcbStatuses.some((name) => TcbStatus[name] === claims.tcbStatus);
    if (claims.tcbStatus === TcbStatus.UNKNOWN) {
      rule(
        "tcbStatus",
        statusAccepted,
        "TCB_STATUS_UNKNOWN",
        "The TCB status is unknown (verified without collateral); pass --collateral or accept UNKNOWN in the policy",
      );
    } else {
      rule(
        "tcbStatus",
        statusAccepted,
        "TCB_STATUS_NOT_ACCEPTED",
        `TCB status ${statusName} is not accepted (accepted: ${refs.acceptedTcbStatuses.join(", ")})`,
      );
    }
    rule("minSvn", claims.svn >= refs.minSvn, "SVN_TOO_LOW", `SVN ${claims.svn} is below the minimum ${refs.minSvn}`);

    for (const check of refs.requiredChecks) {
      rule(
        `check.${check}`,
        options.checks?.[check] === "passed",
        "CHECK_NOT_PERFORMED",
        `The policy requires the ${check} check, which verification did not perform (${options.checks?.[check] ?? "absent"}); supply the missing collateral`,
      );
    }
    if (refs.allowedRoots) {
      rule(
        "root",
        refs.allowedRoots.includes(claims.rootHash.toLowerCase() as `0x${string}`),
        "ROOT_NOT_ALLOWED",
        `Root ${claims.rootHash} is not one the policy allows`,
      );
    }
  }

  const nowSeconds = BigInt(Math.floor(now.getTime() / 1000));
  rule(
    "notFromFuture",
    claims.timestamp <= nowSeconds + FUTURE_SKEW_SECONDS,
    "EVIDENCE_FROM_FUTURE",
    `Evidence time ${claims.timestamp} is after the appraisal time ${nowSeconds}`,
  );
  if (referenceValues.maxAgeSeconds !== undefined) {
    const age = nowSeconds - claims.timestamp;
    rule(
      "maxAge",
      age <= BigInt(referenceValues.maxAgeSeconds),
      "EVIDENCE_TOO_OLD",
      `Evidence is ${age} s old; the policy allows ${referenceValues.maxAgeSeconds} s`,
    );
  }
  if (referenceValues.expectedBinding !== undefined) {
    rule(
      "binding",
      claims.reportData.toLowerCase() === referenceValues.expectedBinding,
      "BINDING_MISMATCH",
      `Report data ${claims.reportData} does not equal the expected binding ${referenceValues.expectedBinding}`,
    );
  }
  return { ok: failures.length === 0, failures, evaluated };
}
