import { verify as verifySignature, type X509Certificate } from "node:crypto";
import { measurementDigest, sha256Hex } from "../../claims/measurementDigest.js";
import { TcbStatus, TeeType, type VerifiedEvidence } from "../../claims/types.js";
import { TeezkError } from "../../errors/index.js";
import { bytesEqual, toHex, type Hex } from "../../util/bytes.js";
import { verifyCertificateChain, type PinnedRoot } from "../../util/x509.js";
import { certifiedGpuFwid } from "./certifiedGpuFwid.js";
import { checkGpuRims } from "./checkGpuRims.js";
import { checkGpuChainOcsp } from "./gpuOcsp.js";
import { parseGpuReport } from "./parseGpuReport.js";
import { MAX_GPU_CHAIN_CERTIFICATES, type GpuReport } from "./types.js";

export type VerifyGpuReportParameters = {
  /** Request ‖ response bytes of one GPU. */
  report: Uint8Array;
  /** Device certificate chain, leaf first (the root may be included or supplied in `rootCertificates`). */
  certificateChain: readonly X509Certificate[];
  now: Date;
  pinnedRoots: readonly PinnedRoot[];
  rootCertificates?: readonly X509Certificate[];
  /** 32-byte challenge; when given the request nonce must equal it. */
  expectedNonce?: Hex;
  /** Unsigned metadata from a JSON envelope to copy into the registers (e.g. arch). */
  extraRegisters?: Record<string, string>;
  /** RIMs by RIM service id; with this GPU's two, `checks.rim` is judged (see checkGpuRims). */
  rims?: Readonly<Record<string, Uint8Array>>;
  /** Roots RIM signer chains may end at (NVIDIA_RIM_PINNED_ROOTS, plus dev roots in tests). */
  rimPinnedRoots?: readonly PinnedRoot[];
  /** OCSP answers for the device chain; with one for every certificate below the root, `checks.revocation` is judged. */
  ocspResponses?: readonly Uint8Array[];
};

export type VerifyGpuReportReturnType = VerifiedEvidence & { report: GpuReport };

export type VerifyGpuReportErrorType =
  | "SPDM_INVALID"
  | "TRUNCATED"
  | "TRAILING_DATA"
  | "INPUT_TOO_LARGE"
  | "CERT_PARSE"
  | "CERT_CHAIN_INVALID"
  | "CERT_EXPIRED"
  | "ROOT_NOT_TRUSTED"
  | "SIGNATURE_INVALID"
  | "UNSUPPORTED_ALGORITHM"
  | "GPU_FWID_MISMATCH"
  | "GPU_NONCE_MISMATCH"
  | "CONFIG_INVALID"
  | "RIM_INVALID"
  | "RIM_SIGNATURE_INVALID"
  | "RIM_MISMATCH"
  | "RIM_VERSION_MISMATCH"
  | "CERT_REVOKED"
  | "COLLATERAL_EXPIRED"
  | "OCSP_RESPONSE_INVALID"
  | "OCSP_CERT_UNKNOWN";

/**
 * Verifies one GPU report against its device chain: structure, chain to a pinned root at `now`, the ECDSA
 * P-384 signature over SHA-384(request ‖ response-without-signature) by the leaf key, the firmware id the leaf
 * certifies, then the nonce. Returns DESIGN §2 claims (see `gpuClaimsRules` below for each field).
 *
 * With the GPU's driver and VBIOS RIMs in `rims`, both are verified (XML-DSig, chain to `rimPinnedRoots` at
 * `now`) and every active measurement compared (`checks.rim` "passed"); without them `checks.rim` is
 * "not_checked". With OCSP answers for every certificate below the root (`ocspResponses`), each is checked
 * (checkOcspResponse) and `checks.revocation` is "passed"; otherwise "not_checked".
 */
