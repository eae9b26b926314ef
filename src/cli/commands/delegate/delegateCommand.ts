import type { Address, Hex } from "viem";
import { getPrivateProofVerifierContext, submitPrivateProof, type SubmitPrivateProofReturnType } from "../../../chain/index.js";
import { claimsToJson } from "../../../claims/index.js";
import { delegateProof, type ClientCollateralSources, type DelegateProofReturnType, type DelegateStep } from "../../../client/index.js";
import { buildDevReferenceValues } from "../../../devnet/buildDevReferenceValues.js";
import { probeSimulatedClaims } from "../../../devnet/probeSimulatedClaims.js";
import { isTeezkError } from "../../../errors/index.js";
import { loadReferenceValues, type ReferenceValues } from "../../../policy/index.js";
import { getDevRoots, type DevRoots } from "../../../tee/simulated/index.js";
import type { PinnedRoot } from "../../../util/x509.js";
import { connectChain } from "../../support/connectChain.js";
import { createStepProgressBar, type ProgressStream } from "../../support/createStepProgressBar.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { parseAddressFlag } from "../serve/parseServeOptions.js";
import { parseTimeoutFlag } from "../../support/parseTimeoutFlag.js";
import { readWitnessFile } from "../../support/readWitnessFile.js";
import { reportCommandError } from "../../support/reportCommandError.js";
import { collateralServicesOf } from "../serve/serveSupport.js";

export type DelegateCommandOptions = {
  circuit: string;
  witness: string;
  prover: string;
  policy?: string;
  allowDevRoots?: boolean;
  /** With --allow-dev-roots and no --policy: the development policy also names the simulated GPU (required). */
  gpu?: boolean;
  devRoots?: string;
  trustRoot?: string[];
  collateral?: string[];
  fetchCollateral?: boolean;
  offline?: boolean;
  pcsUrl?: string;
  kdsUrl?: string;
  cacheDir?: string;
  programId?: string;
  timeout?: string;
  json?: boolean;
  submit?: boolean;
  rpcUrl?: string;
  privateKeyEnv?: string;
  privateProofVerifier?: string;
};

/** A witness file larger than this is refused before it is read. */
const MAX_WITNESS_FILE_BYTES = 16 * 1024 * 1024;

/**
 * `teezk delegate --circuit <name> --witness <file> --prover <url> [--policy <file>] [--allow-dev-roots] [--json]
 * [--submit --rpc-url <url> --private-key-env <NAME> --private-proof-verifier <address>]`: proves privately on an
 * attested prover node (`delegateProof`): attest, verify, seal, prove, check, and optionally submit to the
 * circuit's PrivateProofVerifier. With `--private-proof-verifier` the contract's programId and ReceiptVerifier are
 * read first and required of the node before the witness is sealed.
 *
 * Progress goes to stderr (a bar on a terminal, a line per step elsewhere); the result to stdout (`--json`:
 * `{ok:true, …}` or `{ok:false, code, message}`). Exit 0 proved (and submitted), 1 refused or failed, 2 usage.
 */
