import { keccak256, type Address, type Hex, type LocalAccount } from "viem";
import { isTeezkError, TeezkError } from "../../errors/index.js";
import { formatGroth16Calldata, proofDigest, type Groth16Proof, type Prover } from "../../prover/index.js";
import { encodeProveResponse, publicSignalsDigest, type ProveResponseBody, type ProverArchiveIds } from "../../protocol/index.js";
import { signReceipt } from "../../receipts/index.js";
import type { ContractDomain, Receipt } from "../../receipts/types.js";
import type { Archive } from "../../store/index.js";

export type ProveAndSignParameters = {
  prover: Prover<Groth16Proof>;
  /** This boot's receipt key. */
  account: LocalAccount;
  receiptDomain: ContractDomain;
  /** When given, proof and receipt are recorded before the answer (acknowledged ⇒ durable). */
  archive?: Archive;
  clock: () => Date;
};

/** One witness inside the enclave, ready to prove: the plaintext buffer is zeroed by `proveAndSign`, whatever happens. */
export type ProveJob = { circuit: string; programId: Hex; plaintext: Uint8Array; nonce: Hex; requestId: string; started: number };

export type ProveAndSign = (job: ProveJob) => Promise<ProveResponseBody>;

/**
 * The prover node's domain step, shared by both prove routes once the witness is in the enclave: hash and parse
 * it (its buffer is zeroed here), prove, sign the EIP-712 receipt for the job's nonce (inputDigest, outputDigest,
 * proofDigest as `computeReceiptDigests`; issuedAt now), archive proof and receipt, answer.
 */
export function createProveAndSign({ prover, account, receiptDomain, archive, clock }: ProveAndSignParameters): ProveAndSign {
  const enclaveAddress = account.address;
  return async ({ circuit, programId, plaintext, nonce, requestId, started }) => {
    let witnessInput: Record<string, unknown>;
    let inputDigest: Hex;
    try {
      inputDigest = keccak256(plaintext);
      witnessInput = parseWitness(plaintext);
    } finally {
      plaintext.fill(0);
    }
    const opened = performance.now();

    let proved: Awaited<ReturnType<Prover<Groth16Proof>["prove"]>>;
    try {
      proved = await prover.prove({ circuit, witnessInput });
    } catch (error) {
      throw withoutWitness(error);
    }
    // The last reference to the witness input goes with this scope; nothing below reads it.
    witnessInput = {};
    const provedAt = performance.now();

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
    const signed = performance.now();

    const archived = archive ? recordProof({ archive, enclaveAddress, circuit, requestId, proved, receipt, signature }) : undefined;
    const archivedAt = performance.now();
    return encodeProveResponse({
      circuit,
      requestId,
      proof: proved.proof,
      publicSignals: proved.publicSignals,
      calldata,
      receipt,
      signature,
      enclaveAddress,
      receiptDomain,
      ...(archived ? { archived } : {}),
      timings: {
        openMs: opened - started,
        ...(proved.timings.witnessMs !== undefined ? { witnessMs: proved.timings.witnessMs } : {}),
        proveMs: provedAt - opened,
        signMs: signed - provedAt,
        archiveMs: archivedAt - signed,
        totalMs: archivedAt - started,
      },
    });
  };
}

/**
 * Proof and receipt in one archive transaction: one commit and one fsync before the answer (two separate
 * records were two fsyncs on the event loop), and never a proof archived without its receipt. A failure means
 * no answer.
 */
function recordProof(parameters: {
  archive: Archive;
  enclaveAddress: Address;
  circuit: string;
  requestId: string;
  proved: { proof: Groth16Proof; publicSignals: string[] };
  receipt: Receipt;
  signature: Hex;
}): ProverArchiveIds {
  const { archive, enclaveAddress, circuit, requestId, proved, receipt, signature } = parameters;
  try {
    return archive.transaction(() => {
      const proof = archive.recordProof({
        circuitId: circuit,
        backend: "groth16",
        proof: proved.proof,
        publicSignals: proved.publicSignals,
        proofDigest: receipt.proofDigest,
        requestId,
      });
      const stored = archive.recordReceipt({ ...receipt, signer: enclaveAddress, signature, proofId: proof.id });
      return { proofId: proof.id, receiptId: stored.id };
    });
  } catch (error) {
    if (isTeezkError(error)) throw error;
    throw new TeezkError("ARCHIVE_WRITE_FAILED", "The node could not archive the proof; it is not answered", { cause: error });
  }
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
