import type { X509Certificate } from "node:crypto";
import { TcbStatus, type Checks } from "../../../claims/types.js";
import { TeezkError } from "../../../errors/index.js";
import { bytesEqual } from "../../../util/bytes.js";
import type { PinnedRoot, VerifyChainReturnType } from "../../../util/x509.js";
import { evaluateDcapTcb } from "./evaluateDcapTcb.js";
import { INTEL_SGX_ROOT_CA } from "./intelSgxRootCa.js";
import { isCertificateRevoked } from "./isCertificateRevoked.js";
import { isCrlIssuedBy } from "./isCrlIssuedBy.js";
import { parsePckExtensionsCached } from "./parsePckExtensionsCached.js";
import type { DcapCollateral, DcapCrl, EnclaveIdentity, EnclaveTcbLevel } from "./types.js";
import { verifyCertificateChainCached } from "./verifyCertificateChainCached.js";
import { verifyDcapCrl } from "./verifyDcapCrl.js";
import { verifySignedCollateral } from "./verifySignedCollateral.js";

/** The QE report fields the QE identity constrains (Intel SGX report body offsets 16, 48, 128, 256, 258). */
export type DcapQeReportFields = {
  miscselect: number;
  /** 16 bytes. */
  attributes: Uint8Array;
  /** 32 bytes. */
  mrsigner: Uint8Array;
  isvProdId: number;
  isvSvn: number;
};

export type AppraiseDcapCollateralParameters = {
  collateral: DcapCollateral;
  /** PCK leaf first, then the PCK Platform/Processor CA, usually the root. */
  pckChain: X509Certificate[];
  /**
   * The caller's own verification of `pckChain` at this same `now` (verifyDcapQuote passes its result), so the
   * chain is not verified twice in one call. When absent, the chain is verified here against the pinned root.
   */
  verifiedPckChain?: Pick<VerifyChainReturnType, "root" | "chain">;
  qeReport: DcapQeReportFields;
  teeType: "tdx" | "sgx";
  /** TDX only: TEE_TCB_SVN from the TD report (16 bytes). */
  teeTcbSvn?: Uint8Array;
  /** TDX only, optional: MRSIGNERSEAM (48) and SEAMATTRIBUTES (8) from the TD report, checked against the TDX module identity. */
  tdxModule?: { mrSignerSeam: Uint8Array; seamAttributes: Uint8Array };
  now: Date;
  /** Roots accepted besides the Intel SGX Root CA (a simulated TEE's dev root). Never set in production. */
  extraTrustedRoots?: readonly PinnedRoot[];
};

export type AppraiseDcapCollateralReturnType = { tcbStatus: TcbStatus; advisoryIds: string[]; checks: Checks };
export type AppraiseDcapCollateralErrorType = TeezkError;

/**
 * Appraises a DCAP quote's platform against Intel collateral, as of `now`:
 * - root CRL (signed by the root, current) must not list the PCK CA or the TCB signing certificate;
 * - PCK CRL (the one issued by pckChain[1], signed by it, current) must not list the PCK leaf;
 * - TCB info: signed by the TCB signing key chained to the pinned Intel root, current, for this TEE
 *   (`id` TDX/SGX; v2 is SGX only), this FMSPC and PCE ID; its matching level gives the platform status;
 * - QE identity: signed and current likewise, for this QE (TD_QE/QE), its MISCSELECT/ATTRIBUTES under mask,
 *   MRSIGNER and ISVPRODID equal; its level matched by ISVSVN joins the status (Intel's convergence).
 * A missing item is reported "not_checked" (no TCB info → tcbStatus UNKNOWN); a present item that fails
 * throws. Stale collateral is COLLATERAL_EXPIRED and never yields a status. A Revoked TCB level is returned
 * as REVOKED for the policy to reject; a revoked certificate throws CERT_REVOKED.
 */
