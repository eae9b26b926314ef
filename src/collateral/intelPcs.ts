import { TeezkError } from "../errors/index.js";
import { parseDcapQuote } from "../evidence/tdx/index.js";
import { TEE_TYPE_TDX } from "../evidence/tdx/constants.js";
import { PCS_FILES, parseDcapCrl, parsePckExtensions } from "../evidence/tdx/collateral/index.js";
import { parsePemBundle } from "../util/x509.js";
import type { CollateralRequest, CollateralServices, ParsedItem, StoredResponse } from "./types.js";

export const DEFAULT_PCS_URL = "https://api.trustedservices.intel.com";
/** The CRL distribution point named in the Intel SGX Root CA certificate; PCS v4 has no endpoint of its own for it. */
export const INTEL_ROOT_CA_CRL_URL = "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";

// PCS v4 header names; the v3 names are still sent by some PCCS versions for SGX TCB info.
const TCB_INFO_CHAIN = ["TCB-Info-Issuer-Chain", "SGX-TCB-Info-Issuer-Chain"];
const QE_IDENTITY_CHAIN = ["SGX-Enclave-Identity-Issuer-Chain"];
const PCK_CRL_CHAIN = ["SGX-PCK-CRL-Issuer-Chain"];

/**
 * The four Intel requests a DCAP quote needs, derived from the quote alone: TCB info for the PCK leaf's FMSPC
 * (SGX or TDX by the quote's TEE type), the QE identity (QE or TD_QE), the PCK CRL of the CA that issued the
 * leaf (platform or processor, by the issuer's CN), and the Intel SGX Root CA CRL. Nothing here is verified.
 */
export function intelPcsRequests(quoteBytes: Uint8Array, services: CollateralServices): CollateralRequest[] {
  const quote = parseDcapQuote(quoteBytes);
  const chain = parsePemBundle(quote.pckChainPem, "PCK chain in the quote");
  const leaf = chain[0]!;
  const fmspc = Buffer.from(parsePckExtensions(leaf).fmspc).toString("hex");
  const ca = pckCaType(leaf.issuer);
  const tee = quote.header.teeType === TEE_TYPE_TDX ? "tdx" : "sgx";
  const base = trimSlash(services.pcsUrl ?? DEFAULT_PCS_URL);
  const rootCrlUrl = services.rootCrlUrl ?? (services.pcsUrl ? `${base}/sgx/certification/v4/rootcacrl` : INTEL_ROOT_CA_CRL_URL);
  return [
    {
      name: `${tee.toUpperCase()} TCB info (FMSPC ${fmspc})`,
      url: `${base}/${tee}/certification/v4/tcb?fmspc=${fmspc}`,
      key: `intel:/${tee}/certification/v4/tcb?fmspc=${fmspc}`,
      keepHeaders: TCB_INFO_CHAIN,
      parse: (response) => signedJsonItem(response, "tcbInfo", PCS_FILES.tcbInfo, TCB_INFO_CHAIN),
    },
    {
      name: `${tee === "tdx" ? "TD_QE" : "QE"} identity`,
      url: `${base}/${tee}/certification/v4/qe/identity`,
      key: `intel:/${tee}/certification/v4/qe/identity`,
      keepHeaders: QE_IDENTITY_CHAIN,
      parse: (response) => signedJsonItem(response, "enclaveIdentity", PCS_FILES.qeIdentity, QE_IDENTITY_CHAIN),
    },
    {
      name: `PCK ${ca} CA CRL`,
      url: `${base}/sgx/certification/v4/pckcrl?ca=${ca}&encoding=der`,
      key: `intel:/sgx/certification/v4/pckcrl?ca=${ca}`,
      keepHeaders: PCK_CRL_CHAIN,
      parse: (response) => pckCrlItem(response, ca),
    },
    { name: "Intel SGX Root CA CRL", url: rootCrlUrl, key: "intel:root-ca-crl", keepHeaders: [], parse: (response) => crlItem(response.body, PCS_FILES.rootCaCrl, rootCrlUrl) },
  ];
}

