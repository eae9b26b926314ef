import { domainSeparator, getAddress, hexToBigInt, isAddressEqual, keccak256, size, toHex, type Address, type Hex } from "viem";
import { computeBinding, type Claims } from "../claims/index.js";
import { TeezkError } from "../errors/index.js";
import { encodeReceiptJournal } from "./encodeReceiptJournal.js";
import { parseContractDomain, parseReceipt } from "./parseReceipt.js";
import { recoverReceiptSigner } from "./recoverReceiptSigner.js";
import { receiptVerifierDomain } from "./typedData.js";
import type { ContractDomain, Receipt } from "./types.js";

/** secp256k1 group order / 2: OpenZeppelin's ECDSA (and the Rust program) refuse a larger s (malleable). */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

export type BuildReceiptJournalParameters = {
  /** The claims of the verified evidence (from `src/evidence`). */
  claims: Claims;
  receipt: Receipt;
  /** The enclave's 65-byte EIP-712 signature (r ‖ s ‖ v). */
  signature: Hex;
  /** The bytes `receipt.inputDigest` commits to. */
  witness: Uint8Array | Hex;
  /** The bytes `receipt.outputDigest` commits to. */
  output: Uint8Array | Hex;
  /** DESIGN §3 binding inputs: claims.reportData must be their binding. */
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  bindingNonce: Hex;
  /** The EIP-712 domain the enclave signed under. */
  domain: ContractDomain;
};
export type BuildReceiptJournalReturnType = Hex;
export type BuildReceiptJournalErrorType = TeezkError;

/**
 * The TypeScript twin of the SP1 program's `receipt` mode: the same checks, in the same order and with the same
 * codes, then the same journal bytes. Lets a verifier node (or a test) see exactly what the zkVM would prove,
 * without the zkVM: BINDING_MISMATCH when the evidence's reportData is not the enclave's binding,
 * RECEIPT_MISMATCH when a digest is not keccak256 of the witness or output, SIGNATURE_INVALID when the
 * signature is malformed, high-s, or not the enclave's. The journal ends with the domain separator of `domain`,
 * which Sp1ReceiptVerifier requires to be its own, and the binding inputs, whose nonce it requires to be fresh.
 */
export async function buildReceiptJournal(parameters: BuildReceiptJournalParameters): Promise<BuildReceiptJournalReturnType> {
  const { claims, signature, enclaveAddress, hpkePublicKey, bindingNonce, domain } = parameters;
  const receipt = parseReceipt(parameters.receipt);
  const binding = computeBinding({ enclaveAddress, hpkePublicKey, nonce: bindingNonce });
  if (binding.toLowerCase() !== claims.reportData.toLowerCase()) {
    throw new TeezkError("BINDING_MISMATCH", "The evidence's reportData is not the binding of the enclave address, HPKE key and nonce", {
      details: `reportData ${claims.reportData}, binding ${binding}`,
    });
  }
  const digest = (bytes: Uint8Array | Hex) => keccak256(typeof bytes === "string" ? bytes : toHex(bytes));
  if (digest(parameters.witness) !== receipt.inputDigest) {
    throw new TeezkError("RECEIPT_MISMATCH", "The receipt's inputDigest is not keccak256 of the witness");
  }
  if (digest(parameters.output) !== receipt.outputDigest) {
    throw new TeezkError("RECEIPT_MISMATCH", "The receipt's outputDigest is not keccak256 of the output");
  }
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature) || size(signature) !== 65) {
    throw new TeezkError("SIGNATURE_INVALID", "The receipt signature is not 65 bytes r ‖ s ‖ v");
  }
  const v = Number.parseInt(signature.slice(130, 132), 16);
  if (![0, 1, 27, 28].includes(v)) throw new TeezkError("SIGNATURE_INVALID", `The receipt signature's v is ${v} (27 or 28 expected)`);
  if (hexToBigInt(`0x${signature.slice(66, 130)}`) > HALF_N) {
    throw new TeezkError("SIGNATURE_INVALID", "The receipt signature has a high s (malleable)");
  }
  const signer = await recoverReceiptSigner({ receipt, signature, domain });
  if (!isAddressEqual(signer, enclaveAddress)) {
    throw new TeezkError("SIGNATURE_INVALID", `The receipt is signed by ${signer}, not by the attested enclave ${getAddress(enclaveAddress)}`);
  }
  return encodeReceiptJournal({
    claims,
    receipt,
    domainSeparator: domainSeparator({ domain: receiptVerifierDomain(parseContractDomain(domain)) }),
    binding: { enclave: getAddress(enclaveAddress), hpkeKeyHash: keccak256(hpkePublicKey), nonce: bindingNonce },
  });
}
