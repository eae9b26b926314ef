import { createHash } from "node:crypto";
import { AsnConvert } from "@peculiar/asn1-schema";
import { TeezkError } from "../errors/index.js";
import { gpuRimIds } from "../evidence/nvidia/appraiseGpuRims.js";
import { parseGpuReport } from "../evidence/nvidia/parseGpuReport.js";
import { resolveGpuEntries } from "../evidence/nvidia/resolveGpuEntries.js";
import { buildOcspRequest, ocspCertId, ocspWindow, type OcspPair } from "../evidence/nvidia/gpuOcsp.js";
import { MAX_GPU_RIM_BYTES } from "../evidence/nvidia/verifyGpuRim.js";
import { parseCertificate } from "../util/x509.js";
import { trimSlash } from "./intelPcs.js";
import type { CollateralRequest, ParsedItem, StoredResponse } from "./types.js";

export const DEFAULT_NVIDIA_RIM_URL = "https://rim.attestation.nvidia.com";
export const DEFAULT_NVIDIA_OCSP_URL = "https://ocsp.ndis.nvidia.com";
/** The file a RIM is written to in a collateral folder (loadNvidiaCollateral reads `<RIM id>.swidtag`). */
export const rimFileName = (id: string) => `${id}.swidtag`;
const RIM_ID = /^NV_GPU_(?:DRIVER|VBIOS)_[0-9A-Za-z._-]{1,80}$/;

/**
 * The RIM service requests GPU evidence needs: for every GPU (a raw report or a JSON set), the driver RIM
 * `NV_GPU_DRIVER_GH100_<driver version>` and the VBIOS RIM `NV_GPU_VBIOS_<project>_<project SKU>_<chip SKU>_<VBIOS
 * version without dots>`, both from the report's signed opaque data, each asked once. Nothing is verified here:
 * the verifier checks each RIM's signature and chain on use.
 */
export function nvidiaRimRequests(evidence: Uint8Array, options: { nvidiaRimUrl?: string }): CollateralRequest[] {
  const base = trimSlash(options.nvidiaRimUrl ?? DEFAULT_NVIDIA_RIM_URL);
  const ids = new Set<string>();
  for (const entry of resolveGpuEntries(evidence, { certificateChain: [] }, { chainOptional: true })) {
    const { driver, vbios } = gpuRimIds(parseGpuReport(entry.report));
    ids.add(driver).add(vbios);
  }
  return [...ids].map((id) => {
    if (!RIM_ID.test(id)) throw new TeezkError("COLLATERAL_MISMATCH", `The GPU report names a RIM id the RIM service cannot serve: ${id.slice(0, 120)}`);
    const path = `/v1/rim/${id}`;
    const url = `${base}${path}`;
    return { name: `NVIDIA RIM ${id}`, url, key: `nvidia:${path}`, keepHeaders: [], parse: (response: StoredResponse) => rimItem(response, id, url) };
  });
}

/**
 * `{ "id": "<id>", "rim": "<base64 SWID tag>", "sha256": "<hex>"? }`. The answer must be for the id asked, its
 * sha256 (when given) must match, and the tag must carry a signer certificate, whose validity is the item's
 * window (a RIM has no nextUpdate; it is not used past its signer).
 */
function rimItem(response: StoredResponse, id: string, url: string): ParsedItem {
  let body: { id?: unknown; rim?: unknown; sha256?: unknown };
  try {
    body = JSON.parse(Buffer.from(response.body).toString("utf8")) as typeof body;
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${url}: the answer is not JSON (truncated?)`, { cause: error });
  }
  if (body?.id !== id || typeof body.rim !== "string" || !/^[A-Za-z0-9+/=\s]+$/.test(body.rim)) {
    throw new TeezkError("COLLATERAL_INVALID", `${url}: the answer is not the RIM ${id} (id and base64 rim fields)`);
  }
  const rim = new Uint8Array(Buffer.from(body.rim, "base64"));
  if (rim.length === 0 || rim.length > MAX_GPU_RIM_BYTES) throw new TeezkError("COLLATERAL_INVALID", `${url}: the RIM is ${rim.length} bytes (1 to ${MAX_GPU_RIM_BYTES})`);
  if (typeof body.sha256 === "string" && body.sha256.toLowerCase() !== createHash("sha256").update(rim).digest("hex")) {
    throw new TeezkError("COLLATERAL_INVALID", `${url}: the RIM does not hash to the sha256 the answer states`);
  }
  const text = Buffer.from(rim).toString("utf8");
  const signer = /<(?:\w+:)?X509Certificate>([A-Za-z0-9+/=\s]+)<\/(?:\w+:)?X509Certificate>/.exec(text);
  if (!/^\s*(?:<\?xml[^>]*\?>\s*)?<SoftwareIdentity[\s>]/.test(text) || !signer) {
    throw new TeezkError("COLLATERAL_INVALID", `${url}: the RIM is not a signed SWID tag`);
  }
  const certificate = parseCertificate(new Uint8Array(Buffer.from(signer[1]!.replace(/\s+/g, ""), "base64")), `${id} signer certificate`);
  return { files: { [rimFileName(id)]: rim }, issued: certificate.validFromDate, nextUpdate: certificate.validToDate };
}

/**
 * OCSP requests for the device chains GPU evidence carries (JSON documents embed one per GPU; a raw report's chain
 * is in a folder, so none is asked for it): one POST per certificate below the root, SHA-384 CertID, each asked
 * once. No nonce: answers are cached and reused until their nextUpdate like any other collateral item (RFC 6960
 * freshness by thisUpdate/nextUpdate), so a nonce could not be echoed by a cached answer.
 */
export function nvidiaOcspRequests(evidence: Uint8Array, options: { nvidiaOcspUrl?: string }): CollateralRequest[] {
  const url = options.nvidiaOcspUrl ?? DEFAULT_NVIDIA_OCSP_URL;
  const requests = new Map<string, CollateralRequest>();
  for (const entry of resolveGpuEntries(evidence, { certificateChain: [] }, { chainOptional: true })) {
    entry.certificateChain.slice(0, -1).forEach((certificate, index) => {
      const pair = { certificate, issuer: entry.certificateChain[index + 1]! };
      const certId = createHash("sha256").update(Buffer.from(AsnConvert.serialize(ocspCertId(pair)))).digest("hex");
      if (requests.has(certId)) return;
      const subject = certificate.subject.split("\n").find((part) => part.startsWith("CN=")) ?? certificate.serialNumber;
      requests.set(certId, {
        name: `NVIDIA OCSP ${subject}`,
        url,
        key: `nvidia-ocsp:${certId}`,
        keepHeaders: [],
        post: { body: buildOcspRequest(pair), contentType: "application/ocsp-request" },
        parse: (response) => ocspItem(response, pair, `${certId}.ocsp`, url),
      });
    });
  }
  return [...requests.values()];
}

/** A successful basic OCSP answer holding this certificate's response; its window is thisUpdate..nextUpdate. */
function ocspItem(response: StoredResponse, pair: OcspPair, file: string, url: string): ParsedItem {
  const window = ocspWindow(response.body, pair);
  if (!window?.nextUpdate) {
    throw new TeezkError("COLLATERAL_INVALID", `${url}: the answer is not a successful OCSP response with a nextUpdate for the certificate asked (truncated, an error status, another certificate?)`);
  }
  return { files: { [file]: response.body }, issued: window.thisUpdate, nextUpdate: window.nextUpdate };
}
