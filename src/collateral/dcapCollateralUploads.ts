import { createHash, type X509Certificate } from "node:crypto";
import { keccak256, toHex, type Hex } from "viem";
import type { DcapUpload } from "../chain/pushDcapCollateral.js";
import type { DcapCollateral } from "../evidence/tdx/collateral/index.js";
import { readCertificateFields } from "../evidence/tdx/collateral/readCertificateFields.js";

const seconds = (date: Date) => BigInt(Math.floor(date.getTime() / 1000));
const sha256 = (bytes: Uint8Array): Hex => toHex(createHash("sha256").update(bytes).digest());
const nameHashOf = (cert: X509Certificate): Hex => keccak256(readCertificateFields(new Uint8Array(cert.raw)).subjectDer);

/**
 * The uploads a quote's platform needs from DCAP collateral, in dependency order: root-issued certificates (the
 * TCB signing certificate and the PCK CA(s) given, e.g. the quote's chain[1]), CRLs (root, PCK), QE identity,
 * TCB info. The store checks every one against the pinned root itself; this only names and orders them.
 */
export function dcapCollateralUploads(collateral: DcapCollateral, pckCas: readonly X509Certificate[] = []): DcapUpload[] {
  const uploads: DcapUpload[] = [];
  const certificates = new Map<Hex, X509Certificate>();
  const signer = collateral.tcbInfo?.issuerChain?.[0] ?? collateral.qeIdentity?.issuerChain?.[0] ?? collateral.tcbSigningChain?.[0];
  for (const cert of [...(signer ? [signer] : []), ...pckCas, ...(collateral.pckCrlIssuerChain?.slice(0, 1) ?? [])]) {
    if (!cert.checkIssued(cert)) certificates.set(sha256(new Uint8Array(cert.raw)), cert);
  }
  for (const [certificateHash, cert] of certificates) {
    uploads.push({
      kind: "certificate",
      name: `certificate ${cert.subject.split("\n").find((part) => part.startsWith("CN=")) ?? cert.serialNumber}`,
      der: new Uint8Array(cert.raw),
      subjectNameHash: nameHashOf(cert),
      certificateHash,
      notBefore: seconds(cert.validFromDate),
    });
  }
  const crls = [...(collateral.rootCaCrl ? [{ crl: collateral.rootCaCrl, what: "root CA CRL" }] : []), ...(collateral.pckCrls ?? []).map((crl) => ({ crl, what: "PCK CRL" }))];
  for (const { crl, what } of crls) {
    uploads.push({ kind: "crl", name: `${what} (${crl.source})`, der: crl.der, issuerNameHash: keccak256(crl.issuerDer), thisUpdate: seconds(crl.thisUpdate) });
  }
  const signerNameHash = signer ? nameHashOf(signer) : undefined;
  if (collateral.qeIdentity && signerNameHash) {
    const { body, signedBytes, signature } = collateral.qeIdentity;
    uploads.push({ kind: "qeIdentity", name: `QE identity ${body.id}`, json: signedBytes, signature, signerNameHash, tee: body.id === "TD_QE" ? 1 : 0, issueDate: seconds(body.issueDate) });
  }
  if (collateral.tcbInfo && signerNameHash) {
    const { body, signedBytes, signature } = collateral.tcbInfo;
    uploads.push({
      kind: "tcbInfo",
      name: `TCB info ${body.id ?? "SGX"} ${Buffer.from(body.fmspc).toString("hex")}`,
      json: signedBytes,
      signature,
      signerNameHash,
      tee: body.id === "TDX" ? 1 : 0,
      fmspc: toHex(body.fmspc),
      issueDate: seconds(body.issueDate),
    });
  }
  return uploads;
}

