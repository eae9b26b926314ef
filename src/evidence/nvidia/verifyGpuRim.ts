import type { X509Certificate } from "node:crypto";
import { DOMParser } from "@xmldom/xmldom";
import { TeezkError } from "../../errors/index.js";
import { parseCertificate, verifyCertificateChain, type PinnedRoot } from "../../util/x509.js";
import { RIM_XMLDSIG, rimSignedXml } from "./gpuRimXml.js";
import { invalid, parseSignedRim, type GpuRimMeasurement } from "./parseSignedRim.js";

/** Real RIMs are ~20 KiB (64 resources, 4-certificate KeyInfo). */
export const MAX_GPU_RIM_BYTES = 256 * 1024;
const MAX_RIM_CHAIN_CERTIFICATES = 8;
const SWID_NS = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";

export type VerifyGpuRimParameters = {
  /** The SWID tag's bytes (UTF-8 XML). */
  rim: Uint8Array;
  now: Date;
  /** NVIDIA_RIM_PINNED_ROOTS in production; a dev root for simulated RIMs. */
  pinnedRoots: readonly PinnedRoot[];
  /** For messages. */
  source?: string;
};

export type VerifiedGpuRim = {
  /** Meta colloquialVersion: the driver version ("545.00") or VBIOS version ("96.00.5E.00.01"). */
  version: string;
  /** SoftwareIdentity name, e.g. GH100. */
  product: string;
  tagId: string;
  /** One entry per Measurement resource, in document order. */
  measurements: GpuRimMeasurement[];
  rootName: string;
  /** The signer leaf's validity: a RIM is not used outside it. */
  signerValidFrom: Date;
  signerValidTo: Date;
};

export type VerifyGpuRimErrorType = "INPUT_TOO_LARGE" | "RIM_INVALID" | "RIM_SIGNATURE_INVALID" | "CERT_PARSE" | "CERT_CHAIN_INVALID" | "CERT_EXPIRED" | "ROOT_NOT_TRUSTED" | "SIGNATURE_INVALID";

/**
 * Verifies an NVIDIA RIM (SWID tag, enveloped XML-DSig) and returns its golden values. The shape is fixed
 * before any crypto (one ds:Signature, the last child of the root, holding only SignedInfo, SignatureValue and
 * KeyInfo; one Reference to the whole document; exactly the algorithms NVIDIA uses), the KeyInfo chain must end
 * at a pinned root with every certificate valid at `now`, then xml-crypto checks digest and signature with the
 * leaf's key. The golden values are read from the canonical bytes that were digested, never from the parsed
 * input, so nothing outside the signed reference (a forged Resource in the signature, a second payload) is read.
 */