export async function delegateCommand(options: DelegateCommandOptions, io: CliIo, stream: ProgressStream = process.stderr): Promise<number> {
  // Never quoted in an error: the witness is the secret this command seals.
  const witnessInput = readWitnessFile({ file: options.witness, maxBytes: MAX_WITNESS_FILE_BYTES, quoteParseError: false });
  const timeoutMs = parseTimeoutFlag(options.timeout);
  if (options.submit && !options.privateProofVerifier) {
    throw new UsageError("--submit needs --private-proof-verifier <address> (and --rpc-url or TEEZK_RPC_URL)");
  }
  if (options.gpu && (options.policy || !options.allowDevRoots)) {
    throw new UsageError("--gpu belongs to --allow-dev-roots without --policy (a policy names its GPU in tee.NVIDIA_GPU)");
  }
  if (!options.policy && !options.allowDevRoots) {
    throw new UsageError("delegate needs --policy <reference-values.json>: the witness is sealed only to an enclave your policy allows (--allow-dev-roots alone allows the simulated TEEs' defaults)");
  }
  const privateProofVerifier = options.privateProofVerifier ? parseAddressFlag("--private-proof-verifier", options.privateProofVerifier) : undefined;
  const programIdFlag = parseProgramId(options.programId);
  const trustedRoots = parseTrustRoots(options.trustRoot);
  const collateralSources = ownCollateralSourcesOf(options);
  const steps: (DelegateStep | "submit")[] = ["attest", "verify", "seal", "prove", "check", ...(options.submit ? (["submit"] as const) : [])];
  const bar = createBar(stream, options.circuit, steps);
  try {
    const devRoots = options.allowDevRoots ? getDevRoots(options.devRoots ? { dir: options.devRoots } : {}) : undefined;
    const referenceValues = options.policy ? loadReferenceValues(options.policy) : devReferenceValues(devRoots!, options.gpu === true);
    if (!options.policy) io.err("warning: no --policy: allowing the simulated TEEs' default measurements (dev roots). NOT FOR PRODUCTION.\n");

    const chain = privateProofVerifier
      ? await connectChain({
          signer: options.submit === true,
          ...(options.rpcUrl ? { rpcUrl: options.rpcUrl } : {}),
          ...(options.privateKeyEnv ? { privateKeyEnv: options.privateKeyEnv } : {}),
        })
      : undefined;
    const context = chain && privateProofVerifier ? await getPrivateProofVerifierContext({ publicClient: chain.publicClient, privateProofVerifier }) : undefined;
    if (context && programIdFlag && programIdFlag !== context.programId.toLowerCase()) {
      throw new UsageError(`--program-id ${programIdFlag} differs from the PrivateProofVerifier's programId ${context.programId}`);
    }

    const delegated = await delegateProof({
      proverUrl: options.prover,
      circuit: options.circuit,
      witnessInput,
      referenceValues,
      ...(trustedRoots.length ? { trustedRoots } : {}),
      ...(devRoots ? { allowDevRoots: true, devRoots } : {}),
      ...(options.collateral?.length ? { collateralDir: options.collateral } : {}),
      ...(collateralSources ? { collateralSources } : {}),
      ...(context ? { programId: context.programId, receiptDomain: context.receiptDomain } : programIdFlag ? { programId: programIdFlag } : {}),
      timeouts: { proveMs: timeoutMs },
      onProgress: ({ step, phase }) => {
        if (phase === "start") bar.step(step);
      },
    });

    let submitted: SubmitPrivateProofReturnType | undefined;
    if (options.submit && chain?.walletClient && privateProofVerifier) {
      bar.step("submit");
      submitted = await submitPrivateProof({ publicClient: chain.publicClient, walletClient: chain.walletClient, privateProofVerifier, proof: delegated });
    }
    bar.stop();
    io.out(options.json ? `${JSON.stringify(toJson(delegated, submitted, privateProofVerifier))}\n` : describe(delegated, submitted, privateProofVerifier));
    return ExitCode.OK;
  } catch (error) {
    bar.fail();
    if (error instanceof UsageError || !isTeezkError(error)) throw error;
    reportCommandError({ io, error, json: options.json });
    return ExitCode.REJECTED;
  }
}

/**
 * What the simulated CPU TEEs measure by default, each under its dev root: a development policy, never production.
 * The simulated GPU only with `gpu`: a policy naming it requires every enclave's GPU half (`serve prover --gpu`).
 */
function devReferenceValues(devRoots: DevRoots, gpu: boolean): ReferenceValues {
  const now = new Date();
  const vendors = ["tdx", "sevsnp", "nitro", "sgx", ...(gpu ? (["nvidia"] as const) : [])] as const;
  return buildDevReferenceValues({ allowed: vendors.map((vendor) => probeSimulatedClaims({ vendor, now, devRoots }).claims) });
}

function toJson(delegated: DelegateProofReturnType, submitted: SubmitPrivateProofReturnType | undefined, privateProofVerifier: Address | undefined) {
  const { calldata, receipt } = delegated;
  return {
    ok: true,
    circuit: delegated.circuit,
    nonce: delegated.nonce,
    requestId: delegated.requestId,
    kind: delegated.kind,
    claims: claimsToJson(delegated.claims),
    enclaveAddress: delegated.enclaveAddress,
    hpkePublicKey: delegated.hpkePublicKey,
    binding: delegated.binding,
    proof: delegated.proof,
    publicSignals: delegated.publicSignals,
    calldata: {
      a: calldata.a.map(String),
      b: calldata.b.map((pair) => pair.map(String)),
      c: calldata.c.map(String),
      pubSignals: calldata.pubSignals.map(String),
    },
    receipt: { ...receipt, issuedAt: receipt.issuedAt.toString() },
    signature: delegated.signature,
    receiptDomain: { chainId: Number(delegated.receiptDomain.chainId), verifyingContract: delegated.receiptDomain.verifyingContract },
    programId: delegated.programId,
    timings: delegated.timings,
    ...(delegated.proverTimings ? { proverTimings: delegated.proverTimings } : {}),
    ...(submitted && privateProofVerifier
      ? { submitted: { privateProofVerifier, txHash: submitted.hash, gasUsed: submitted.gasUsed.toString(), enclave: submitted.enclave } }
      : {}),
  };
}

