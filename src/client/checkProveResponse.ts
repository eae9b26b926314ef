import { isAddressEqual, type Address, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import { formatGroth16Calldata, proofDigest, type Groth16Calldata, type Groth16Proof, type Prover } from "../prover/index.js";
import { parseReceipt, recoverReceiptSigner } from "../receipts/index.js";
import type { ContractDomain, Receipt } from "../receipts/types.js";
import { computeReceiptDigests, parseProveResponse, type ProverArchiveIds, type ProverTimings } from "../protocol/index.js";

export type CheckProveResponseParameters = {
  /** The node's `POST /v1/prove` answer, parsed JSON of unknown shape. */
  response: unknown;
  circuit: string;
  /** The witness bytes exactly as sealed (for inputDigest). */
  witness: Uint8Array;
  /** The attested enclave: the only acceptable receipt signer. */
  enclaveAddress: Address;
  /** This request's nonce: the receipt's nonce. */
  nonce: Hex;
  programId: Hex;
  receiptDomain: ContractDomain;
  /** issuedAt must fall in [notBefore - skew, now + skew] (seconds). */
  notBefore: Date;
  now: Date;
  /** When given, the proof must prove exactly these public signals. */
  expectedPublicSignals?: readonly (bigint | string | number)[];
  /** Verifies the proof against the circuit's verification key. */
  verifier: Pick<Prover<Groth16Proof>, "verify">;
};

export type CheckedProof = {
  proof: Groth16Proof;
  publicSignals: string[];
  /** Recomputed here from `proof` (the node's calldata field is not trusted). */
  calldata: Groth16Calldata;
  receipt: Receipt;
  signature: Hex;
  requestId: string;
  proverTimings?: ProverTimings;
  archived?: ProverArchiveIds;
};
export type CheckProveResponseReturnType = CheckedProof;
export type CheckProveResponseErrorType = TeezkError;

/** Clock skew allowed between node and client for issuedAt (as ReceiptVerifier's MAX_CLOCK_SKEW is for chains). */
const ISSUED_AT_SKEW_SECONDS = 300n;

/**
 * Everything a client checks before it accepts a delegated proof, cheapest first: the answer's shape; the receipt
 * is for this program, nonce and time (RECEIPT_CONTEXT_MISMATCH); proofDigest commits to this proof and these
 * signals (PROOF_DIGEST_MISMATCH); inputDigest is keccak256 of the witness sent and outputDigest the signals'
 * (RECEIPT_MISMATCH); the signature recovers to the attested enclave (RECEIPT_SIGNER_MISMATCH); the signals are
 * the expected ones and the proof verifies against the circuit's verification key (PROOF_INVALID). The proof
 * verification starts first, in the verifier's process, and is awaited last.
 */
export async function checkProveResponse(parameters: CheckProveResponseParameters): Promise<CheckProveResponseReturnType> {
  const body = parseProveResponse(parameters.response);
  if (!isAddressEqual(body.enclaveAddress, parameters.enclaveAddress)) {
    throw new TeezkError("RECEIPT_SIGNER_MISMATCH", "The proof came back from another enclave than the one attested", {
      details: `attested ${parameters.enclaveAddress}, answered by ${body.enclaveAddress}`,
    });
  }
  const calldata = formatGroth16Calldata(body.proof, body.publicSignals);
  // The pairing check runs in the verifier's own process: started now, it overlaps the receipt checks below on
  // this thread instead of following them. Its outcome is still read last, so the codes keep their order.
  const verification = parameters.verifier.verify({ circuit: parameters.circuit, proof: body.proof, publicSignals: body.publicSignals });
  verification.catch(() => undefined);
  const receipt = parseReceipt(body.receipt);

  if (receipt.programId !== parameters.programId.toLowerCase()) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", `The receipt is for program ${receipt.programId}, not ${parameters.programId}`);
  }
  if (receipt.nonce !== parameters.nonce.toLowerCase()) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", "The receipt carries another nonce than this request's", {
      details: `request ${parameters.nonce}, receipt ${receipt.nonce}`,
    });
  }
  const earliest = BigInt(Math.floor(parameters.notBefore.getTime() / 1000)) - ISSUED_AT_SKEW_SECONDS;
  const latest = BigInt(Math.floor(parameters.now.getTime() / 1000)) + ISSUED_AT_SKEW_SECONDS;
  if (receipt.issuedAt < earliest || receipt.issuedAt > latest) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", `The receipt's issuedAt ${receipt.issuedAt} is outside this request's time window`, {
      details: `expected between ${earliest} and ${latest} (seconds)`,
    });
  }

  const digests = computeReceiptDigests({ witness: parameters.witness, calldata });
  if (receipt.proofDigest !== digests.proofDigest) {
    throw new TeezkError("PROOF_DIGEST_MISMATCH", "The receipt's proofDigest does not commit to the proof and public signals returned", {
      details: `receipt ${receipt.proofDigest}, recomputed ${digests.proofDigest}`,
    });
  }
  if (receipt.inputDigest !== digests.inputDigest) {
    throw new TeezkError("RECEIPT_MISMATCH", "The receipt's inputDigest is not keccak256 of the witness this client sealed");
  }
  if (receipt.outputDigest !== digests.outputDigest) {
    throw new TeezkError("RECEIPT_MISMATCH", "The receipt's outputDigest is not keccak256(abi.encode(publicSignals))");
  }
  const signer = await recoverReceiptSigner({ receipt, signature: body.signature, domain: parameters.receiptDomain });
  if (!isAddressEqual(signer, parameters.enclaveAddress)) {
    throw new TeezkError("RECEIPT_SIGNER_MISMATCH", "The receipt is not signed by the attested enclave", {
      details: `recovered ${signer}, attested ${parameters.enclaveAddress}`,
    });
  }

  if (parameters.expectedPublicSignals) {
    const expected = parameters.expectedPublicSignals.map((signal) => BigInt(signal));
    const same = expected.length === calldata.pubSignals.length && expected.every((signal, i) => signal === calldata.pubSignals[i]);
    if (!same) {
      throw new TeezkError("PROOF_INVALID", "The proof proves other public signals than the ones this client expects", {
        details: `expected [${expected.join(", ")}], got [${calldata.pubSignals.join(", ")}]`,
      });
    }
  }
  const valid = await verification;
  if (!valid) {
    throw new TeezkError("PROOF_INVALID", `The proof does not verify against the verification key of circuit "${parameters.circuit}"`);
  }
  return {
    proof: body.proof,
    publicSignals: body.publicSignals,
    calldata,
    receipt,
    signature: body.signature,
    requestId: body.requestId,
    ...(body.timings ? { proverTimings: body.timings } : {}),
    ...(body.archived ? { archived: body.archived } : {}),
  };
}
