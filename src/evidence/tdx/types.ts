/** The 48-byte quote header (v3, v4 and v5 share the layout). */
export type DcapQuoteHeader = {
  version: 3 | 4 | 5;
  attestationKeyType: number;
  /** 0x00 SGX, 0x81 TDX (v3: reserved, always 0). */
  teeType: number;
  /** QE and PCE SVN (reserved in some v4 spec revisions; kept as read). */
  qeSvn: number;
  pceSvn: number;
  qeVendorId: Uint8Array;
  userData: Uint8Array;
};

/** SGX REPORTBODY (384 bytes): the ISV enclave's report in SGX quotes and the QE's report in every quote. */
export type SgxEnclaveReport = {
  cpuSvn: Uint8Array;
  miscSelect: number;
  /** 16 bytes: flags (8, little-endian; bit 1 DEBUG) then XFRM (8). */
  attributes: Uint8Array;
  mrEnclave: Uint8Array;
  mrSigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
  reportData: Uint8Array;
  raw: Uint8Array;
};

/** TDX TD quote body: 1.0 (584 bytes) or 1.5 (648 bytes, adds TEE_TCB_SVN2 and MRSERVICETD). */
export type TdReport = {
  teeTcbSvn: Uint8Array;
  mrSeam: Uint8Array;
  mrSignerSeam: Uint8Array;
  seamAttributes: Uint8Array;
  tdAttributes: Uint8Array;
  xfam: Uint8Array;
  mrTd: Uint8Array;
  mrConfigId: Uint8Array;
  mrOwner: Uint8Array;
  mrOwnerConfig: Uint8Array;
  rtmr0: Uint8Array;
  rtmr1: Uint8Array;
  rtmr2: Uint8Array;
  rtmr3: Uint8Array;
  reportData: Uint8Array;
  teeTcbSvn2?: Uint8Array;
  mrServiceTd?: Uint8Array;
};

export type DcapQuoteBody =
  | { kind: "sgx"; report: SgxEnclaveReport }
  | { kind: "td10"; report: TdReport }
  | { kind: "td15"; report: TdReport };

/** A structurally valid DCAP quote. Nothing here is verified yet: see verifyDcapQuote. */
export type ParsedDcapQuote = {
  header: DcapQuoteHeader;
  /** v5 body descriptor type (1 SGX, 2 TDX 1.0, 3 TDX 1.5); absent for v3/v4. */
  bodyType?: number;
  body: DcapQuoteBody;
  /** The bytes the attestation key signs: header ‖ (v5: body type ‖ body size) ‖ body. */
  signedBytes: Uint8Array;
  /** ECDSA P-256 quote signature, raw r ‖ s. */
  signature: Uint8Array;
  /** ECDSA P-256 attestation key, raw x ‖ y (no 0x04 prefix). */
  attestationKey: Uint8Array;
  qeReport: SgxEnclaveReport;
  /** Signature of the PCK leaf key over the raw QE report, raw r ‖ s. */
  qeReportSignature: Uint8Array;
  qeAuthData: Uint8Array;
  /** The PEM PCK chain (certification data type 5), as written in the quote. */
  pckChainPem: string;
  /** Total bytes of the quote proper (header through signature data). */
  quoteBytes: number;
  /** Unsigned bytes after the signature data (tolerated up to a cap; see DEFAULT_MAX_DCAP_TRAILING_BYTES). */
  trailing: Uint8Array;
};
