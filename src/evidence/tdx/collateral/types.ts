import type { X509Certificate } from "node:crypto";

import type { IntelTcbStatus } from "./intelTcbStatus.js";

export type { IntelTcbStatus };

export type TcbLevel = {
  /** SGX TCB components 1..16. */
  sgxTcbComponents: number[];
  pceSvn: number;
  /** TDX TCB components 1..16 (TDX TCB info only). */
  tdxTcbComponents?: number[];
  tcbDate: string;
  tcbStatus: IntelTcbStatus;
  advisoryIds: string[];
};

export type EnclaveTcbLevel = { isvSvn: number; tcbDate: string; tcbStatus: IntelTcbStatus; advisoryIds: string[] };

export type TdxModuleIdentity = {
  /** "TDX_03": the module's major version in uppercase hex. */
  id: string;
  mrsigner: Uint8Array;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
  tcbLevels: EnclaveTcbLevel[];
};

/** Intel PCS TCB info v2 (SGX, no `id`) or v3 (`id` "SGX" or "TDX"). */
export type TcbInfo = {
  id?: "SGX" | "TDX";
  version: number;
  issueDate: Date;
  nextUpdate: Date;
  fmspc: Uint8Array;
  pceId: Uint8Array;
  tcbType: number;
  tcbEvaluationDataNumber: number;
  tcbLevels: TcbLevel[];
  tdxModule?: { mrsigner: Uint8Array; attributes: Uint8Array; attributesMask: Uint8Array };
  tdxModuleIdentities?: TdxModuleIdentity[];
};

/** Intel PCS enclave identity v2: the QE ("QE", SGX) or TD quoting enclave ("TD_QE", TDX). */
export type EnclaveIdentity = {
  id: string;
  version: number;
  issueDate: Date;
  nextUpdate: Date;
  tcbEvaluationDataNumber: number;
  miscselect: number;
  miscselectMask: number;
  attributes: Uint8Array;
  attributesMask: Uint8Array;
  mrsigner: Uint8Array;
  isvProdId: number;
  tcbLevels: EnclaveTcbLevel[];
};

/** A signed collateral item: the parsed body plus exactly what Intel signed. */
export type SignedCollateral<TBody> = {
  body: TBody;
  /** The exact bytes Intel signed (the raw `tcbInfo`/`enclaveIdentity` JSON value). */
  signedBytes: Uint8Array;
  /** ECDSA P-256 signature, r‖s (64 bytes). */
  signature: Uint8Array;
  /** The item's own issuer chain (dcap-qvl layout): TCB signing cert first. */
  issuerChain?: X509Certificate[];
  /** Where it came from, for error messages. */
  source: string;
};

export type DcapCrl = {
  /** The whole CRL DER. */
  der: Uint8Array;
  /** tbsCertList bytes: what the signature covers. */
  tbs: Uint8Array;
  /** DER of the issuer Name, compared byte-wise with the issuing certificate's subject. */
  issuerDer: Uint8Array;
  /** ECDSA signature in DER (the BIT STRING contents). */
  signature: Uint8Array;
  signatureAlgorithm: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Revoked serial numbers, lowercase hex without leading zeros. */
  revokedSerials: ReadonlySet<string>;
  source: string;
};

/**
 * Intel DCAP collateral as loaded from a folder (or built by hand): every item is optional, and what is
 * missing is reported as "not_checked" rather than silently passed.
 */
export type DcapCollateral = {
  tcbInfo?: SignedCollateral<TcbInfo>;
  qeIdentity?: SignedCollateral<EnclaveIdentity>;
  /** Intel SGX TCB Signing certificate (optionally followed by the root) for items without their own chain. */
  tcbSigningChain?: X509Certificate[];
  /** PCK CRLs (Platform CA and/or Processor CA); the one whose issuer is the PCK leaf's CA is used. */
  pckCrls?: DcapCrl[];
  rootCaCrl?: DcapCrl;
  /** The PCK CRL issuer chain shipped with the collateral (informational: the PCK chain's CA is authoritative). */
  pckCrlIssuerChain?: X509Certificate[];
  /** The folder or file it was loaded from. */
  source: string;
};