function describe(delegated: DelegateProofReturnType, submitted: SubmitPrivateProofReturnType | undefined, privateProofVerifier: Address | undefined): string {
  const ms = (value: number) => `${Math.round(value).toLocaleString("en-US")} ms`;
  const t = delegated.timings;
  const lines = [
    `proved ${delegated.circuit} privately on ${delegated.kind} enclave ${delegated.enclaveAddress}`,
    `  measurement     ${delegated.claims.measurement} (appraised: ${delegated.appraisal.evaluated.length} rules passed)`,
    `  public signals  ${delegated.publicSignals.join(", ")}`,
    `  receipt         program ${delegated.receipt.programId}, nonce ${delegated.receipt.nonce}, issued ${delegated.receipt.issuedAt}`,
    `  signature       ${delegated.signature}`,
    `  checked         proof verifies, proofDigest commits to it, signed by the attested enclave`,
    `  time            ${ms(t.totalMs)} (attest ${ms(t.attest)}, verify ${ms(t.verify)}, seal ${ms(t.seal)}, prove ${ms(t.prove)}, check ${ms(t.check)})`,
  ];
  if (submitted && privateProofVerifier) {
    lines.push(`  submitted       PrivateProofVerifier ${privateProofVerifier}: tx ${submitted.hash} (${submitted.gasUsed} gas), enclave ${submitted.enclave}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * `--fetch-collateral` (through the cache, from Intel PCS/PCCS and AMD KDS) or `--offline` (the cache only): the
 * client's own collateral, which the prover's may only complement. Neither: the prover's collateral and
 * `--collateral` folders, as before.
 */
function ownCollateralSourcesOf(options: DelegateCommandOptions): ClientCollateralSources | undefined {
  if (options.offline && (options.pcsUrl || options.kdsUrl)) throw new UsageError("--offline uses only the collateral cache: drop --pcs-url/--kds-url");
  const services = collateralServicesOf({ ...options, fetchCollateral: options.fetchCollateral === true || options.offline === true });
  return services && options.offline ? { ...services, offline: true } : services;
}

function parseProgramId(value: string | undefined): Hex | undefined {
  if (value === undefined) return undefined;
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new UsageError(`--program-id expects 0x + 64 hex digits, got "${value.slice(0, 80)}"`);
  return value.toLowerCase() as Hex;
}

function parseTrustRoots(values: readonly string[] | undefined): PinnedRoot[] {
  return (values ?? []).map((value, i) => {
    const body = value.replace(/^0x/i, "");
    if (!/^[0-9a-fA-F]{64}$/.test(body)) throw new UsageError(`--trust-root expects a SHA-256 fingerprint (64 hex digits), got "${value.slice(0, 80)}"`);
    return { name: `--trust-root ${i + 1}`, sha256: body.toLowerCase() };
  });
}

const stepLabel: Record<DelegateStep | "submit", string> = {
  attest: "attesting",
  verify: "verifying evidence",
  seal: "sealing witness",
  prove: "proving remotely",
  check: "checking proof",
  submit: "submitting",
};

/** One bar over the steps; the elapsed time shows a long remote proof is alive (a line per step off a terminal). */
function createBar(stream: ProgressStream, circuit: string, steps: readonly (DelegateStep | "submit")[]) {
  const bar = createStepProgressBar({ stream, title: `delegate ${circuit}`, total: steps.length, initialLabel: stepLabel.attest, labelWidth: 18 });
  return {
    step: (next: DelegateStep | "submit") => bar.step(stepLabel[next], steps.indexOf(next)),
    stop: () => bar.stop({ label: "done", value: steps.length }),
    fail: () => bar.stop({ label: "failed" }),
  };
}
