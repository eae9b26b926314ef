/**
 * Every stable error code teezk raises, with the one-line meaning a user sees in docs and `--json` output.
 * Codes are API: never rename one; add new ones in the section they belong to.
 */
export const errorCodes = {
  // ── input ──────────────────────────────────────────────────────────────────────────────────
  INPUT_TOO_LARGE: "the evidence is larger than the documented size cap and was refused before parsing",
  INPUT_EMPTY: "the evidence is empty",
  INPUT_ENCODING: "the evidence is neither raw binary, hex nor base64",
  UNKNOWN_EVIDENCE_TYPE: "the evidence type could not be detected; pass --type",
  FIXTURES_NOT_FOUND: "the shared fixtures folder was not found; set TEEZK_FIXTURES",

  // ── generic structure ──────────────────────────────────────────────────────────────────────
  TRUNCATED: "the evidence ends before a structure it declares",
  TRAILING_DATA: "the evidence has unexpected non-zero bytes after its last structure",
  MALFORMED: "a field of the evidence is malformed",
  UNSUPPORTED_VERSION: "the evidence format version is not supported",

  // ── certificates and signatures (all vendors) ──────────────────────────────────────────────
  CERT_PARSE: "a certificate could not be parsed",
  CERT_CHAIN_INVALID: "the certificate chain does not link leaf to root",
  CERT_EXPIRED: "a certificate is outside its validity window at the verification time",
  CERT_REVOKED: "a certificate is listed in a revocation list",
  ROOT_NOT_TRUSTED: "the chain ends at a root whose fingerprint is not pinned",
  SIGNATURE_INVALID: "a signature does not verify",
  UNSUPPORTED_ALGORITHM: "the signature or key algorithm is not the one the format requires",

  // ── collateral (DCAP TCB info, QE identity, CRLs; AMD certificates) ───────────────────────
  COLLATERAL_MISSING: "a collateral item required for this check is missing",
  COLLATERAL_INVALID: "a collateral item is malformed or its signature does not verify",
  COLLATERAL_EXPIRED: "a collateral item is past its nextUpdate (stale) or not yet valid at the verification time",
  COLLATERAL_MISMATCH: "the collateral does not belong to this platform (FMSPC, PCE id, product)",
  CRL_INVALID: "a certificate revocation list is malformed, unsigned or expired",
  COLLATERAL_FETCH_FAILED: "a collateral service could not be reached, answered with an error status, or sent a body that was cut short or over the size cap",
  COLLATERAL_FETCH_TIMEOUT: "a collateral service did not answer (headers and whole body) within the fetch timeout",
  COLLATERAL_UNAVAILABLE_OFFLINE: "offline: the collateral cache holds no fresh copy of an item this evidence needs (the message lists which)",
  COLLATERAL_ROLLBACK: "a collateral service answered with an item older than the one already cached, and the cached one is no longer fresh",
  COLLATERAL_STALE: "a service's cached collateral reached its nextUpdate and its background refresh has not replaced it (the last refresh error is in details); it refuses rather than serve stale collateral",

  // ── Nitro ──────────────────────────────────────────────────────────────────────────────────
  COSE_INVALID: "the COSE_Sign1 envelope is malformed",
  NITRO_DOCUMENT_INVALID: "the Nitro attestation document payload is malformed",

  // ── Intel DCAP (TDX and SGX) ───────────────────────────────────────────────────────────────
  QUOTE_INVALID: "the DCAP quote is malformed",
  QE_REPORT_INVALID: "the quoting enclave report does not verify or does not bind the attestation key",
  QE_IDENTITY_MISMATCH: "the quoting enclave does not match the QE identity collateral",
  TCB_NOT_FOUND: "no TCB level in the TCB info matches the platform",
  TCB_REVOKED: "the platform TCB is revoked",
  TDX_MODULE_MISMATCH: "the TDX module signer or attributes do not match the TCB info's TDX module identity",

  // ── AMD SEV-SNP ────────────────────────────────────────────────────────────────────────────
  SNP_REPORT_INVALID: "the SEV-SNP attestation report is malformed",
  SNP_TCB_MISMATCH: "the VCEK/VLEK TCB extensions do not match the report's reported TCB or chip id",

  // ── NVIDIA GPU ─────────────────────────────────────────────────────────────────────────────
  SPDM_INVALID: "the SPDM GET_MEASUREMENTS request/response is malformed",
  GPU_NONCE_MISMATCH: "the GPU evidence nonce does not match the expected nonce",
  BORROWED_GPU_REPORT: "the GPU evidence was produced for another session: its nonce is not the CPU binding",
  GPU_FWID_MISMATCH: "the firmware id in the GPU report differs from the one its device leaf certificate certifies",
  GPU_EVIDENCE_SET_INVALID: "a multi-GPU evidence set is inconsistent: GPUs with different nonces or one GPU listed twice",
  RIM_INVALID: "an NVIDIA RIM is not a well-formed, bounded SWID tag with exactly one enveloped XML signature over the whole document",
  RIM_SIGNATURE_INVALID: "an NVIDIA RIM's XML signature (digest or ECDSA value) does not verify with its signer certificate",
  RIM_MISMATCH: "an active GPU measurement block matches none of the golden values its RIM lists for that index",
  RIM_VERSION_MISMATCH: "an NVIDIA RIM is for another driver or VBIOS version than the GPU report states",
  OCSP_RESPONSE_INVALID: "an OCSP answer for a GPU device certificate is not a successful basic response signed by the issuer or its delegated responder for that certificate (or does not echo the nonce)",
  OCSP_CERT_UNKNOWN: "NVIDIA's OCSP responder answered \"unknown\" for a GPU device certificate",
  GPU_NOT_AN_ENCLAVE: "GPU evidence alone is no enclave (its nonce is chosen by whoever drives the GPU): it is accepted only as the GPU half of composite CPU+GPU evidence",

  // ── policy (appraisal failures are reported per rule, with these codes) ───────────────────
  POLICY_INVALID: "the reference values file does not match the schema",
  MEASUREMENT_NOT_ALLOWED: "the measurement is not in the allowed list for this TEE type",
  DEBUG_ENCLAVE: "the TEE is debuggable and the policy forbids debug",
  TCB_STATUS_NOT_ACCEPTED: "the TCB status is not one the policy accepts",
  TCB_STATUS_UNKNOWN: "the TCB status is unknown (no collateral) and the policy requires one",
  SVN_TOO_LOW: "the SVN is below the policy minimum",
  EVIDENCE_TOO_OLD: "the evidence is older than the policy's maximum age",
  EVIDENCE_FROM_FUTURE: "the evidence time is after the verification time",
  BINDING_MISMATCH: "the report data does not equal the expected binding",
  TEE_TYPE_NOT_ALLOWED: "the policy has no reference values for this TEE type",
  ROOT_NOT_ALLOWED: "the root certificate is not one the policy allows",
  CHECK_NOT_PERFORMED: "the policy requires a check that verification did not perform (missing collateral)",
  GPU_EVIDENCE_REQUIRED: "the policy names GPU reference values, or the program requires a GPU on chain (setProgramRequiresGpu), but the evidence has no GPU half",

  // ── runtime, channel, prover, chain, services ─────────────────────────────────────────────
  TEE_UNAVAILABLE: "no TEE of the requested kind is available on this machine",
  CHANNEL_INVALID: "the sealed message could not be opened",
  CHANNEL_PARAMETERS_INVALID: "a public key, binding, circuit id or request id given to the channel is malformed",
  CHANNEL_PLAINTEXT_TOO_LARGE: "the plaintext to seal is larger than the channel's documented cap",
  ARCHIVE_UNAVAILABLE: "the archive file could not be opened or migrated (unwritable path, corrupt file, newer schema)",
  ARCHIVE_RECORD_INVALID: "a record given to the archive is malformed or refers to a record that does not exist",
  ARCHIVE_CONFLICT: "a record with this id is already in the archive",
  ARCHIVE_WRITE_FAILED: "the archive could not commit a write (disk full, locked, closed)",
  PROVER_FAILED: "the prover failed",
  RECEIPT_MISMATCH: "the receipt's inputDigest or outputDigest is not keccak256 of the witness or output given with it",
  SP1_UNAVAILABLE: "the SP1 toolchain is not installed on this machine",
  CIRCUIT_NOT_BUILT: "the circuit artifacts are missing; run npm run circuits:build",
  WITNESS_INVALID: "the witness input does not fit the circuit (shape, field range, tree index) or violates its constraints",
  ROLLUP_BATCH_INVALID: "a rollup batch is malformed: not exactly the circuit's number of transfers, a slot outside the tree, an amount or epoch out of range",
  ROLLUP_TRANSFER_REFUSED: "a rollup transfer overdraws its sender, overflows its receiver, names an empty slot, or carries a nonce other than the sender's next one (a replayed batch)",
  ROLLUP_PREVIOUS_ROOT_MISMATCH: "the batch is for another previous state root than the one the sequencer holds (the previous epoch's finalized root)",
  ROLLUP_ROOT_NOT_COMPUTED: "a sequencer enclave was asked to sign a state root it did not compute itself for that epoch",
  PROOF_MALFORMED: "the proof or its public signals are not well-formed Groth16 values for BN254",
  PROOF_INVALID: "the Groth16 proof does not verify against the circuit's verification key, or proves other public signals than expected",
  PROOF_DIGEST_MISMATCH: "the receipt's proofDigest does not commit to the proof and public signals it came with",
  RECEIPT_SIGNER_MISMATCH: "the receipt is not signed by the enclave whose evidence the client verified",
  RECEIPT_CONTEXT_MISMATCH: "the receipt is not for this request: its programId, EIP-712 domain, nonce or issuedAt differ from what the client expects",
  PROVER_BUSY: "the prover node has as many proofs in flight as it admits; retry shortly",
  SERVICE_BUSY: "a service refuses more of this kind of request for now (in flight, per-second rate, or spent-challenge bound reached); retry after a moment",
  CHAIN_CALL_FAILED: "a contract call reverted or the RPC failed",
  CHAIN_UNREACHABLE: "the Ethereum node could not be reached (connection refused, DNS, HTTP error status or timeout)",
  CHAIN_ID_MISMATCH: "the node serves another chain than the key, deployment or signature is for",
  CHAIN_ACCOUNT_UNFUNDED: "the sending account cannot pay for the transaction's gas (and value) on this chain",
  CHAIN_NONCE_CONFLICT: "the node refused the transaction's nonce: another transaction from the same account got there first",
  CHAIN_TX_NOT_MINED: "the node accepted a transaction but no block included it within the wait; it may still be mined later",
  CHAIN_CLOCK_SKEWED: "the node's block time is too far from this machine's clock for evidence stamped now to be judged fresh there",
  CHAIN_METHOD_UNSUPPORTED: "the node does not offer a JSON-RPC method the call needs (a development method such as evm_increaseTime on a real node)",
  TIMELOCK_NOT_READY: "the timelock operation cannot run yet: it is inside its delay, was never scheduled (or was cancelled), or has already run",
  RECEIPT_INVALID: "a receipt or batch field is malformed (not 32-byte hex, integer out of range) or a batch is empty or too large",
  RECEIPT_NOT_IN_BATCH: "the receipt is not one of the batch's leaves, or its inclusion proof does not lead to the batch root",
  VERDICT_REFUSED: "the verifier node refuses to sign a verdict: the evidence did not verify or its appraisal failed",
  VERDICT_INVALID: "a verifier node's answer does not check out: its claims do not hash to the claims hash, or the verdict is not signed by the node",
  CONFIG_INVALID: "a configuration value is missing or invalid",
  SINGLE_KEY_COMMITTEE: "a deployment outside a development chain would let one committee key attest anything (threshold 1) and the risk was not named",
  DEMO_EXPECTATION_FAILED: "a demo or end-to-end step did not end as it must: something was accepted that must be refused, or the reverse",
  REQUEST_INVALID: "an HTTP request body or parameter is malformed (not JSON, wrong field types, bad hex/base64)",
  REQUEST_TOO_LARGE: "an HTTP request body is larger than the service's documented cap",
  REQUEST_TIMEOUT: "a service did not answer within its time limit",
  REQUEST_TIME_SKEWED: "the requested verification time `at` is further from the verifier node's clock than the skew it accepts; check both clocks (NTP), or start the node with --allow-request-time to re-verify past evidence",
  SERVICE_UNREACHABLE: "a teezk service could not be reached, or answered with something that is not a teezk response",
  NONCE_REPLAYED: "a nonce or challenge was already used, was never issued, or has expired",
  KEY_NOT_FOUND: "the key-release service holds no key with this id",
  KEY_RELEASE_REFUSED: "the key-release service refused: the evidence did not verify or its appraisal against the key's policy failed",
  CONSOLE_PASTE_INVALID: "what was pasted into the console is not JSON, or not a signed receipt nor a receipt with its batch inclusion proof",
  CONSOLE_WRONG_CHAIN: "the console's RPC, or the wallet it would send with, serves another chain than the deployment's",
  CONSOLE_RPC_REFUSED: "the console's RPC proxy refused a request: a method outside its read-only list, a batch too long, or a body too large",
  CONSOLE_ASSETS_UNBUILT: "the console's web assets could not be built (esbuild missing or the sources fail to compile)",
  INTERNAL: "an internal invariant broke; please report it",
} as const;

export type ErrorCode = keyof typeof errorCodes;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.prototype.hasOwnProperty.call(errorCodes, value);
}
