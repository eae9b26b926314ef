export { openArchive, type OpenArchiveOptions, type OpenArchiveReturnType } from "./openArchive.js";
export { MIGRATIONS, LATEST_SCHEMA_VERSION, SCHEMA_MIGRATIONS_SQL, type Migration } from "./migrations.js";
export { MAX_ARCHIVED_EVIDENCE_BYTES, MAX_ARCHIVED_JSON_CHARS, MAX_ARCHIVED_TEXT_CHARS } from "./fields.js";
export type {
  Archive,
  ArchiveRecords,
  ArchiveTable,
  ListParameters,
  ExportJsonLinesReturnType,
  EvidenceInput,
  EvidenceRecord,
  AppraisalInput,
  AppraisalRecord,
  VerdictInput,
  VerdictRecord,
  ProofInput,
  ProofRecord,
  ReceiptInput,
  ReceiptRecord,
  TransactionInput,
  TransactionRecord,
  TransactionStatus,
  KeyReleaseInput,
  KeyReleaseRecord,
} from "./types.js";
