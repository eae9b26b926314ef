import { claimsToJson, encodeClaims, tcbStatusName, teeTypeName, type VerifiedEvidence } from "../../../claims/index.js";
import { TeezkError, isTeezkError } from "../../../errors/index.js";
import { assessEvidence } from "../../../assessment/index.js";
import { MAX_EVIDENCE_FILE_BYTES, verifyEvidence, type VerifyEvidenceParameters, type VerifyEvidenceReturnType } from "../../../evidence/verifyEvidence.js";
import type { PinnedRoot } from "../../../util/x509.js";
import { loadReferenceValues, type Appraisal } from "../../../policy/index.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { parseAt, readEvidenceFile } from "../../support/evidenceInputs.js";
import type { VerifyFetchOptions } from "../collateral/collateralServiceOptions.js";
import { reportCommandError } from "../../support/reportCommandError.js";
import { describeSource, withFetchedCollateral } from "../collateral/collateralCommand.js";
import type { ItemSource } from "../../../collateral/index.js";
import { detectEvidenceType } from "../../../evidence/detectEvidenceType.js";
import { decodeEvidenceInput } from "../../../util/bytes.js";

export type VerifyCommandOptions = VerifyFetchOptions & {
  type?: "nitro" | "tdx" | "sgx" | "sevsnp" | "nvidia";
  at?: string;
  collateral?: string[];
  policy?: string;
  gpu?: string;
  gpuCollateral?: string;
  trustRoot?: string[];
  json?: boolean;
};

export async function verifyCommand(file: string, options: VerifyCommandOptions, io: CliIo): Promise<number> {
  const now = parseAt(options.at);
  try {
    const evidence = readEvidenceFile(file, "evidence");
    const gpuEvidence = options.gpu ? readEvidenceFile(options.gpu, "GPU evidence") : undefined;
    const referenceValues = options.policy ? loadReferenceValues(options.policy) : undefined;
    const extraTrustedRoots = options.trustRoot?.map(parseTrustRoot);
    const run = (collateralDir: readonly string[] | undefined, gpuCollateralDir = options.gpuCollateral) => {
      const verifyParameters: VerifyEvidenceParameters = {
        evidence,
        now,
        ...(options.type ? { kind: options.type } : {}),
        ...(collateralDir ? { collateralDir } : {}),
        ...(gpuEvidence ? { gpuEvidence } : {}),
        ...(gpuCollateralDir ? { gpuCollateralDir } : {}),
        ...(extraTrustedRoots ? { extraTrustedRoots } : {}),
      };
      // With a policy the file is judged as every service judges it; without one a GPU report may be inspected
      // alone, and the report says it is no enclave.
      const assessed = referenceValues ? assessEvidence({ ...verifyParameters, referenceValues }) : undefined;
      const verified: VerifyEvidenceReturnType = assessed ?? verifyEvidence({ ...verifyParameters, inspectStandaloneGpu: true });
      return { verified, appraisal: assessed?.appraisal };
    };
    // Without --collateral the collateral comes from the vendor's service or the cache (issue 15): the same
    // folder the verifier reads, so the checks are the same as with a hand-made one. --no-fetch verifies
    // without any (TCB status UNKNOWN, revocation not checked), as before.
    // The GPU half's RIMs likewise, when --gpu comes without --gpu-collateral: the CPU's verification runs
    // inside the GPU fetch, so one verification sees both folders.
    const fetchGpu = gpuEvidence && !options.gpuCollateral && options.fetch !== false;
    type Outcome = { result: ReturnType<typeof run>; sources: ItemSource[] };
    // A lone GPU report under a policy is refused (GPU_NOT_AN_ENCLAVE) whatever its RIMs say: nothing to fetch.
    const loneGpuUnderPolicy = referenceValues !== undefined && !gpuEvidence && (options.type ?? detectEvidenceType(decodeEvidenceInput(evidence, MAX_EVIDENCE_FILE_BYTES).bytes)) === "nvidia";
    const verifyCpu = async (gpuDir: string | undefined): Promise<Outcome> => {
      const gpuCollateralDir = gpuDir ?? options.gpuCollateral;
      if (options.collateral || options.fetch === false || loneGpuUnderPolicy) return { result: run(options.collateral, gpuCollateralDir), sources: [] };
      return withFetchedCollateral(evidence, options.type, now, options, (dir) => run(dir ? [dir] : undefined, gpuCollateralDir));
    };
    let outcome: Outcome;
    if (fetchGpu) {
      const gpu = await withFetchedCollateral<Promise<Outcome>>(gpuEvidence, "nvidia", now, options, (gpuDir) => verifyCpu(gpuDir));
      const cpu = await gpu.result;
      outcome = { result: cpu.result, sources: [...cpu.sources, ...gpu.sources] };
    } else {
      outcome = await verifyCpu(undefined);
    }
    const { verified, appraisal } = outcome.result;
    const sources = outcome.sources;
    const ok = appraisal?.ok ?? true;
    if (options.json) {
      io.out(`${JSON.stringify({ ...jsonReport(verified, appraisal, ok), collateralSources: sources })}\n`);
    } else {
      io.out(humanReport(verified, appraisal));
      for (const item of sources) io.out(`collateral ${item.name}: ${describeSource(item.source, item.refreshError)}\n`);
    }
    return ok ? ExitCode.OK : ExitCode.REJECTED;
  } catch (error) {
    if (!isTeezkError(error)) throw error;
    reportCommandError({ io, error, json: options.json, prefix: "rejected" });
    return ExitCode.REJECTED;
  }
}