export function verifyGpuReport(parameters: VerifyGpuReportParameters): VerifyGpuReportReturnType {
  const { certificateChain, now, pinnedRoots, rootCertificates = [], expectedNonce, extraRegisters = {} } = parameters;
  const expected = expectedNonce === undefined ? undefined : parseNonce(expectedNonce);
  const report = parseGpuReport(parameters.report);

  if (certificateChain.length > MAX_GPU_CHAIN_CERTIFICATES) {
    throw new TeezkError("CERT_CHAIN_INVALID", `The GPU device chain holds ${certificateChain.length} certificates; at most ${MAX_GPU_CHAIN_CERTIFICATES} are accepted`);
  }
  const chain = verifyCertificateChain({
    chain: certificateChain,
    pinnedRoots,
    extraRoots: rootCertificates,
    at: now,
    what: "GPU device certificate chain",
  });
  const leaf = chain.chain[0]!;
  verifyReportSignature(report, leaf);

  const certifiedFwid = certifiedGpuFwid(leaf);
  const reportFwid = report.response.opaque.fwid;
  if (certifiedFwid && reportFwid && reportFwid.length > 0 && !bytesEqual(certifiedFwid, reportFwid)) {
    throw new TeezkError("GPU_FWID_MISMATCH", "The GPU report's firmware id is not the one its device certificate certifies", {
      details: `report FWID ${toHex(reportFwid)}, certificate ${toHex(certifiedFwid)}`,
    });
  }

  const nonce = report.request.nonce;
  if (expected && !bytesEqual(expected, nonce)) {
    throw new TeezkError("GPU_NONCE_MISMATCH", "The GPU report answers a different challenge than the expected nonce", {
      details: `report nonce ${toHex(nonce)}, expected ${toHex(expected)}`,
      metaMessages: ["A report from another session (or a replayed one) cannot be accepted: request fresh GPU evidence for this nonce."],
    });
  }

  const revocation = checkGpuChainOcsp({ chain: chain.chain, responses: parameters.ocspResponses, now, pinnedRoots });
  const rims = checkGpuRims({ report, rims: parameters.rims, now, pinnedRoots: parameters.rimPinnedRoots ?? [] });
  return {
    claims: {
      teeType: TeeType.NVIDIA_GPU,
      // The DMTF measurement value bytes of every block, in ascending index order (headers excluded).
      measurement: measurementDigest(report.response.blocks.map((block) => block.value)),
      reportData: toHex(nonce),
      platformId: sha256Hex(new Uint8Array(leaf.raw)),
      rootHash: chain.rootSha256,
      // SPDM reports carry no time: the evidence time is the verification time.
      timestamp: BigInt(Math.floor(now.getTime() / 1000)),
      tcbStatus: TcbStatus.NOT_APPLICABLE,
      // No vendor SVN summary exists for GPUs; minimum versions are policy on driverVersion / vbiosVersion.
      svn: 0,
      // No report field we can identify signals a debug/devtools GPU; RIM appraisal is what catches one.
      debug: false,
    },
    registers: {
      ...extraRegisters,
      ...gpuRegisters(report),
      fwidCertified: certifiedFwid !== undefined && reportFwid !== undefined && reportFwid.length > 0,
      rootName: chain.rootName,
      ...rims.registers,
    },
    checks: { signature: "passed", certChain: "passed", validity: "passed", revocation, rim: rims.rim },
    advisoryIds: [],
    report,
  };
}

function verifyReportSignature(report: GpuReport, leaf: X509Certificate): void {
  const key = leaf.publicKey;
  if (key.asymmetricKeyType !== "ec" || key.asymmetricKeyDetails?.namedCurve !== "secp384r1") {
    throw new TeezkError("UNSUPPORTED_ALGORITHM", "The GPU device leaf key is not ECDSA P-384", {
      details: `key type ${key.asymmetricKeyType}, curve ${key.asymmetricKeyDetails?.namedCurve ?? "none"}`,
    });
  }
  let valid: boolean;
  try {
    valid = verifySignature("sha384", report.signedBytes, { key, dsaEncoding: "ieee-p1363" }, report.response.signature);
  } catch (error) {
    throw new TeezkError("SIGNATURE_INVALID", "The GPU report signature could not be checked", { cause: error });
  }
  if (!valid) {
    throw new TeezkError("SIGNATURE_INVALID", "The GPU report signature does not verify with the device leaf key", {
      details: "ECDSA P-384 over SHA-384(GET_MEASUREMENTS request ‖ MEASUREMENTS response without its signature)",
    });
  }
}

function gpuRegisters(report: GpuReport): Record<string, Hex | string | number | boolean> {
  const { opaque, blocks } = report.response;
  const registers: Record<string, Hex | string | number | boolean> = {
    nonce: toHex(report.request.nonce),
    responseNonce: toHex(report.response.nonce),
    measurementBlockCount: blocks.length,
  };
  for (const block of blocks) registers[`measurement${block.index}`] = toHex(block.value);
  const decoded = {
    driverVersion: opaque.driverVersion,
    vbiosVersion: opaque.vbiosVersion,
    project: opaque.project,
    projectSku: opaque.projectSku,
    projectSkuMod: opaque.projectSkuMod,
    chipSku: opaque.chipSku,
    chipSkuMod: opaque.chipSkuMod,
    nvdec0Status: opaque.nvdec0Status,
    protectedPcieStatus: opaque.protectedPcieStatus,
    opaqueDataVersion: opaque.opaqueDataVersion,
  };
  for (const [name, value] of Object.entries(decoded)) if (value !== undefined) registers[name] = value;
  if (opaque.fwid) registers.fwid = toHex(opaque.fwid);
  for (const field of opaque.fields) registers[`opaque.${field.name ?? field.type}`] = toHex(field.value);
  return registers;
}

function parseNonce(nonce: Hex): Uint8Array {
  const body = typeof nonce === "string" ? nonce.replace(/^0x/i, "") : "";
  if (!/^[0-9a-fA-F]{64}$/.test(body)) {
    throw new TeezkError("CONFIG_INVALID", "The expected GPU nonce must be 32 bytes of hex", { details: `got ${String(nonce).slice(0, 80)}` });
  }
  return new Uint8Array(Buffer.from(body, "hex"));
}