export function appraiseDcapCollateral(params: AppraiseDcapCollateralParameters): AppraiseDcapCollateralReturnType {
  const { collateral, pckChain, qeReport, teeType, now } = params;
  const pinnedRoots = [INTEL_SGX_ROOT_CA, ...(params.extraTrustedRoots ?? [])];
  const checks: Checks = { tcbInfo: "not_checked", qeIdentity: "not_checked", pckRevocation: "not_checked", rootRevocation: "not_checked" };

  const pck = params.verifiedPckChain ?? verifyPckChain(collateral, pckChain, pinnedRoots, now);
  const root = pck.root;
  const pckCa = pck.chain[1];
  if (!pckCa || pckCa === root) {
    throw new TeezkError("CERT_CHAIN_INVALID", "The PCK chain has no PCK CA between the leaf and the root");
  }

  if (collateral.rootCaCrl) {
    verifyDcapCrl({ crl: collateral.rootCaCrl, issuer: root, now });
    for (const cert of pck.chain.slice(1, -1)) assertNotRevoked(collateral.rootCaCrl, cert, "PCK CA certificate");
    checks.rootRevocation = "passed";
  }

  if (collateral.pckCrls && collateral.pckCrls.length > 0) {
    const crl = pickPckCrl(collateral.pckCrls, pckCa, now);
    assertNotRevoked(crl, pck.chain[0]!, "PCK leaf certificate");
    checks.pckRevocation = "passed";
  }

  const signed = (item: NonNullable<DcapCollateral["tcbInfo"] | DcapCollateral["qeIdentity"]>, what: string) =>
    verifySignedCollateral({
      item,
      signingChain: item.issuerChain ?? collateral.tcbSigningChain,
      rootCertificates: [root],
      pinnedRoots,
      ...(collateral.rootCaCrl ? { rootCaCrl: collateral.rootCaCrl } : {}),
      now,
      what,
    });

  let qeTcbLevel: EnclaveTcbLevel | undefined;
  if (collateral.qeIdentity) {
    signed(collateral.qeIdentity, "QE identity");
    qeTcbLevel = matchQeIdentity(collateral.qeIdentity.body, qeReport, teeType, collateral.qeIdentity.source);
    checks.qeIdentity = "passed";
  }

  if (!collateral.tcbInfo) {
    return { tcbStatus: TcbStatus.UNKNOWN, advisoryIds: qeTcbLevel?.advisoryIds ?? [], checks };
  }
  const { body: tcbInfo, source } = collateral.tcbInfo;
  signed(collateral.tcbInfo, "TCB info");
  const expectedId = teeType === "tdx" ? "TDX" : "SGX";
  if ((tcbInfo.id ?? "SGX") !== expectedId || (teeType === "tdx" && tcbInfo.version < 3)) {
    throw new TeezkError("COLLATERAL_MISMATCH", `${source}: a ${expectedId} quote needs ${expectedId} TCB info`, {
      details: `TCB info id ${tcbInfo.id ?? "(none: v2 is SGX)"}, version ${tcbInfo.version}`,
    });
  }
  const extensions = parsePckExtensionsCached(pck.chain[0]!);
  if (!bytesEqual(extensions.fmspc, tcbInfo.fmspc) || !bytesEqual(extensions.pceId, tcbInfo.pceId)) {
    throw new TeezkError("COLLATERAL_MISMATCH", `${source}: the TCB info is for another platform`, {
      details: `PCK FMSPC ${hex(extensions.fmspc)} PCE-ID ${hex(extensions.pceId)}; TCB info FMSPC ${hex(tcbInfo.fmspc)} PCE-ID ${hex(tcbInfo.pceId)}`,
      metaMessages: [`Fetch the TCB info for FMSPC ${hex(extensions.fmspc).toUpperCase()} from Intel PCS.`],
    });
  }
  const { tcbStatus, advisoryIds } = evaluateDcapTcb({
    tcbInfo,
    sgxTcbComponents: extensions.sgxTcbComponents,
    pceSvn: extensions.pceSvn,
    teeType,
    ...(params.teeTcbSvn ? { teeTcbSvn: params.teeTcbSvn } : {}),
    ...(params.tdxModule ? { tdxModule: params.tdxModule } : {}),
    ...(qeTcbLevel ? { qeTcbLevel } : {}),
  });
  checks.tcbInfo = "passed";
  return { tcbStatus, advisoryIds, checks };
}