export function verifyGpuRim({ rim, now, pinnedRoots, source = "RIM" }: VerifyGpuRimParameters): VerifiedGpuRim {
  if (rim.length > MAX_GPU_RIM_BYTES) throw new TeezkError("INPUT_TOO_LARGE", `${source} is ${rim.length} bytes; a RIM is at most ${MAX_GPU_RIM_BYTES}`);
  const xml = Buffer.from(rim).toString("utf8");
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw invalid(source, "it declares a DOCTYPE or entities");
  const root = parseXml(xml, source);
  if (root.localName !== "SoftwareIdentity" || root.namespaceURI !== SWID_NS) throw invalid(source, `its root is ${root.tagName}, not a SWID SoftwareIdentity`);
  const signature = signatureElement(root, source);
  const certificates = keyInfoCertificates(signature, source);
  const chain = verifyCertificateChain({ chain: certificates, pinnedRoots, at: now, what: `${source} signer chain` });
  const leaf = chain.chain[0]!;

  const signed = rimSignedXml({ publicCert: leaf.publicKey });
  let references: string[];
  try {
    signed.loadSignature(signature);
    if (signed.checkSignature(xml) !== true) throw new Error("a reference's digest does not match");
    references = signed.getSignedReferences();
  } catch (error) {
    throw new TeezkError("RIM_SIGNATURE_INVALID", `${source}: the XML signature does not verify with its signer certificate`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  if (references.length !== 1) throw invalid(source, `${references.length} signed references instead of one`);
  const parsed = parseSignedRim(parseXml(references[0]!, source), source);
  return { ...parsed, rootName: chain.rootName, signerValidFrom: leaf.validFromDate, signerValidTo: leaf.validToDate };
}

function parseXml(xml: string, source: string): Element {
  const problems: string[] = [];
  const onError = (level: string, message: unknown) => {
    if (level !== "warning") problems.push(String(message));
  };
  let root: Element | null = null;
  try {
    root = new DOMParser({ errorHandler: onError }).parseFromString(xml, "text/xml").documentElement;
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  if (!root || problems.length > 0) throw invalid(source, `it is not well-formed XML (${problems[0]?.slice(0, 200) ?? "no root element"})`);
  return root;
}

function elementChildren(element: Element): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) if (node.nodeType === 1) out.push(node as Element);
  return out;
}

/** The one signature: last child of the root, nothing but what NVIDIA's signer writes inside. */
function signatureElement(root: Element, source: string): Element {
  const all = root.getElementsByTagNameNS(RIM_XMLDSIG.ns, "Signature");
  if (all.length !== 1) throw invalid(source, `it holds ${all.length} ds:Signature elements instead of one`);
  const signature = all.item(0)!;
  const children = elementChildren(root);
  if (signature.parentNode !== root || children[children.length - 1] !== signature) throw invalid(source, "its ds:Signature is not the last child of SoftwareIdentity");
  const parts = elementChildren(signature);
  const expect = (element: Element | undefined, name: string) => {
    if (!element || element.namespaceURI !== RIM_XMLDSIG.ns || element.localName !== name) throw invalid(source, `its signature's content is not SignedInfo, SignatureValue, KeyInfo (found ${element?.tagName ?? "nothing"} for ${name})`);
    return element;
  };
  if (parts.length !== 3) throw invalid(source, `its ds:Signature has ${parts.length} children instead of SignedInfo, SignatureValue, KeyInfo`);
  const signedInfo = expect(parts[0], "SignedInfo");
  expect(parts[1], "SignatureValue");
  expect(parts[2], "KeyInfo");
  const algorithms = (name: string) => Array.from(signedInfo.getElementsByTagNameNS(RIM_XMLDSIG.ns, name), (element: Element) => element.getAttribute("Algorithm"));
  const references = signedInfo.getElementsByTagNameNS(RIM_XMLDSIG.ns, "Reference");
  const shape = JSON.stringify({
    c14n: algorithms("CanonicalizationMethod"),
    method: algorithms("SignatureMethod"),
    uris: Array.from(references, (reference: Element) => reference.getAttribute("URI")),
    transforms: algorithms("Transform"),
    digest: algorithms("DigestMethod"),
  });
  const expected = JSON.stringify({
    c14n: [RIM_XMLDSIG.c14n11],
    method: [RIM_XMLDSIG.ecdsaSha384],
    uris: [""],
    transforms: [RIM_XMLDSIG.enveloped, RIM_XMLDSIG.c14n11],
    digest: [RIM_XMLDSIG.sha384],
  });
  if (shape !== expected) throw invalid(source, "its SignedInfo is not one enveloped, c14n 1.1, ECDSA P-384 / SHA-384 reference to the whole document", shape);
  return signature;
}

function keyInfoCertificates(signature: Element, source: string): X509Certificate[] {
  const nodes = Array.from(signature.getElementsByTagNameNS(RIM_XMLDSIG.ns, "X509Certificate"));
  if (nodes.length === 0 || nodes.length > MAX_RIM_CHAIN_CERTIFICATES) {
    throw invalid(source, `its KeyInfo holds ${nodes.length} certificates (1 to ${MAX_RIM_CHAIN_CERTIFICATES} accepted)`);
  }
  return nodes.map((node: Element, index) => parseCertificate(new Uint8Array(Buffer.from((node.textContent ?? "").replace(/\s+/g, ""), "base64")), `${source} KeyInfo certificate ${index}`));
}
