/** The COSE_Sign1 envelope as received: the byte strings the signature covers, kept exactly. */
export type NitroCoseSign1 = {
  /** Serialized protected header (the bstr content), signed as is. */
  protectedHeader: Uint8Array;
  /** COSE algorithm id from the protected header (always -35, ES384, once parsed). */
  alg: number;
  /** The attestation document, CBOR-encoded (the bstr content), signed as is. */
  payload: Uint8Array;
  /** Raw r‖s signature (96 bytes for ES384). */
  signature: Uint8Array;
};

/** The AWS Nitro attestation document (payload of the COSE_Sign1), checked against the AWS CDDL. */
export type NitroDocument = {
  cose: NitroCoseSign1;
  moduleId: string;
  digest: "SHA384";
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** PCR index → value, in ascending index order. */
  pcrs: ReadonlyMap<number, Uint8Array>;
  /** DER of the certificate that signed the document. */
  certificate: Uint8Array;
  /** DER certificates: `cabundle[0]` is the root, then intermediates towards the leaf. */
  cabundle: readonly Uint8Array[];
  publicKey: Uint8Array | null;
  userData: Uint8Array | null;
  nonce: Uint8Array | null;
};
