import { TeezkError } from "../errors/index.js";
import { parseSnpReport, unwrapSnpEvidence, type SnpProduct } from "../evidence/sevsnp/index.js";
import { parseCertificate, parsePemBundle } from "../util/x509.js";
import { crlItem, trimSlash } from "./intelPcs.js";
import type { CollateralRequest, CollateralServices, ParsedItem } from "./types.js";

export const DEFAULT_KDS_URL = "https://kdsintf.amd.com";

export type AmdKdsOptions = CollateralServices & {
  /** For v2 reports, which carry no CPUID. Default Milan (the only product that produced v2 reports). */
  product?: SnpProduct;
  /** Fetch the ARK's CRL (default true). Off only where the KDS offers none: `checks.revocation` then says not_checked. */
  crl?: boolean;
};

/**
 * The AMD KDS requests an SEV-SNP report needs, derived from the report: the VCEK for (product, hardware id,
 * reported TCB) — Milan/Genoa by the 64-byte CHIP_ID with blSPL/teeSPL/snpSPL/ucodeSPL, Turin by the first 8
 * bytes of CHIP_ID with fmcSPL too — the product's ASK+ARK (`vcek/v1/<product>/cert_chain`) or ASVK+ARK for
 * VLEK-signed reports, and the ARK's CRL. A VLEK itself is not served by the KDS (cloud providers hold it):
 * it must come with the evidence or a folder. Nothing here is verified.
 */
export function amdKdsRequests(evidence: Uint8Array, options: AmdKdsOptions): CollateralRequest[] {
  const unwrapped = unwrapSnpEvidence(evidence);
  const probe = parseSnpReport(unwrapped.report);
  const product = probe.product ?? options.product ?? "Milan";
  const report = parseSnpReport(unwrapped.report, { product });
  const base = trimSlash(options.kdsUrl ?? DEFAULT_KDS_URL);
  const signer = report.signingKey === "vlek" ? "vlek" : "vcek";
  const requests: CollateralRequest[] = [];
  if (signer === "vcek") {
    if (report.chipId.every((byte) => byte === 0)) {
      throw new TeezkError("COLLATERAL_MISSING", "The SEV-SNP report's CHIP_ID is masked: the KDS cannot be asked for its VCEK", {
        metaMessages: ["Pass the VCEK with --collateral (the host's extended report carries it)."],
      });
    }
    const tcb = report.reportedTcb;
    const hwid = Buffer.from(product === "Turin" ? report.chipId.subarray(0, 8) : report.chipId).toString("hex");
    const query = [
      ...(product === "Turin" ? [`fmcSPL=${tcb.fmc ?? 0}`] : []),
      `blSPL=${tcb.bootloader}`,
      `teeSPL=${tcb.tee}`,
      `snpSPL=${tcb.snp}`,
      `ucodeSPL=${tcb.microcode}`,
    ].join("&");
    const path = `/vcek/v1/${product}/${hwid}?${query}`;
    const url = `${base}${path}`;
    requests.push({ name: `VCEK (${product}, TCB ${tcb.raw})`, url, key: `amd:${path}`, keepHeaders: [], parse: (response) => certificateItem(response.body, "vcek.der", url) });
  }
  const chainUrl = `${base}/${signer}/v1/${product}/cert_chain`;
  requests.push({
    name: `${signer === "vlek" ? "ASVK" : "ASK"} and ARK (${product})`,
    url: chainUrl,
    key: `amd:/${signer}/v1/${product}/cert_chain`,
    keepHeaders: [],
    parse: (response) => chainItem(response.body, `${signer}_cert_chain_${product.toLowerCase()}.pem`, chainUrl),
  });
  if (options.crl !== false) {
    const crlUrl = `${base}/${signer}/v1/${product}/crl`;
    requests.push({
      name: `ARK CRL (${product}, ${signer})`,
      url: crlUrl,
      key: `amd:/${signer}/v1/${product}/crl`,
      keepHeaders: [],
      parse: (response) => crlItem(response.body, `${signer}_crl_${product.toLowerCase()}.crl`, crlUrl),
    });
  }
  return requests;
}

function certificateItem(body: Uint8Array, file: string, source: string): ParsedItem {
  const cert = invalidOnParse(() => parseCertificate(body, source), source);
  return { files: { [file]: body }, issued: new Date(cert.validFrom), nextUpdate: new Date(cert.validTo) };
}

function chainItem(body: Uint8Array, file: string, source: string): ParsedItem {
  const certs = invalidOnParse(() => parsePemBundle(Buffer.from(body).toString("latin1"), source), source);
  if (certs.length !== 2) throw new TeezkError("COLLATERAL_INVALID", `${source}: expected two certificates (intermediate and ARK), got ${certs.length}`);
  const times = (pick: (cert: (typeof certs)[number]) => string) => certs.map((cert) => new Date(pick(cert)).getTime());
  return { files: { [file]: body }, issued: new Date(Math.max(...times((cert) => cert.validFrom))), nextUpdate: new Date(Math.min(...times((cert) => cert.validTo))) };
}

function invalidOnParse<T>(parse: () => T, source: string): T {
  try {
    return parse();
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the answer is not a certificate (truncated?)`, { cause: error });
  }
}
