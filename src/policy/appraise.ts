import type { ErrorCode } from "../errors/index.js";
import { snpSvn, svnAtLeast } from "../claims/svnLanes.js";
import { TcbStatus, TeeType, teeTypeName, tcbStatusName, type CheckName, type Checks, type Claims, type TeeTypeName } from "../claims/types.js";
import type { Appraisal, AppraisalFailure } from "./appraisal.js";
import type { ReferenceValues, TeeReferenceValues } from "./referenceValues.js";

export type { Appraisal, AppraisalFailure } from "./appraisal.js";

export type AppraiseOptions = {
  /** Checks reported by the verifier; without them every required check counts as not performed. */
  checks?: Checks;
  /**
   * "gpu" when the claims are the GPU half of composite evidence (assessEvidence): only there are NVIDIA claims
   * appraised as such; anywhere else they fail GPU_NOT_AN_ENCLAVE.
   */
  part?: "gpu";
  /**
   * The verifier's `rootProduct` for these claims (VerifiedEvidence): the product whose pinned production root
   * is `claims.rootHash`. Per-product minimums keyed by product name apply only when it is given.
   */
  rootProduct?: string;
};

/** Allowed clock skew between a TEE's clock and the appraiser's. */
const FUTURE_SKEW_SECONDS = 300n;

const DCAP_CHECKS: readonly CheckName[] = ["signature", "certChain", "validity", "qeReport", "tcbInfo", "qeIdentity", "pckRevocation", "rootRevocation"];

/**
 * What complete, fresh collateral lets each verifier perform, and so what every policy requires unless it names
 * a check in `skipChecks`. The untrusted side chooses which collateral files exist (a prover serving the
 * delegation client, a host filling a folder), so a missing file must fail the default, never pass it.
 * NVIDIA: the GPU half's RIMs and OCSP answers come from the services' collateral (a folder or the RIM service and
 * OCSP responder, issue 15), so a GPU whose firmware no RIM describes cannot pass by sending no collateral.
 */
export const DEFAULT_REQUIRED_CHECKS: Readonly<Record<TeeTypeName, readonly CheckName[]>> = {
  TDX: DCAP_CHECKS,
  SGX: DCAP_CHECKS,
  SEV_SNP: ["signature", "certChain", "validity", "tcbExtensions", "revocation"],
  NITRO: ["signature", "certChain", "validity"],
  NVIDIA_GPU: ["signature", "certChain", "validity", "rim", "revocation"],
};

/**
 * Appraises claims against reference values and returns every failed rule, not just the first, so an
 * operator fixes a policy or a deployment in one round.
 */
export function appraise(claims: Claims, referenceValues: ReferenceValues, now: Date, options: AppraiseOptions = {}): Appraisal {
  const failures: AppraisalFailure[] = [];
  const evaluated: string[] = [];
  const skippedChecks: CheckName[] = [];
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

  if (refs && typeName) {
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
        "The TCB status is unknown (collateral or revocation lists missing); supply complete collateral or accept UNKNOWN in the policy",
      );
    } else {
      rule(
        "tcbStatus",
        statusAccepted,
        "TCB_STATUS_NOT_ACCEPTED",
        `TCB status ${statusName} is not accepted (accepted: ${refs.acceptedTcbStatuses.join(", ")})`,
      );
    }
    appraiseSvn(claims, refs, options.rootProduct, rule);
    appraiseChecks(typeName, refs, options.checks, rule, skippedChecks);
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
  return { ok: failures.length === 0, failures, evaluated, skippedChecks };
}

type Rule = (name: string, passed: boolean, code: ErrorCode, message: string) => void;

/**
 * Every lane of svn against `minSvn`, and against the per-product `minTcb` of the claims' root when given: the
 * entry keyed by that root's hash, or by the product whose pinned root the verifier found it to be.
 */
function appraiseSvn(claims: Claims, refs: TeeReferenceValues, rootProduct: string | undefined, rule: Rule): void {
  rule("minSvn", svnAtLeast(claims.svn, refs.minSvn), "SVN_TOO_LOW", `SVN ${svnText(claims.svn)} is below the minimum ${svnText(refs.minSvn)} in some component`);
  if (!refs.minTcb) return;
  const root = claims.rootHash.toLowerCase();
  const entry = Object.entries(refs.minTcb).find(([key]) => key.toLowerCase() === root || (rootProduct !== undefined && key === rootProduct))?.[1];
  rule(
    "minTcb",
    entry !== undefined && svnAtLeast(claims.svn, snpSvn(entry)),
    "SVN_TOO_LOW",
    entry
      ? `SVN ${svnText(claims.svn)} is below the product minimum ${svnText(snpSvn(entry))} in some component`
      : `The policy lists per-product minimums but none for root ${root}`,
  );
}

/** Lanes high to low, e.g. "0:3:9:0:24:219" for Genoa bootloader 9 … microcode 219. */
function svnText(svn: number): string {
  const lanes: number[] = [];
  for (let rest = svn, i = 0; i < 6; i++, rest = Math.floor(rest / 256)) lanes.unshift(rest % 256);
  return lanes.join(":");
}

function appraiseChecks(typeName: TeeTypeName, refs: TeeReferenceValues, checks: Checks | undefined, rule: Rule, skipped: CheckName[]): void {
  const required = [...new Set([...DEFAULT_REQUIRED_CHECKS[typeName], ...refs.requiredChecks])];
  for (const check of required) {
    const performed = checks?.[check] === "passed";
    if (!performed && refs.skipChecks.includes(check)) {
      skipped.push(check);
      rule(`check.${check}:skipped`, true, "CHECK_NOT_PERFORMED", "");
      continue;
    }
    rule(
      `check.${check}`,
      performed,
      "CHECK_NOT_PERFORMED",
      `The policy requires the ${check} check, which verification did not perform (${checks?.[check] ?? "absent"}); supply the missing collateral or name it in skipChecks`,
    );
  }
}
