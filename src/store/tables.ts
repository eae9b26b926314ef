import { createHash } from "node:crypto";
import { claimsHash } from "../claims/encodeClaims.js";
import { claimsToJson } from "../claims/claimsJson.js";
import { TeezkError } from "../errors/index.js";
import { toHex, type Hex } from "../util/bytes.js";
import {
  MAX_ARCHIVED_EVIDENCE_BYTES,
  booleanField,
  hexField,
  jsonField,
  oneOf,
  optionalHex,
  optionalText,
  optionalUint63,
  recordId,
  recordedAtMs,
  referenceId,
  textField,
  uint63Field,
} from "./fields.js";
import type {
  AppraisalInput,
  ArchiveTable,
  EvidenceInput,
  KeyReleaseInput,
  ProofInput,
  ReceiptInput,
  TransactionInput,
  VerdictInput,
} from "./types.js";

/** How a column reads back: its TypeScript shape. */
export type ColumnKind = "text" | "int" | "bigint" | "bool" | "json" | "time";
export type Column = { key: string; column: string; kind: ColumnKind; filter?: true; hex?: true };
export type Row = Record<string, string | bigint | null>;

export type TableSpec = {
  sqlName: string;
  columns: readonly Column[];
};

const common: readonly Column[] = [
  { key: "id", column: "id", kind: "text", filter: true },
  { key: "recordedAt", column: "recorded_at", kind: "time" },
];

/** Column order is the schema's; `filter` marks the fields `list`/`count` accept in `where`. */
export const TABLES: Record<ArchiveTable, TableSpec> = {
  evidence: {
    sqlName: "evidence",
    columns: [
      ...common,
      { key: "teeType", column: "tee_type", kind: "int", filter: true },
      { key: "evidenceSha256", column: "evidence_sha256", kind: "text", filter: true, hex: true },
      { key: "evidence", column: "evidence_hex", kind: "text" },
      { key: "claimsHash", column: "claims_hash", kind: "text", filter: true, hex: true },
      { key: "claims", column: "claims_json", kind: "json" },
      { key: "source", column: "source", kind: "text", filter: true },
    ],
  },
  appraisals: {
    sqlName: "appraisals",
    columns: [
      ...common,
      { key: "evidenceId", column: "evidence_id", kind: "text", filter: true },
      { key: "ok", column: "ok", kind: "bool", filter: true },
      { key: "failures", column: "failures_json", kind: "json" },
      { key: "evaluated", column: "evaluated_json", kind: "json" },
      { key: "policySha256", column: "policy_sha256", kind: "text", filter: true, hex: true },
    ],
  },
  verdicts: {
    sqlName: "verdicts",
    columns: [
      ...common,
      { key: "evidenceId", column: "evidence_id", kind: "text", filter: true },
      { key: "claimsHash", column: "claims_hash", kind: "text", filter: true, hex: true },
      { key: "verifier", column: "verifier", kind: "text", filter: true, hex: true },
      { key: "accepted", column: "accepted", kind: "bool", filter: true },
      { key: "signature", column: "signature", kind: "text" },
      { key: "payload", column: "payload_json", kind: "json" },
    ],
  },
  proofs: {
    sqlName: "proofs",
    columns: [
      ...common,
      { key: "requestId", column: "request_id", kind: "text", filter: true },
      { key: "circuitId", column: "circuit_id", kind: "text", filter: true },
      { key: "backend", column: "backend", kind: "text", filter: true },
      { key: "proof", column: "proof_json", kind: "json" },
      { key: "publicSignals", column: "public_signals_json", kind: "json" },
      { key: "proofDigest", column: "proof_digest", kind: "text", filter: true, hex: true },
    ],
  },
  receipts: {
    sqlName: "receipts",
    columns: [
      ...common,
      { key: "proofId", column: "proof_id", kind: "text", filter: true },
      { key: "programId", column: "program_id", kind: "text", filter: true, hex: true },
      { key: "inputDigest", column: "input_digest", kind: "text", filter: true, hex: true },
      { key: "outputDigest", column: "output_digest", kind: "text", filter: true, hex: true },
      { key: "proofDigest", column: "proof_digest", kind: "text", filter: true, hex: true },
      { key: "issuedAt", column: "issued_at", kind: "bigint" },
      { key: "nonce", column: "nonce", kind: "text", filter: true, hex: true },
      { key: "signer", column: "signer", kind: "text", filter: true, hex: true },
      { key: "signature", column: "signature", kind: "text" },
    ],
  },
  transactions: {
    sqlName: "chain_transactions",
    columns: [
      ...common,
      { key: "chainId", column: "chain_id", kind: "bigint", filter: true },
      { key: "txHash", column: "tx_hash", kind: "text", filter: true, hex: true },
      { key: "kind", column: "kind", kind: "text", filter: true },
      { key: "status", column: "status", kind: "text", filter: true },
      { key: "subjectId", column: "subject_id", kind: "text", filter: true },
      { key: "blockNumber", column: "block_number", kind: "bigint", filter: true },
    ],
  },
  keyReleases: {
    sqlName: "key_releases",
    columns: [
      ...common,
      { key: "decision", column: "decision", kind: "text", filter: true },
      { key: "reasonCodes", column: "reason_codes_json", kind: "json" },
      { key: "reason", column: "reason", kind: "text" },
      { key: "requestId", column: "request_id", kind: "text", filter: true },
      { key: "circuitId", column: "circuit_id", kind: "text", filter: true },
      { key: "enclaveAddress", column: "enclave_address", kind: "text", filter: true, hex: true },
      { key: "binding", column: "binding", kind: "text", filter: true, hex: true },
      { key: "evidenceId", column: "evidence_id", kind: "text", filter: true },
      { key: "appraisalId", column: "appraisal_id", kind: "text", filter: true },
    ],
  },
};

