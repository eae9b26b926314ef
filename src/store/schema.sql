-- teezk archive, schema version 1.
--
-- Portable by construction: only TEXT, INTEGER and BIGINT columns, PRIMARY KEY / REFERENCES / CHECK constraints
-- and plain indexes, so this file runs unchanged on SQLite (node:sqlite) and PostgreSQL (`psql -f schema.sql`;
-- test/store/schemaPostgres.test.ts does exactly that). Conventions:
--   * bytes are lowercase 0x-hex TEXT (no BLOB/BYTEA difference to bridge);
--   * times are BIGINT milliseconds since the Unix epoch (recorded_at) or BIGINT seconds where the protocol
--     says seconds (receipts.issued_at);
--   * booleans are INTEGER 0/1 with a CHECK (PostgreSQL has no implicit int-to-boolean cast);
--   * ids are TEXT chosen by the caller or a random UUID (no AUTOINCREMENT / SERIAL);
--   * structured values (claims, failures, proofs) are JSON in TEXT.
--
-- There is no column for a witness, in any table, by design: the archive records what was proved, by whom and
-- with what evidence, never the private input. Do not add one.

CREATE TABLE evidence (
  id               TEXT PRIMARY KEY,
  recorded_at      BIGINT NOT NULL,
  tee_type         INTEGER,
  evidence_sha256  TEXT NOT NULL,
  evidence_hex     TEXT NOT NULL,
  claims_hash      TEXT,
  claims_json      TEXT,
  source           TEXT
);
CREATE INDEX evidence_sha256_idx ON evidence (evidence_sha256);
CREATE INDEX evidence_claims_hash_idx ON evidence (claims_hash);

CREATE TABLE appraisals (
  id               TEXT PRIMARY KEY,
  recorded_at      BIGINT NOT NULL,
  evidence_id      TEXT REFERENCES evidence (id),
  ok               INTEGER NOT NULL CHECK (ok IN (0, 1)),
  failures_json    TEXT NOT NULL,
  evaluated_json   TEXT NOT NULL,
  policy_sha256    TEXT
);
CREATE INDEX appraisals_evidence_idx ON appraisals (evidence_id);

CREATE TABLE verdicts (
  id               TEXT PRIMARY KEY,
  recorded_at      BIGINT NOT NULL,
  evidence_id      TEXT REFERENCES evidence (id),
  claims_hash      TEXT NOT NULL,
  verifier         TEXT NOT NULL,
  accepted         INTEGER NOT NULL CHECK (accepted IN (0, 1)),
  signature        TEXT,
  payload_json     TEXT
);
CREATE INDEX verdicts_claims_hash_idx ON verdicts (claims_hash);

CREATE TABLE proofs (
  id                   TEXT PRIMARY KEY,
  recorded_at          BIGINT NOT NULL,
  request_id           TEXT,
  circuit_id           TEXT NOT NULL,
  backend              TEXT NOT NULL CHECK (backend IN ('groth16', 'sp1')),
  proof_json           TEXT NOT NULL,
  public_signals_json  TEXT NOT NULL,
  proof_digest         TEXT
);
CREATE INDEX proofs_request_idx ON proofs (request_id);

CREATE TABLE receipts (
  id               TEXT PRIMARY KEY,
  recorded_at      BIGINT NOT NULL,
  proof_id         TEXT REFERENCES proofs (id),
  program_id       TEXT NOT NULL,
  input_digest     TEXT NOT NULL,
  output_digest    TEXT NOT NULL,
  proof_digest     TEXT NOT NULL,
  issued_at        BIGINT NOT NULL,
  nonce            TEXT NOT NULL,
  signer           TEXT NOT NULL,
  signature        TEXT NOT NULL
);
CREATE INDEX receipts_proof_idx ON receipts (proof_id);

-- One row per observation (submitted, then confirmed or reverted): the table is an append-only log.
CREATE TABLE chain_transactions (
  id               TEXT PRIMARY KEY,
  recorded_at      BIGINT NOT NULL,
  chain_id         BIGINT NOT NULL,
  tx_hash          TEXT NOT NULL,
  kind             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('submitted', 'confirmed', 'reverted')),
  subject_id       TEXT,
  block_number     BIGINT
);
CREATE INDEX chain_transactions_hash_idx ON chain_transactions (chain_id, tx_hash);

-- Decision log of the client-side gate (channel.assertAttestedBeforeSealing): was the witness released to
-- this enclave, and if not, which codes refused it.
CREATE TABLE key_releases (
  id                 TEXT PRIMARY KEY,
  recorded_at        BIGINT NOT NULL,
  decision           TEXT NOT NULL CHECK (decision IN ('released', 'refused')),
  reason_codes_json  TEXT NOT NULL,
  reason             TEXT,
  request_id         TEXT,
  circuit_id         TEXT,
  enclave_address    TEXT,
  binding            TEXT,
  evidence_id        TEXT REFERENCES evidence (id),
  appraisal_id       TEXT REFERENCES appraisals (id)
);
CREATE INDEX key_releases_request_idx ON key_releases (request_id);