/**
 * Verifying the chain (again) yields the root certificate itself, which signs the root CRL and anchors the TCB
 * signing chain, whether or not the quote carried it: collateral may ship the root.
 */
function verifyPckChain(collateral: DcapCollateral, pckChain: X509Certificate[], pinnedRoots: readonly PinnedRoot[], now: Date) {
  const collateralRoots = [
    ...(collateral.tcbInfo?.issuerChain ?? []),
    ...(collateral.qeIdentity?.issuerChain ?? []),
    ...(collateral.tcbSigningChain ?? []),
    ...(collateral.pckCrlIssuerChain ?? []),
  ].filter((cert) => cert.checkIssued(cert));
  return verifyCertificateChainCached({ chain: pckChain, pinnedRoots, extraRoots: collateralRoots, at: now, what: "PCK certificate chain" });
}

/** Of the PCK CRLs given, the one issued by the PCK leaf's CA; a set holding none of them is a mismatch. */
function pickPckCrl(crls: readonly DcapCrl[], pckCa: X509Certificate, now: Date): DcapCrl {
  const crl = crls.find((candidate) => isCrlIssuedBy(candidate, pckCa));
  if (!crl) {
    throw new TeezkError("COLLATERAL_MISMATCH", "No PCK CRL in the collateral was issued by the PCK leaf's CA", {
      details: `PCK CA ${pckCa.subject.replace(/\n/g, ", ")}; CRLs: ${crls.map((candidate) => candidate.source).join(", ")}`,
      metaMessages: ["A Processor-CA PCK needs pck_processor_crl.der, a Platform-CA PCK pck_platform_crl.der."],
    });
  }
  verifyDcapCrl({ crl, issuer: pckCa, now });
  return crl;
}

function assertNotRevoked(crl: DcapCrl, cert: X509Certificate, what: string): void {
  if (isCertificateRevoked(crl, cert)) {
    throw new TeezkError("CERT_REVOKED", `The ${what} is revoked`, {
      details: `serial ${cert.serialNumber} is listed in ${crl.source}`,
    });
  }
}

function matchQeIdentity(identity: EnclaveIdentity, report: DcapQeReportFields, teeType: "tdx" | "sgx", source: string): EnclaveTcbLevel {
  const expectedId = teeType === "tdx" ? "TD_QE" : "QE";
  if (identity.id !== expectedId) {
    throw new TeezkError("COLLATERAL_MISMATCH", `${source}: a ${teeType.toUpperCase()} quote needs the ${expectedId} identity, not ${identity.id}`);
  }
  const mismatch = (field: string, details: string): never => {
    throw new TeezkError("QE_IDENTITY_MISMATCH", `The quoting enclave's ${field} does not match the QE identity`, { details });
  };
  if (((report.miscselect & identity.miscselectMask) >>> 0) !== identity.miscselect) {
    mismatch("MISCSELECT", `report ${report.miscselect.toString(16)}, mask ${identity.miscselectMask.toString(16)}, expected ${identity.miscselect.toString(16)}`);
  }
  const attributes = report.attributes.map((byte, index) => byte & (identity.attributesMask[index] ?? 0));
  if (report.attributes.length !== 16 || !bytesEqual(attributes, identity.attributes)) {
    mismatch("ATTRIBUTES", `report ${hex(report.attributes)} under mask ${hex(identity.attributesMask)}, expected ${hex(identity.attributes)}`);
  }
  if (!bytesEqual(report.mrsigner, identity.mrsigner)) mismatch("MRSIGNER", `report ${hex(report.mrsigner)}, expected ${hex(identity.mrsigner)}`);
  if (report.isvProdId !== identity.isvProdId) mismatch("ISVPRODID", `report ${report.isvProdId}, expected ${identity.isvProdId}`);
  const level = identity.tcbLevels.find((candidate) => report.isvSvn >= candidate.isvSvn);
  if (!level) {
    throw new TeezkError("TCB_NOT_FOUND", `No QE identity TCB level matches the QE's ISVSVN ${report.isvSvn}`, {
      details: `lowest listed isvsvn ${identity.tcbLevels.at(-1)?.isvSvn}`,
    });
  }
  return level;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}
