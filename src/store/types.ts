import type { Writable } from "node:stream";
import type { Claims } from "../claims/types.js";
import type { ClaimsJson } from "../claims/claimsJson.js";
import type { Appraisal, AppraisalFailure } from "../policy/appraisal.js";
import type { Hex } from "../util/bytes.js";

/** Every input may fix its id (1–128 of `A-Za-z0-9._:-`) and time; by default a random UUID and now. */
type Common = { id?: string; recordedAt?: Date };
/** Every stored record carries its id and the time it was recorded (millisecond precision). */
type Stored = { id: string; recordedAt: Date };

export type EvidenceInput = Common & {
  /** The evidence exactly as received (bytes, or 0x-hex), at most MAX_ARCHIVED_EVIDENCE_BYTES. */
  evidence: Uint8Array | Hex;
  teeType?: number;
  /** The verified claims; stored as JSON with their keccak256 claims hash. */
  claims?: Claims;
  /** Where it came from (a node name, a file path). */
  source?: string;
};
export type EvidenceRecord = Stored & {
  teeType: number | null;
  evidenceSha256: Hex;
  evidence: Hex;
  claimsHash: Hex | null;
  claims: ClaimsJson | null;
  source: string | null;
};

export type AppraisalInput = Common & { appraisal: Appraisal; evidenceId?: string; policySha256?: Hex };
export type AppraisalRecord = Stored & {
  evidenceId: string | null;
  ok: boolean;
  failures: AppraisalFailure[];
  evaluated: string[];
  policySha256: Hex | null;
};

export type VerdictInput = Common & {
  claimsHash: Hex;
  /** The verifier node's address. */
  verifier: Hex;
  accepted: boolean;
  evidenceId?: string;
  signature?: Hex;
  /** The signed verdict struct, as JSON (bigints become decimal strings). */
  payload?: unknown;
};
export type VerdictRecord = Stored & {
  evidenceId: string | null;
  claimsHash: Hex;
  verifier: Hex;
  accepted: boolean;
  signature: Hex | null;
  payload: unknown;
};

export type ProofInput = Common & {
  circuitId: string;
  backend: "groth16" | "sp1";
  /** The proof (snarkjs JSON or SP1 {proof, vkey}). Never the witness. */
  proof: unknown;
  publicSignals: unknown;
  proofDigest?: Hex;
  requestId?: string;
};
export type ProofRecord = Stored & {
  requestId: string | null;
  circuitId: string;
  backend: "groth16" | "sp1";
  proof: unknown;
  publicSignals: unknown;
  proofDigest: Hex | null;
};

/** DESIGN §4 EIP-712 Receipt fields plus who signed it. */
export type ReceiptInput = Common & {
  programId: Hex;
  inputDigest: Hex;
  outputDigest: Hex;
  proofDigest: Hex;
  /** Seconds, as in the signed struct. */
  issuedAt: bigint | number;
  nonce: Hex;
  signer: Hex;
  signature: Hex;
  proofId?: string;
};
export type ReceiptRecord = Stored & {
  proofId: string | null;
  programId: Hex;
  inputDigest: Hex;
  outputDigest: Hex;
  proofDigest: Hex;
  issuedAt: bigint;
  nonce: Hex;
  signer: Hex;
  signature: Hex;
};

export type TransactionStatus = "submitted" | "confirmed" | "reverted";
export type TransactionInput = Common & {
  chainId: bigint | number;
  txHash: Hex;
  /** What the transaction did: "register", "submitReceipt", "finalizeRoot", … */
  kind: string;
  status: TransactionStatus;
  /** The archive id of what it carried (a receipt, a verdict, evidence). */
  subjectId?: string;
  blockNumber?: bigint | number;
};
export type TransactionRecord = Stored & {
  chainId: bigint;
  txHash: Hex;
  kind: string;
  status: TransactionStatus;
  subjectId: string | null;
  blockNumber: bigint | null;
};

export type KeyReleaseInput = Common & {
  decision: "released" | "refused";
  /** Stable error codes that refused the release (empty when released). */
  reasonCodes: string[];
  reason?: string;
  requestId?: string;
  circuitId?: string;
  enclaveAddress?: Hex;
  binding?: Hex;
  evidenceId?: string;
  appraisalId?: string;
};
export type KeyReleaseRecord = Stored & {
  decision: "released" | "refused";
  reasonCodes: string[];
  reason: string | null;
  requestId: string | null;
  circuitId: string | null;
  enclaveAddress: Hex | null;
  binding: Hex | null;
  evidenceId: string | null;
  appraisalId: string | null;
};

/** Record kinds by the name query helpers take. */
export type ArchiveRecords = {
  evidence: EvidenceRecord;
  appraisals: AppraisalRecord;
  verdicts: VerdictRecord;
  proofs: ProofRecord;
  receipts: ReceiptRecord;
  transactions: TransactionRecord;
  keyReleases: KeyReleaseRecord;
};
export type ArchiveTable = keyof ArchiveRecords;

export type ListParameters<T extends ArchiveTable> = {
  /** Equality filters on the table's indexed or scalar fields (see ARCHIVE_FILTERS). */
  where?: Partial<Record<keyof ArchiveRecords[T], string | number | bigint | boolean>>;
  /** Default 100, at most 10 000. */
  limit?: number;
  offset?: number;
  /** By (recordedAt, id); default ascending. */
  order?: "asc" | "desc";
};

export type ExportJsonLinesReturnType = { records: number };

export type Archive = {
  readonly path: string;
  /** The schema version the file is at after migration. */
  readonly schemaVersion: number;
  /** The connection's journal mode and synchronous level as SQLite reports them ("wal", "FULL" on a file). */
  readonly durability: { journalMode: string; synchronous: string };
  recordEvidence(input: EvidenceInput): EvidenceRecord;
  recordAppraisal(input: AppraisalInput): AppraisalRecord;
  recordVerdict(input: VerdictInput): VerdictRecord;
  recordProof(input: ProofInput): ProofRecord;
  recordReceipt(input: ReceiptInput): ReceiptRecord;
  recordTransaction(input: TransactionInput): TransactionRecord;
  recordKeyRelease(input: KeyReleaseInput): KeyReleaseRecord;
  get<T extends ArchiveTable>(table: T, id: string): ArchiveRecords[T] | undefined;
  list<T extends ArchiveTable>(table: T, parameters?: ListParameters<T>): ArchiveRecords[T][];
  count<T extends ArchiveTable>(table: T, where?: ListParameters<T>["where"]): number;
  /**
   * Writes one JSON object per line: a header, then every record of every table ({"table", "record"}), bytes as
   * hex, bigints as decimal strings, times as ISO strings. Reads a snapshot, so concurrent writes do not tear it.
   */
  exportJsonLines(writable: Writable): Promise<ExportJsonLinesReturnType>;
  /**
   * Runs `fn` (synchronous `record*` calls) in one transaction: one commit, one fsync for all of them, so a
   * service can record a whole decision — or a batch of decisions (group commit) — for the price of one write.
   * The records are durable only once `transaction` returns; if `fn` throws, or the commit fails, nothing of it
   * is kept (ARCHIVE_WRITE_FAILED unless `fn` threw a TeezkError of its own). Not reentrant.
   */
  transaction<T>(fn: () => T): T;
  close(): void;
};
