import { randomBytes } from "node:crypto";
import type { Address, Hex } from "viem";
import { sealForAttestedEnclave } from "../channel/index.js";
import type { Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import type { Appraisal, ReferenceValues } from "../policy/index.js";
import { createGroth16Prover, normalizeWitnessInput, type Groth16Calldata, type Groth16Proof, type Prover } from "../prover/index.js";
import type { ContractDomain, Receipt } from "../receipts/types.js";
import { circuitProgramId, requestService, type ProverArchiveIds, type ProverTimings } from "../protocol/index.js";
import type { DevRoots } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import { checkProveResponse } from "./checkProveResponse.js";
import { acceptAttestation } from "./acceptAttestation.js";
import type { ClientCollateralSources } from "./ownCollateral.js";

/** The steps of one delegation, in order; each reports `start` and `done`. */
export type DelegateStep = "attest" | "verify" | "seal" | "prove" | "check";

export type DelegateProgress = {
  step: DelegateStep;
  phase: "start" | "done";
  /** Milliseconds since `delegateProof` was called. */
  elapsedMs: number;
};

export type DelegateProofParameters = {
  /** Base URL of the prover node, e.g. `http://127.0.0.1:8545` (no trailing path). */
  proverUrl: string;
  /** Circuit id the node proves, e.g. "membership". */
  circuit: string;
  /** The private witness: signal name → bigint / number / decimal or 0x-hex string, nested arrays allowed. */
  witnessInput: Record<string, unknown>;
  /** What this client trusts (measurements, TCB, debug, roots, evidence age); the witness goes nowhere else. */
  referenceValues: ReferenceValues;
  /** Roots to trust besides the vendors' pinned ones. */
  trustedRoots?: readonly PinnedRoot[];
  /** Trust this machine's simulated-TEE dev roots (`getDevRoots`). Development and tests only. */
  allowDevRoots?: boolean;
  devRoots?: DevRoots;
  /** The client's own collateral folders (they win over what the node serves). */
  collateralDir?: string | readonly string[];
  /**
   * The client's own collateral from its cache and the vendors' services (`prepareOwnCollateral`): listed after
   * `collateralDir` and before what the node serves, so a node cannot replace the client's items with superseded
   * ones. Off unless given (`{}` uses the default cache and Intel's and AMD's services).
   */
  collateralSources?: ClientCollateralSources;
  /**
   * The programId receipts must carry: the PrivateProofVerifier's. Default `circuitProgramId(circuit)`. A node
   * announcing another one is refused before the witness is sealed (RECEIPT_CONTEXT_MISMATCH).
   */
  programId?: Hex;
  /**
   * The ReceiptVerifier domain receipts must be signed for. Default: the domain the node announces (the receipt
   * is still checked under it). Given, a node announcing another is refused before sealing.
   */
  receiptDomain?: ContractDomain;
  /** The public signals the proof must carry (e.g. `createMembershipWitnessInput`'s expectedPublicSignals). */
  expectedPublicSignals?: readonly (bigint | string | number)[];
  /** Verifies the returned proof; default a Groth16 prover process started and closed for this call. */
  verifier?: Pick<Prover<Groth16Proof>, "verify">;
  /** Circuits build folder (verification key, default programId). */
  buildDir?: string;
  /** Default 30 s for attestation, 10 min for proving. */
  timeouts?: { attestationMs?: number; proveMs?: number };
  onProgress?: (progress: DelegateProgress) => void;
  /** Verification and appraisal time; default `() => new Date()`. */
  clock?: () => Date;
};

export type DelegateProofReturnType = {
  circuit: string;
  /** The random nonce this client challenged the node with; the receipt's nonce. */
  nonce: Hex;
  requestId: string;
  /** What was attested: the TEE, its claims and the appraisal that let the witness go. */
  kind: EvidenceKind;
  claims: Claims;
  appraisal: Appraisal;
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  binding: Hex;
  proof: Groth16Proof;
  publicSignals: string[];
  /** For PrivateProofVerifier (and `submitPrivateProof`). */
  calldata: Groth16Calldata;
  receipt: Receipt;
  signature: Hex;
  receiptDomain: ContractDomain;
  programId: Hex;
  /** The node's own stage times and archive ids, as it reported them. */
  proverTimings?: ProverTimings;
  proverArchived?: ProverArchiveIds;
  /** Wall time per client step (ms). */
  timings: Record<DelegateStep, number> & { totalMs: number };
};
export type DelegateProofErrorType = TeezkError;

const DEFAULT_ATTESTATION_TIMEOUT_MS = 30_000;
const DEFAULT_PROVE_TIMEOUT_MS = 10 * 60_000;
/** The attestation answer carries evidence (≤ 4 MiB as base64) and collateral (≤ 4 MiB). */
const MAX_ATTESTATION_RESPONSE_BYTES = 12 * 1024 * 1024;
const MAX_PROVE_RESPONSE_BYTES = 1024 * 1024;

/**
 * Delegates a private proof to an attested prover node (issue 6): a fresh random nonce → `GET /v1/attestation` →
 * the evidence verified, its binding checked against this client's nonce and its claims appraised
 * (`verifyAttestation`) → the witness sealed to the attested HPKE key (src/channel) → `POST /v1/prove` → the
 * proof and receipt checked (`checkProveResponse`). Any failure before `seal` means the witness never left this
 * process; a failure after means the answer is refused, with a stable code naming what did not check out.
 *
 * @example
 * const result = await delegateProof({
 *   proverUrl: "http://127.0.0.1:7070", circuit: "membership", witnessInput, referenceValues, allowDevRoots: true,
 * });
 * await submitPrivateProof({ ...clients, privateProofVerifier, proof: result });
 */
export async function delegateProof(parameters: DelegateProofParameters): Promise<DelegateProofReturnType> {
  const started = performance.now();
  const clock = parameters.clock ?? (() => new Date());
  const baseUrl = parseBaseUrl(parameters.proverUrl);
  const { circuit } = parameters;
  const timings = { attest: 0, verify: 0, seal: 0, prove: 0, check: 0 } as Record<DelegateStep, number>;
  const step = async <T>(name: DelegateStep, run: () => Promise<T> | T): Promise<T> => {
    const stepStarted = performance.now();
    parameters.onProgress?.({ step: name, phase: "start", elapsedMs: stepStarted - started });
    const value = await run();
    const done = performance.now();
    timings[name] = done - stepStarted;
    parameters.onProgress?.({ step: name, phase: "done", elapsedMs: done - started });
    return value;
  };

  // Local checks first: a bad witness or circuit fails before any node is contacted.
  const witness = new Uint8Array(Buffer.from(JSON.stringify(normalizeWitnessInput(parameters.witnessInput)), "utf8"));
  const programId = (parameters.programId ?? circuitProgramId({ circuit, ...(parameters.buildDir ? { buildDir: parameters.buildDir } : {}) })).toLowerCase() as Hex;
  const nonce = `0x${randomBytes(32).toString("hex")}` as Hex;
  const notBefore = clock();

  try {
    const attestation = await step("attest", () =>
      requestService(`${baseUrl}/v1/attestation?nonce=${nonce}`, {
        timeoutMs: parameters.timeouts?.attestationMs ?? DEFAULT_ATTESTATION_TIMEOUT_MS,
        maxResponseBytes: MAX_ATTESTATION_RESPONSE_BYTES,
      }),
    );

    const attested = await step("verify", () =>
      acceptAttestation({ ...parameters, attestation, nonce, programId, now: clock(), collateralDir: listOf(parameters.collateralDir) }),
    );

    const sealed = await step("seal", () =>
      sealForAttestedEnclave({
        hpkePublicKey: attested.hpkePublicKey,
        binding: attested.binding,
        circuitId: circuit,
        plaintext: witness,
        attestation: { verified: attested.verified, appraisal: attested.appraisal, enclaveAddress: attested.enclaveAddress, nonce },
      }),
    );

    const response = await step("prove", () =>
      requestService(`${baseUrl}/v1/prove`, {
        method: "POST",
        body: { circuit, nonce, sealed },
        timeoutMs: parameters.timeouts?.proveMs ?? DEFAULT_PROVE_TIMEOUT_MS,
        maxResponseBytes: MAX_PROVE_RESPONSE_BYTES,
      }),
    );

    const receiptDomain = parameters.receiptDomain ?? attested.receiptDomain;
    const checked = await step("check", async () => {
      const ownVerifier = parameters.verifier ? undefined : createGroth16Prover(parameters.buildDir ? { buildDir: parameters.buildDir } : {});
      try {
        return await checkProveResponse({
          response,
          circuit,
          witness,
          enclaveAddress: attested.enclaveAddress,
          nonce,
          programId,
          receiptDomain,
          notBefore,
          now: clock(),
          verifier: parameters.verifier ?? ownVerifier!,
          ...(parameters.expectedPublicSignals ? { expectedPublicSignals: parameters.expectedPublicSignals } : {}),
        });
      } finally {
        await ownVerifier?.close();
      }
    });

    return {
      circuit,
      nonce,
      requestId: checked.requestId,
      kind: attested.kind,
      claims: attested.verified.claims,
      appraisal: attested.appraisal,
      enclaveAddress: attested.enclaveAddress,
      hpkePublicKey: attested.hpkePublicKey,
      binding: attested.binding,
      proof: checked.proof,
      publicSignals: checked.publicSignals,
      calldata: checked.calldata,
      receipt: checked.receipt,
      signature: checked.signature,
      receiptDomain,
      programId,
      ...(checked.proverTimings ? { proverTimings: checked.proverTimings } : {}),
      ...(checked.archived ? { proverArchived: checked.archived } : {}),
      timings: { ...timings, totalMs: performance.now() - started },
    };
  } finally {
    // The client's copy of the witness; the caller's witnessInput object is the caller's to drop.
    witness.fill(0);
  }
}

function listOf(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : typeof value === "string" ? [value] : [...value];
}

function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TeezkError("CONFIG_INVALID", `The prover URL "${String(value).slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TeezkError("CONFIG_INVALID", `The prover URL must be http(s), got ${url.protocol}`);
  }
  return url.toString().replace(/\/+$/, "");
}
