export type { Receipt, Batch, ContractDomain } from "./types.js";
export {
  RECEIPT_TYPE,
  BATCH_TYPE,
  RECEIPT_VERIFIER_DOMAIN,
  BATCH_RECEIPTS_DOMAIN,
  RECEIPT_LEAF_ENCODING,
  receiptTypes,
  batchTypes,
  typedDataFields,
  receiptVerifierDomain,
  batchReceiptsDomain,
} from "./typedData.js";
export { parseReceipt, parseBatch } from "./parseReceipt.js";
export { hashReceipt, type HashReceiptParameters, type HashReceiptReturnType, type HashReceiptErrorType } from "./hashReceipt.js";
export { signReceipt, type SignReceiptParameters, type SignReceiptReturnType, type SignReceiptErrorType } from "./signReceipt.js";
export {
  recoverReceiptSigner,
  type RecoverReceiptSignerParameters,
  type RecoverReceiptSignerReturnType,
  type RecoverReceiptSignerErrorType,
} from "./recoverReceiptSigner.js";
export {
  encodeReceiptJournal,
  decodeReceiptJournal,
  receiptAbiParameter,
  receiptBindingAbiParameter,
  type ReceiptBinding,
  type ReceiptJournal,
  type EncodeReceiptJournalErrorType,
} from "./encodeReceiptJournal.js";
export {
  buildReceiptJournal,
  type BuildReceiptJournalParameters,
  type BuildReceiptJournalReturnType,
  type BuildReceiptJournalErrorType,
} from "./buildReceiptJournal.js";
export { hashReceiptLeaf, receiptLeafValues, type HashReceiptLeafErrorType } from "./hashReceiptLeaf.js";
export {
  buildReceiptBatch,
  MAX_BATCH_RECEIPTS,
  type ReceiptBatch,
  type ReceiptLeafValues,
  type BuildReceiptBatchParameters,
  type BuildReceiptBatchReturnType,
  type BuildReceiptBatchErrorType,
} from "./buildReceiptBatch.js";
export { hashBatch, type HashBatchParameters, type HashBatchErrorType } from "./hashBatch.js";
export { signBatch, type SignBatchParameters, type SignBatchErrorType } from "./signBatch.js";
export {
  getInclusionProof,
  type GetInclusionProofParameters,
  type GetInclusionProofReturnType,
  type GetInclusionProofErrorType,
} from "./getInclusionProof.js";
export {
  verifyInclusionProof,
  type VerifyInclusionProofParameters,
  type VerifyInclusionProofErrorType,
} from "./verifyInclusionProof.js";