/**
 * Which CRL to ask for, by the issuer's CN. A name ending in Intel's CA name is enough (the simulated TEEs' dev CAs
 * prefix it): this only picks a URL, and the CRL that comes back is verified against the pinned or dev roots.
 */
function pckCaType(issuer: string): "platform" | "processor" {
  if (/CN=(?:[^\n]*\s)?Intel SGX PCK Platform CA(?:\n|$)/.test(issuer)) return "platform";
  if (/CN=(?:[^\n]*\s)?Intel SGX PCK Processor CA(?:\n|$)/.test(issuer)) return "processor";
  throw new TeezkError("COLLATERAL_MISMATCH", "The PCK leaf is issued by neither the Intel SGX PCK Platform CA nor the Processor CA", {
    details: issuer.replace(/\n/g, ", "),
  });
}

/** TCB info and QE identity: `{ <member>: {...}, signature }` with the signer chain in a header (URL-encoded PEM). */
function signedJsonItem(response: StoredResponse, member: "tcbInfo" | "enclaveIdentity", file: string, chainHeaders: readonly string[]): ParsedItem {
  const source = file;
  let body: Record<string, Record<string, unknown>>;
  try {
    body = JSON.parse(Buffer.from(response.body).toString("utf8")) as typeof body;
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the answer is not JSON (truncated?)`, { cause: error });
  }
  const inner = body?.[member];
  if (typeof inner !== "object" || inner === null || typeof body.signature !== "string") {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the answer has no ${member} object and signature`);
  }
  const chain = issuerChain(response, chainHeaders, source);
  return {
    files: { [file]: response.body, [PCS_FILES.tcbSigningChainPem]: new Uint8Array(Buffer.from(chain)) },
    issued: dateField(inner.issueDate, `${source} issueDate`),
    nextUpdate: dateField(inner.nextUpdate, `${source} nextUpdate`),
  };
}

function pckCrlItem(response: StoredResponse, ca: "platform" | "processor"): ParsedItem {
  const file = ca === "platform" ? PCS_FILES.pckPlatformCrl : PCS_FILES.pckProcessorCrl;
  const item = crlItem(response.body, file, file);
  const issuer = parsePemBundle(issuerChain(response, PCK_CRL_CHAIN, file), `${file} issuer chain`)[0]!;
  item.files[ca === "platform" ? PCS_FILES.pckPlatformCa : PCS_FILES.pckProcessorCa] = new Uint8Array(issuer.raw);
  return item;
}

/** A CRL answered as DER (encoding=der), PEM (PCS's default encoding) or hex text (older PCCS root CRL answers). */
export function crlItem(body: Uint8Array, file: string, source: string): ParsedItem {
  const der = crlDer(body);
  const crl = parseDcapCrl(der, source);
  if (!crl.nextUpdate) throw new TeezkError("CRL_INVALID", `${source}: the CRL has no nextUpdate`);
  return { files: { [file]: der }, issued: crl.thisUpdate, nextUpdate: crl.nextUpdate };
}

function crlDer(body: Uint8Array): Uint8Array {
  if (body[0] === 0x30) return body;
  const text = Buffer.from(body).toString("latin1").trim();
  const pem = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(text);
  if (pem) return new Uint8Array(Buffer.from(pem[1]!.replace(/\s+/g, ""), "base64"));
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) return new Uint8Array(Buffer.from(text, "hex"));
  return body;
}

function issuerChain(response: StoredResponse, names: readonly string[], source: string): string {
  const value = names.map((name) => response.headers[name.toLowerCase()]).find((header) => header !== undefined);
  if (value === undefined) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the answer lacks the ${names[0]} header (the signer chain)`);
  }
  try {
    return decodeURIComponent(value);
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the ${names[0]} header is not URL-encoded PEM`, { cause: error });
  }
}

function dateField(value: unknown, source: string): Date {
  const date = typeof value === "string" ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new TeezkError("COLLATERAL_INVALID", `${source}: not an ISO date`);
  return date;
}

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}
