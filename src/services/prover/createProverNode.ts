import { Hono, type Context } from "hono";
import { keccak256, type Address, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { generateHpkeKeyPair, openSealedMessage, type HpkeKeyPair } from "../../channel/index.js";
import { computeBinding } from "../../claims/index.js";
import { isTeezkError, TeezkError } from "../../errors/index.js";
import { evidenceKinds } from "../../evidence/detectEvidenceType.js";
import { createGroth16Prover, formatGroth16Calldata, proofDigest, type Groth16Proof, type Prover } from "../../prover/index.js";
import { parseContractDomain } from "../../receipts/parseReceipt.js";
import { signReceipt } from "../../receipts/index.js";
import type { ContractDomain, Receipt } from "../../receipts/types.js";
import type { Archive } from "../../store/index.js";
import { applyServiceLimits, createAdmissionGate, errorResponse, readJsonObject, serviceTimeout } from "../http/index.js";
import { circuitProgramId } from "./circuitProgramId.js";
import { publicSignalsDigest } from "./computeReceiptDigests.js";
import {
  DEFAULT_ATTESTATION_TIMEOUT_MS,
  DEFAULT_ATTESTATIONS_PER_SECOND,
  DEFAULT_MAX_CONCURRENT_ATTESTATIONS,
  DEFAULT_MAX_NONCES,
  DEFAULT_MAX_QUEUED_PROOFS,
  DEFAULT_NONCE_TTL_MS,
  DEFAULT_PROVE_TIMEOUT_MS,
  MAX_PROVE_BODY_BYTES,
} from "./constants.js";
import { createNonceTable } from "./createNonceTable.js";
import { parseProveRequest } from "./parseProveRequest.js";
import { parseProveStoredRequest } from "./parseProveStoredRequest.js";
import { decryptStoredWitness } from "../keys/decryptStoredWitness.js";
import { requestKeyRelease } from "../keys/requestKeyRelease.js";
import type {
  AttestationResponseBody,
  CollectedEvidence,
  EvidenceSource,
  ProveResponseBody,
  ProverArchiveIds,
  ProverHealthBody,
  ProverNodeStats,
} from "./types.js";

export type CreateProverNodeParameters = {
  /** Evidence for a binding: `createSimulatedEvidenceSource({ vendor })` or a real TEE's collector. */
  evidenceSource: EvidenceSource;
  /**
   * The ReceiptVerifier the node signs receipts for (EIP-712 domain): the one the PrivateProofVerifier of the
   * circuit uses. Clients check the receipt under this domain.
   */
  receiptDomain: ContractDomain;
  /** Circuits this node proves (names under the circuits build folder). Default `["membership"]`. */
  circuits?: readonly string[];
  /** programId per circuit, as the PrivateProofVerifier was deployed with; default `circuitProgramId`. */
  programIds?: Readonly<Record<string, Hex>>;
  /** Circuits build folder; default as `resolveCircuitArtifacts`. */
  buildDir?: string;
  /**
   * A Groth16 prover to share (the node does not close it). By default the node starts its own, closed by
   * `close()`, with a per-proof time limit of `proveTimeoutMs`.
   */
  prover?: Prover<Groth16Proof>;
  /** When given, every proof and receipt is recorded before the node answers (acknowledged ⇒ durable). */
  archive?: Archive;
  /** Largest `POST /v1/prove` body (bytes). Default MAX_PROVE_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Default DEFAULT_PROVE_TIMEOUT_MS. */
  proveTimeoutMs?: number;
  /** Default DEFAULT_ATTESTATION_TIMEOUT_MS. */
  attestationTimeoutMs?: number;
  /** How long an attested nonce may be used to prove. Default DEFAULT_NONCE_TTL_MS. */
  nonceTtlMs?: number;
  /**
   * Most nonces remembered. Default DEFAULT_MAX_NONCES. Must hold every nonce the attestation rate admits within
   * one nonce lifetime, so a flood is refused at the rate bound and never pushes out a client's live nonce.
   */
  maxNonces?: number;
  /** Attestations (evidence collections) running at once; more get SERVICE_BUSY. Default DEFAULT_MAX_CONCURRENT_ATTESTATIONS. */
  maxConcurrentAttestations?: number;
  /** Attestations admitted per second on average (bursts of as many). Default DEFAULT_ATTESTATIONS_PER_SECOND. */
  attestationsPerSecond?: number;
  /** Proofs admitted at once (running or queued); more get PROVER_BUSY. Default DEFAULT_MAX_QUEUED_PROOFS. */
  maxQueuedProofs?: number;
  /** The node's clock (receipts' issuedAt, nonce expiry); default `() => new Date()`. */
  clock?: () => Date;
  /**
   * The key-release service (src/services/keys) that holds the data keys of witnesses stored encrypted
   * elsewhere; enables `POST /v1/prove-stored`. Each request gets the key afresh with this node's evidence.
   */
  keyRelease?: { url: string };
};

export type ProverNode = {
  /** Serve it with `serveApp(node.app)`, or mount it. */
  app: Hono;
  /** This boot's receipt signing address (secp256k1), bound into every attestation. */
  enclaveAddress: Address;
  /** This boot's HPKE public key (raw X25519), bound into every attestation. */
  hpkePublicKey: Hex;
  receiptDomain: ContractDomain;
  /** Circuit → programId the node's receipts carry. */
  programIds: Readonly<Record<string, Hex>>;
  /** Live counters (read them any time; they never hold request content). */
  stats: Readonly<ProverNodeStats>;
  /** Stops the node's own prover process (a shared `prover` stays open). The archive is the caller's. */
  close(): Promise<void>;
};
export type CreateProverNodeReturnType = ProverNode;
export type CreateProverNodeErrorType = TeezkError;

const bytes32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * The prover node of DESIGN §5, meant to run inside a TEE. Per boot it makes a secp256k1 receipt key and an HPKE
 * key; both are bound into every piece of evidence it serves (DESIGN §3), so a client that verified the
 * evidence knows whom it seals its witness to and who signs its receipt.
 *
 * - `GET /v1/attestation?nonce=0x…` — evidence for the client's 32-byte nonce with report data
 *   computeBinding(enclaveAddress, keccak256(hpkePublicKey), nonce), the collateral to check it, the keys.
 * - `POST /v1/prove {circuit, nonce, sealed}` — opens the witness under that nonce's binding (one prove per
 *   attested nonce; NONCE_REPLAYED otherwise), proves with snarkjs, signs the EIP-712 receipt (inputDigest,
 *   outputDigest, proofDigest as `computeReceiptDigests`; issuedAt now; nonce = the request's), archives proof and
 *   receipt, then answers.
 * - `POST /v1/prove-stored {circuit, keyId, encryptedWitness}` (with `keyRelease`) — gets the witness's data key
 *   from the key-release service with this node's evidence, decrypts the witness (AES-256-GCM), then proves,
 *   signs and archives as `/v1/prove`; the receipt's nonce is the key-release challenge.
 * - `GET /v1/health` — who the node is.
 *
 * The witness is never logged, stored or echoed in an error (witness errors lose their details), and its
 * plaintext buffer is zeroed once parsed. JavaScript strings cannot be wiped: the parsed input lives until the
 * proof is done and is then unreachable. Bodies are capped, requests time out, proofs in flight are bounded,
 * and every failure is a JSON error with a stable code.
 *
 * @example
 * const node = await createProverNode({ evidenceSource: createSimulatedEvidenceSource({ vendor: "tdx" }), receiptDomain });
 * const { url, close } = await serveApp(node.app);
 * const result = await delegateProof({ proverUrl: url, circuit: "membership", witnessInput, referenceValues, allowDevRoots: true });
 */
export async function createProverNode(parameters: CreateProverNodeParameters): Promise<CreateProverNodeReturnType> {
  if (typeof parameters.evidenceSource !== "function") {
    throw new TeezkError("CONFIG_INVALID", "createProverNode needs an evidenceSource function (binding → evidence)");
  }
  const receiptDomain = parseContractDomain(parameters.receiptDomain);
  const domainJson = { chainId: Number(receiptDomain.chainId), verifyingContract: receiptDomain.verifyingContract as Address };
  const circuits = [...(parameters.circuits ?? ["membership"])];
  if (circuits.length === 0) throw new TeezkError("CONFIG_INVALID", "A prover node needs at least one circuit");
  const programIds: Record<string, Hex> = {};
  for (const circuit of circuits) {
    const given = parameters.programIds?.[circuit];
    if (given !== undefined && !bytes32.test(given)) {
      throw new TeezkError("CONFIG_INVALID", `The programId of circuit "${circuit}" must be 32 bytes of 0x-hex`);
    }
    // Resolving the default id also checks that the circuit's artifacts exist (CIRCUIT_NOT_BUILT at start-up).
    const fallback = circuitProgramId({ circuit, ...(parameters.buildDir ? { buildDir: parameters.buildDir } : {}) });
    programIds[circuit] = (given ?? fallback).toLowerCase() as Hex;
  }

  const clock = parameters.clock ?? (() => new Date());
  const proveTimeoutMs = parameters.proveTimeoutMs ?? DEFAULT_PROVE_TIMEOUT_MS;
  const attestationTimeoutMs = parameters.attestationTimeoutMs ?? DEFAULT_ATTESTATION_TIMEOUT_MS;
  const maxBodyBytes = parameters.maxBodyBytes ?? MAX_PROVE_BODY_BYTES;
  const maxQueuedProofs = parameters.maxQueuedProofs ?? DEFAULT_MAX_QUEUED_PROOFS;
  const ownProver = parameters.prover === undefined;
  const prover =
    parameters.prover ?? createGroth16Prover({ timeoutMs: proveTimeoutMs, ...(parameters.buildDir ? { buildDir: parameters.buildDir } : {}) });
  const { archive, evidenceSource } = parameters;

  // Per boot, never persisted: a restarted node is a new enclave that must be attested again.
  const account: LocalAccount = privateKeyToAccount(generatePrivateKey());
  const keyPair: HpkeKeyPair = await generateHpkeKeyPair();
  const enclaveAddress = account.address;
  const hpkePublicKey = keyPair.publicKey;
  const nonceTtlMs = parameters.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS;
  const maxNonces = parameters.maxNonces ?? DEFAULT_MAX_NONCES;
  const attestationsPerSecond = parameters.attestationsPerSecond ?? DEFAULT_ATTESTATIONS_PER_SECOND;
  // Unauthenticated callers choose the nonces: the table must outlast the rate, or a flood fills it.
  if (Math.ceil(attestationsPerSecond * (nonceTtlMs / 1000 + 1)) > maxNonces) {
    throw new TeezkError("CONFIG_INVALID", `maxNonces (${maxNonces}) must hold ${attestationsPerSecond} attestations per second for a nonce lifetime of ${nonceTtlMs} ms`);
  }
  const nonces = createNonceTable({ ttlMs: nonceTtlMs, maxEntries: maxNonces });
  const attestationGate = createAdmissionGate({
    what: "attestations",
    maxInFlight: parameters.maxConcurrentAttestations ?? DEFAULT_MAX_CONCURRENT_ATTESTATIONS,
    perSecond: attestationsPerSecond,
    clock,
  });
  const stats: ProverNodeStats = { proveRequests: 0, proveStoredRequests: 0, keysReleased: 0, attestations: 0, proofs: 0 };
  const keyReleaseUrl = parameters.keyRelease?.url;
  if (keyReleaseUrl !== undefined && (typeof keyReleaseUrl !== "string" || !/^https?:\/\//.test(keyReleaseUrl))) {
    throw new TeezkError("CONFIG_INVALID", "keyRelease.url must be the http(s) URL of a key-release service");
  }
  let inFlight = 0;

  const app = new Hono();
  app.use("/v1/attestation", serviceTimeout(attestationTimeoutMs));
  // Each attestation is a real evidence collection: bounded in flight and per second, refused before any work.
  app.use("/v1/attestation", attestationGate.middleware);
  app.use("/v1/prove", serviceTimeout(proveTimeoutMs));
  app.use("/v1/prove-stored", serviceTimeout(proveTimeoutMs));
  // Counted and admitted before the body is read. The timeout sits outside, so a timed-out proof still holds
  // its slot until the prover is really done with it. Both prove routes share the one bound.
  const admit = (counter: "proveRequests" | "proveStoredRequests") => async (context: Context, next: () => Promise<void>) => {
    stats[counter] += 1;
    if (inFlight >= maxQueuedProofs) {
      return errorResponse(context, new TeezkError("PROVER_BUSY", `The node has ${inFlight} proofs in flight, its limit`));
    }
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
  app.use("/v1/prove", admit("proveRequests"));
  app.use("/v1/prove-stored", admit("proveStoredRequests"));
  // Inside the timeouts and the admission gate above, like every teezk service: body cap, JSON errors.
  applyServiceLimits(app, { maxBodyBytes });

  app.get("/v1/health", (context) => {
    const body: ProverHealthBody = { ok: true, service: "prover", enclaveAddress, hpkePublicKey, receiptDomain: domainJson, programIds };
    return context.json(body);
  });

  app.get("/v1/attestation", async (context) => {
    try {
      return context.json(await attest(context.req.query("nonce")));
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  app.post("/v1/prove", async (context) => {
    try {
      return context.json(await prove(context));
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  app.post("/v1/prove-stored", async (context) => {
    try {
      return context.json(await proveStored(context));
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  async function attest(nonceParameter: string | undefined): Promise<AttestationResponseBody> {
    if (typeof nonceParameter !== "string" || !bytes32.test(nonceParameter)) {
      throw new TeezkError("REQUEST_INVALID", "nonce must be 32 bytes of 0x-hex (GET /v1/attestation?nonce=0x…)");
    }
    const nonce = nonceParameter.toLowerCase() as Hex;
    const binding = computeBinding({ enclaveAddress, hpkePublicKey, nonce });
    nonces.issue(nonce, binding, clock().getTime());
    let collected: CollectedEvidence;
    try {
      collected = checkCollected(await evidenceSource({ binding, nonce }));
    } catch (error) {
      nonces.forget(nonce);
      if (isTeezkError(error)) throw error;
      throw new TeezkError("TEE_UNAVAILABLE", "The node's TEE did not produce evidence", { cause: error });
    }
    stats.attestations += 1;
    return {
      kind: collected.kind,
      evidence: Buffer.from(collected.evidence).toString("base64"),
      ...(collected.collateral ? { collateral: { ...collected.collateral } } : {}),
      ...(collected.gpuEvidence ? { gpuEvidence: Buffer.from(collected.gpuEvidence).toString("base64") } : {}),
      ...(collected.gpuCollateral ? { gpuCollateral: { ...collected.gpuCollateral } } : {}),
      enclaveAddress,
      hpkePublicKey,
      nonce,
      binding,
      receiptDomain: domainJson,
      programIds,
    };
  }

  async function prove(context: Context): Promise<ProveResponseBody> {
    const started = performance.now();
    const request = parseProveRequest(await readJsonObject(context, "{circuit, nonce, sealed}"));
    const programId = programIdFor(request.circuit);
    const binding = nonces.peek(request.nonce, clock().getTime());
    // Opened before the nonce is used up, so garbage sent under someone's nonce does not burn it.
    const opened = await openSealedMessage({ keyPair, binding, circuitId: request.circuit, sealed: request.sealed });
    try {
      nonces.consume(request.nonce, clock().getTime());
    } catch (error) {
      opened.plaintext.fill(0);
      throw error;
    }
    return proveWitness({ circuit: request.circuit, programId, plaintext: opened.plaintext, nonce: request.nonce, requestId: opened.requestId, started });
  }

  /**
   * `POST /v1/prove-stored`: the witness was encrypted by its owner under a key the key-release service holds.
   * The node attests to computeBinding(enclaveAddress, keccak256(hpkePublicKey), challenge nonce) with its own
   * evidence source; the key comes back sealed to this boot's HPKE key, opens only here, decrypts the witness
   * and is zeroed. A refusal (KEY_RELEASE_REFUSED) leaves the node without key or plaintext. The receipt's
   * nonce is the key-release challenge, which the service's archive ties to this node's evidence.
   */
  async function proveStored(context: Context): Promise<ProveResponseBody> {
    const started = performance.now();
    const request = parseProveStoredRequest(await readJsonObject(context, "{circuit, keyId, encryptedWitness}"));
    if (keyReleaseUrl === undefined) {
      throw new TeezkError("CONFIG_INVALID", "This node has no key-release service configured (createProverNode keyRelease.url)");
    }
    const programId = programIdFor(request.circuit);
    const released = await requestKeyRelease(keyReleaseUrl, {
      keyId: request.keyId,
      enclaveAddress,
      keyPair,
      timeoutMs: attestationTimeoutMs,
      attest: async (binding, nonce) => {
        let collected: CollectedEvidence;
        try {
          collected = checkCollected(await evidenceSource({ binding, nonce }));
        } catch (error) {
          if (isTeezkError(error)) throw error;
          throw new TeezkError("TEE_UNAVAILABLE", "The node's TEE did not produce evidence", { cause: error });
        }
        return { evidence: collected.evidence, kind: collected.kind, ...(collected.gpuEvidence ? { gpuEvidence: collected.gpuEvidence } : {}) };
      },
    });
    stats.keysReleased += 1;
    let plaintext: Uint8Array;
    try {
      plaintext = decryptStoredWitness({ key: released.key, keyId: request.keyId, circuit: request.circuit, encryptedWitness: request.encryptedWitness });
    } finally {
      released.key.fill(0);
    }
    return proveWitness({ circuit: request.circuit, programId, plaintext, nonce: released.nonce, requestId: released.nonce, started });
  }

  function programIdFor(circuit: string): Hex {
    const programId = programIds[circuit];
    if (!programId) {
      throw new TeezkError("REQUEST_INVALID", `This node does not prove circuit "${circuit}"`, { details: `it proves: ${circuits.join(", ")}` });
    }
    return programId;
  }

  /**
   * What both prove routes share once the witness is in the enclave: hash and parse it (its buffer is zeroed
   * here, whatever happens), prove, sign the receipt for `nonce`, archive, answer.
   */
  async function proveWitness(job: { circuit: string; programId: Hex; plaintext: Uint8Array; nonce: Hex; requestId: string; started: number }): Promise<ProveResponseBody> {
    const { circuit, programId, plaintext, nonce, requestId, started } = job;
    let witnessInput: Record<string, unknown>;
    let inputDigest: Hex;
    try {
      inputDigest = keccak256(plaintext);
      witnessInput = parseWitness(plaintext);
    } finally {
      plaintext.fill(0);
    }
    const opened_ = performance.now();

    let proved: Awaited<ReturnType<Prover<Groth16Proof>["prove"]>>;
    try {
      proved = await prover.prove({ circuit, witnessInput });
    } catch (error) {
      throw withoutWitness(error);
    }
    // The last reference to the witness input goes with this scope; nothing below reads it.
    witnessInput = {};
    const proved_ = performance.now();

    const calldata = formatGroth16Calldata(proved.proof, proved.publicSignals);
    const receipt: Receipt = {
      programId,
      inputDigest,
      outputDigest: publicSignalsDigest(calldata.pubSignals),
      proofDigest: proofDigest(calldata),
      issuedAt: BigInt(Math.floor(clock().getTime() / 1000)),
      nonce,
    };
    const signature = await signReceipt({ account, receipt, domain: receiptDomain });
    const signed_ = performance.now();

    const archived = archive ? record(circuit, requestId, proved, receipt, signature) : undefined;
    const archived_ = performance.now();
    stats.proofs += 1;
    return {
      circuit,
      requestId,
      proof: proved.proof,
      publicSignals: proved.publicSignals,
      calldata: {
        a: [calldata.a[0].toString(), calldata.a[1].toString()],
        b: [
          [calldata.b[0][0].toString(), calldata.b[0][1].toString()],
          [calldata.b[1][0].toString(), calldata.b[1][1].toString()],
        ],
        c: [calldata.c[0].toString(), calldata.c[1].toString()],
        pubSignals: calldata.pubSignals.map((signal) => signal.toString()),
      },
      receipt: { ...receipt, issuedAt: receipt.issuedAt.toString() },
      signature,
      enclaveAddress,
      receiptDomain: domainJson,
      ...(archived ? { archived } : {}),
      timings: {
        openMs: opened_ - started,
        ...(proved.timings.witnessMs !== undefined ? { witnessMs: proved.timings.witnessMs } : {}),
        proveMs: proved_ - opened_,
        signMs: signed_ - proved_,
        archiveMs: archived_ - signed_,
        totalMs: archived_ - started,
      },
    };
  }

  /**
   * Proof and receipt in one archive transaction: one commit and one fsync before the answer (two separate
   * records were two fsyncs on the event loop), and never a proof archived without its receipt. A failure means
   * no answer.
   */
  function record(
    circuit: string,
    requestId: string,
    proved: { proof: Groth16Proof; publicSignals: string[] },
    receipt: Receipt,
    signature: Hex,
  ): ProverArchiveIds {
    try {
      return archive!.transaction(() => {
        const proof = archive!.recordProof({
          circuitId: circuit,
          backend: "groth16",
          proof: proved.proof,
          publicSignals: proved.publicSignals,
          proofDigest: receipt.proofDigest,
          requestId,
        });
        const stored = archive!.recordReceipt({ ...receipt, signer: enclaveAddress, signature, proofId: proof.id });
        return { proofId: proof.id, receiptId: stored.id };
      });
    } catch (error) {
      if (isTeezkError(error)) throw error;
      throw new TeezkError("ARCHIVE_WRITE_FAILED", "The node could not archive the proof; it is not answered", { cause: error });
    }
  }

  return {
    app,
    enclaveAddress,
    hpkePublicKey,
    receiptDomain,
    programIds,
    stats,
    async close() {
      if (ownProver) await prover.close();
    },
  };
}

function checkCollected(collected: CollectedEvidence): CollectedEvidence {
  if (!collected || !evidenceKinds.includes(collected.kind) || !(collected.evidence instanceof Uint8Array) || collected.evidence.length === 0) {
    throw new TeezkError("TEE_UNAVAILABLE", "The evidence source returned no evidence of a known kind");
  }
  if (collected.gpuEvidence !== undefined && !(collected.gpuEvidence instanceof Uint8Array)) {
    throw new TeezkError("TEE_UNAVAILABLE", "The evidence source returned GPU evidence that is not bytes");
  }
  return collected;
}

function parseWitness(plaintext: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString("utf8"));
  } catch {
    throw new TeezkError("WITNESS_INVALID", "The opened witness is not JSON (expected an object of circuit inputs)");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TeezkError("WITNESS_INVALID", "The opened witness must be a JSON object of circuit inputs");
  }
  return value as Record<string, unknown>;
}

/**
 * A proving failure as the client may see it: code and short message only. Details and causes of witness and
 * prover errors can quote input values (normalizeWitnessInput, snarkjs assertion messages), so they stay here.
 */
function withoutWitness(error: unknown): TeezkError {
  if (isTeezkError(error)) return new TeezkError(error.code, error.shortMessage);
  return new TeezkError("PROVER_FAILED", "The prover failed on this witness");
}
