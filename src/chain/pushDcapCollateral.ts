import { createHash, type X509Certificate } from "node:crypto";
import { keccak256, toHex, type Address, type Hex } from "viem";
import type { DcapCollateral } from "../evidence/tdx/collateral/index.js";
import { readCertificateFields } from "../evidence/tdx/collateral/readCertificateFields.js";
import { dcapCollateralStoreAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients } from "./types.js";

/** One item for DcapCollateralStore, with what the store keys it by (to tell whether it is missing or older). */
export type DcapUpload =
  | { kind: "certificate"; name: string; der: Uint8Array; subjectNameHash: Hex; certificateHash: Hex; notBefore: bigint }
  | { kind: "crl"; name: string; der: Uint8Array; issuerNameHash: Hex; thisUpdate: bigint }
  | { kind: "tcbInfo" | "qeIdentity"; name: string; json: Uint8Array; signature: Uint8Array; signerNameHash: Hex; tee: 0 | 1; fmspc?: Hex; issueDate: bigint };

export type PushDcapCollateralParameters = { clients: TeezkClients; store: Address; uploads: readonly DcapUpload[] };
export type PushDcapCollateralReturnType = {
  sent: Array<{ name: string; gasUsed: bigint }>;
  /** Items the store already holds, or holds a newer version of. */
  skipped: string[];
};

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

/**
 * Sends to DcapCollateralStore only what it lacks or holds an older version of (certificates by hash and issue
 * time, CRLs by thisUpdate, TCB info and QE identity by issueDate); each upload is one transaction.
 */
export async function pushDcapCollateral({ clients, store, uploads }: PushDcapCollateralParameters): Promise<PushDcapCollateralReturnType> {
  const out: PushDcapCollateralReturnType = { sent: [], skipped: [] };
  for (const upload of uploads) {
    if (await isCurrent(clients, store, upload)) {
      out.skipped.push(upload.name);
      continue;
    }
    const send = (functionName: "addCertificate" | "addCrl" | "addTcbInfo" | "addQeIdentity", args: readonly unknown[]) =>
      sendContractTransaction(clients, { address: store, abi: dcapCollateralStoreAbi, functionName, args: args as never });
    const result =
      upload.kind === "certificate"
        ? await send("addCertificate", [toHex(upload.der)])
        : upload.kind === "crl"
          ? await send("addCrl", [toHex(upload.der)])
          : await send(upload.kind === "tcbInfo" ? "addTcbInfo" : "addQeIdentity", [toHex(upload.json), toHex(upload.signature), upload.signerNameHash]);
    out.sent.push({ name: upload.name, gasUsed: result.gasUsed });
  }
  return out;
}

async function isCurrent({ publicClient }: TeezkClients, store: Address, upload: DcapUpload): Promise<boolean> {
  const read = (functionName: string, args: readonly unknown[]) =>
    publicClient.readContract({ address: store, abi: dcapCollateralStoreAbi, functionName: functionName as never, args: args as never }) as Promise<unknown>;
  if (upload.kind === "certificate") {
    const stored = (await read("certificate", [upload.subjectNameHash])) as { certificateHash: Hex; notBefore: bigint };
    return stored.certificateHash === upload.certificateHash || stored.notBefore >= upload.notBefore;
  }
  if (upload.kind === "crl") {
    const [thisUpdate] = (await read("revocation", [upload.issuerNameHash, `0x${"00".repeat(32)}`])) as [bigint, bigint, boolean];
    return thisUpdate >= upload.thisUpdate;
  }
  const pointer = (await (upload.kind === "tcbInfo" ? read("tcbInfoPointer", [upload.tee, `0x${upload.fmspc!.slice(2, 14)}`]) : read("qeIdentityPointer", [upload.tee]))) as Address;
  if (/^0x0+$/.test(pointer)) return false;
  const code = await publicClient.getCode({ address: pointer });
  // Code = STOP ‖ signer name hash (32) ‖ compact item, whose first 8 bytes are its issueDate.
  const issueDate = code ? BigInt(`0x${code.slice(2 + 2 * 33, 2 + 2 * 41)}`) : 0n;
  return issueDate >= upload.issueDate;
}