function parseTrustRoot(pin: string): PinnedRoot {
  const hex = pin.toLowerCase().replace(/^0x/, "");
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new UsageError(`--trust-root expects a SHA-256 fingerprint (64 hex digits), got "${pin}"`);
  return { name: "trusted on the command line", sha256: hex };
}

function jsonReport(verified: VerifyEvidenceReturnType, appraisal: Appraisal | undefined, ok: boolean) {
  const first = appraisal?.failures[0];
  return {
    ok,
    ...(first ? { code: first.code, message: first.message } : {}),
    type: verified.kind,
    enclave: !isStandaloneGpu(verified),
    claims: claimsToJson(verified.evidence.claims),
    claimsAbi: encodeClaims(verified.evidence.claims),
    checks: verified.evidence.checks,
    advisoryIds: verified.evidence.advisoryIds,
    registers: verified.evidence.registers,
    ...(verified.gpu ? { gpu: verified.gpu.map((gpu) => ({ claims: claimsToJson(gpu.claims), registers: gpu.registers })) } : {}),
    appraisal: appraisal ?? null,
  };
}

function humanReport(verified: VerifyEvidenceReturnType, appraisal: Appraisal | undefined): string {
  const lines = [`verified ${verified.kind} evidence`, ...describeClaims(verified.evidence)];
  if (isStandaloneGpu(verified)) {
    lines.unshift(
      "GPU report authentic, but not an enclave: its nonce is chosen by whoever drives the GPU; it counts only as the",
      "--gpu half of CPU evidence carrying the binding (every service, --policy and the registry refuse it alone).",
    );
  }
  for (const [index, gpu] of (verified.gpu ?? []).entries()) {
    lines.push(`GPU ${index}:`, ...describeClaims(gpu).map((line) => `  ${line}`));
  }
  if (appraisal) {
    lines.push(appraisal.ok ? "policy: PASSED" : "policy: FAILED");
    for (const failure of appraisal.failures) lines.push(`  ${failure.code}: ${failure.message}`);
    if (appraisal.skippedChecks?.length) lines.push(`  skipped by the policy's skipChecks (not performed): ${appraisal.skippedChecks.join(", ")}`);
  } else {
    lines.push("policy: not appraised (pass --policy); TCB status and debug are reported, not judged");
  }
  return `${lines.join("\n")}\n`;
}

/** `teezk verify` inspected a GPU report on its own: authentic or not, no enclave stands behind it. */
function isStandaloneGpu(verified: VerifyEvidenceReturnType): boolean {
  return verified.kind === "nvidia";
}

function describeClaims({ claims, checks, advisoryIds }: VerifiedEvidence): string[] {
  const notChecked = Object.entries(checks).filter(([, outcome]) => outcome === "not_checked").map(([name]) => name);
  return [
    `  teeType      ${claims.teeType} (${teeTypeName(claims.teeType)})`,
    `  measurement  ${claims.measurement}`,
    `  reportData   ${claims.reportData}`,
    `  platformId   ${claims.platformId}`,
    `  rootHash     ${claims.rootHash}`,
    `  timestamp    ${claims.timestamp} (${new Date(Number(claims.timestamp) * 1000).toISOString()})`,
    `  tcbStatus    ${claims.tcbStatus} (${tcbStatusName(claims.tcbStatus)})${advisoryIds.length ? ` advisories: ${advisoryIds.join(", ")}` : ""}`,
    `  svn          ${claims.svn}`,
    `  debug        ${claims.debug}`,
    ...(notChecked.length ? [`  not checked  ${notChecked.join(", ")} (no collateral for them)`] : []),
  ];
}