function base(input: { id?: string; recordedAt?: Date }): Row {
  if (typeof input !== "object" || input === null) throw new TeezkError("ARCHIVE_RECORD_INVALID", "The record must be an object");
  return { id: recordId(input.id), recorded_at: recordedAtMs(input.recordedAt) };
}

function evidenceBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) {
    if (value.length > MAX_ARCHIVED_EVIDENCE_BYTES) {
      throw new TeezkError("ARCHIVE_RECORD_INVALID", `evidence: ${value.length} bytes exceeds the ${MAX_ARCHIVED_EVIDENCE_BYTES}-byte cap`);
    }
    return value;
  }
  const hex = hexField("evidence", value, undefined, MAX_ARCHIVED_EVIDENCE_BYTES);
  return new Uint8Array(Buffer.from(hex.slice(2), "hex"));
}

/** Validates an input and lays it out as the table's columns. Callers never reach SQL with unchecked values. */
export const TO_ROW = {
  evidence(input: EvidenceInput): Row {
    const row = base(input);
    const bytes = evidenceBytes(input.evidence);
    if (bytes.length === 0) throw new TeezkError("ARCHIVE_RECORD_INVALID", "evidence: is empty");
    let claimsHex: Hex | null = null;
    let claimsJson: string | null = null;
    if (input.claims !== undefined) {
      try {
        claimsHex = claimsHash(input.claims);
      } catch (error) {
        throw new TeezkError("ARCHIVE_RECORD_INVALID", "claims: do not ABI-encode as DESIGN §2 Claims", { cause: error });
      }
      claimsJson = jsonField("claims", claimsToJson(input.claims));
    }
    const teeType = input.teeType ?? input.claims?.teeType;
    return {
      ...row,
      tee_type: teeType === undefined ? null : uint63Field("teeType", teeType),
      evidence_sha256: `0x${createHash("sha256").update(bytes).digest("hex")}`,
      evidence_hex: toHex(bytes),
      claims_hash: claimsHex,
      claims_json: claimsJson,
      source: optionalText("source", input.source),
    };
  },
  appraisals(input: AppraisalInput): Row {
    const row = base(input);
    const appraisal = input.appraisal;
    if (typeof appraisal !== "object" || appraisal === null || !Array.isArray(appraisal.failures) || !Array.isArray(appraisal.evaluated)) {
      throw new TeezkError("ARCHIVE_RECORD_INVALID", "appraisal: must be an Appraisal { ok, failures, evaluated }");
    }
    return {
      ...row,
      evidence_id: referenceId("evidenceId", input.evidenceId),
      ok: booleanField("appraisal.ok", appraisal.ok),
      failures_json: jsonField("appraisal.failures", appraisal.failures),
      evaluated_json: jsonField("appraisal.evaluated", appraisal.evaluated),
      policy_sha256: optionalHex("policySha256", input.policySha256, 32),
    };
  },
  verdicts(input: VerdictInput): Row {
    return {
      ...base(input),
      evidence_id: referenceId("evidenceId", input.evidenceId),
      claims_hash: hexField("claimsHash", input.claimsHash, 32),
      verifier: hexField("verifier", input.verifier, 20),
      accepted: booleanField("accepted", input.accepted),
      signature: optionalHex("signature", input.signature),
      payload_json: input.payload === undefined ? null : jsonField("payload", input.payload),
    };
  },
  proofs(input: ProofInput): Row {
    return {
      ...base(input),
      request_id: optionalText("requestId", input.requestId),
      circuit_id: textField("circuitId", input.circuitId),
      backend: oneOf("backend", input.backend, ["groth16", "sp1"] as const),
      proof_json: jsonField("proof", input.proof),
      public_signals_json: jsonField("publicSignals", input.publicSignals),
      proof_digest: optionalHex("proofDigest", input.proofDigest, 32),
    };
  },
  receipts(input: ReceiptInput): Row {
    return {
      ...base(input),
      proof_id: referenceId("proofId", input.proofId),
      program_id: hexField("programId", input.programId, 32),
      input_digest: hexField("inputDigest", input.inputDigest, 32),
      output_digest: hexField("outputDigest", input.outputDigest, 32),
      proof_digest: hexField("proofDigest", input.proofDigest, 32),
      issued_at: uint63Field("issuedAt", input.issuedAt),
      nonce: hexField("nonce", input.nonce, 32),
      signer: hexField("signer", input.signer, 20),
      signature: hexField("signature", input.signature, 65),
    };
  },
  transactions(input: TransactionInput): Row {
    return {
      ...base(input),
      chain_id: uint63Field("chainId", input.chainId),
      tx_hash: hexField("txHash", input.txHash, 32),
      kind: textField("kind", input.kind, 64),
      status: oneOf("status", input.status, ["submitted", "confirmed", "reverted"] as const),
      subject_id: referenceId("subjectId", input.subjectId),
      block_number: optionalUint63("blockNumber", input.blockNumber),
    };
  },
  keyReleases(input: KeyReleaseInput): Row {
    if (!Array.isArray(input.reasonCodes) || !input.reasonCodes.every((code) => typeof code === "string" && /^[A-Z][A-Z0-9_]{0,63}$/.test(code))) {
      throw new TeezkError("ARCHIVE_RECORD_INVALID", "reasonCodes: must be an array of stable error codes (SCREAMING_SNAKE)");
    }
    const decision = oneOf("decision", input.decision, ["released", "refused"] as const);
    if (decision === "refused" && input.reasonCodes.length === 0) {
      throw new TeezkError("ARCHIVE_RECORD_INVALID", "reasonCodes: a refusal must say which codes refused it");
    }
    return {
      ...base(input),
      decision,
      reason_codes_json: jsonField("reasonCodes", input.reasonCodes),
      reason: optionalText("reason", input.reason),
      request_id: optionalText("requestId", input.requestId),
      circuit_id: optionalText("circuitId", input.circuitId),
      enclave_address: optionalHex("enclaveAddress", input.enclaveAddress, 20),
      binding: optionalHex("binding", input.binding, 32),
      evidence_id: referenceId("evidenceId", input.evidenceId),
      appraisal_id: referenceId("appraisalId", input.appraisalId),
    };
  },
} satisfies { [T in ArchiveTable]: (input: never) => Row };

/** Turns a stored row (integers read as bigint) back into the record shape of types.ts. */
export function fromRow(spec: TableSpec, row: Record<string, unknown>): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const { key, column, kind } of spec.columns) {
    const value = row[column];
    if (value === null || value === undefined) {
      record[key] = null;
      continue;
    }
    switch (kind) {
      case "text":
        record[key] = String(value);
        break;
      case "int":
        record[key] = Number(value);
        break;
      case "bigint":
        record[key] = BigInt(value as bigint);
        break;
      case "bool":
        record[key] = BigInt(value as bigint) === 1n;
        break;
      case "json":
        record[key] = JSON.parse(String(value)) as unknown;
        break;
      case "time":
        record[key] = new Date(Number(value));
        break;
    }
  }
  return record;
}

/** A `where` value as the column stores it (booleans as 0/1, hex lowercase). */
export function filterValue(column: Column, value: unknown): string | bigint {
  if (column.kind === "bool") return value === true ? 1n : 0n;
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === "string") return column.hex ? value.toLowerCase() : value;
  throw new TeezkError("ARCHIVE_RECORD_INVALID", `A filter value must be a string, integer or boolean; got ${typeof value}`);
}
