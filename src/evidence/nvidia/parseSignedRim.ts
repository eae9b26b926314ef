import { TeezkError } from "../../errors/index.js";

const SWID_NS = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
/** RIMs name their hash attributes in the xmlenc SHA-384 namespace (ns2:Hash0 … ns2:HashN-1). */
const SHA384_NS = "http://www.w3.org/2001/04/xmlenc#sha384";
const MAX_RESOURCES = 256;
const MAX_ALTERNATIVES = 16;
const SHA384_HEX = /^[0-9a-fA-F]{96}$/;

/** One Measurement resource: RIM index k is the report's SPDM measurement block k+1. */
export type GpuRimMeasurement = {
  index: number;
  /** Only active resources are compared; inactive ones hold placeholders. */
  active: boolean;
  /** Hash0 … HashN-1, lower-case hex without 0x: any one is acceptable. */
  values: string[];
};

export type ParsedSignedRim = { version: string; product: string; tagId: string; measurements: GpuRimMeasurement[] };

/**
 * Reads a RIM from its signed canonical form (the enveloped reference, signature removed). Strict on what the
 * appraisal depends on: one Meta with a colloquialVersion, one Payload, every Measurement resource with a
 * unique index, active "True"/"False", 1–16 alternatives each a 48-byte hex digest, size 48; no xml:* attribute
 * (canonical XML 1.0 and 1.1 would differ on them).
 */
export function parseSignedRim(root: Element, source: string): ParsedSignedRim {
  if (root.localName !== "SoftwareIdentity" || root.namespaceURI !== SWID_NS) throw invalid(source, "the signed element is not SoftwareIdentity");
  const all = root.getElementsByTagName("*");
  for (let i = 0; i < all.length; i++) {
    const attributes = all.item(i)!.attributes;
    for (let j = 0; j < attributes.length; j++) {
      if (attributes.item(j)!.name.startsWith("xml:")) throw invalid(source, `it uses the ${attributes.item(j)!.name} attribute`);
    }
  }
  const metas = swidChildren(root, "Meta");
  const payloads = swidChildren(root, "Payload");
  if (metas.length !== 1 || payloads.length !== 1) throw invalid(source, `it has ${metas.length} Meta and ${payloads.length} Payload elements instead of one each`);
  const version = metas[0]!.getAttribute("colloquialVersion");
  if (!version) throw invalid(source, "its Meta has no colloquialVersion");
  const resources = swidChildren(payloads[0]!, "Resource").filter((resource) => resource.getAttribute("type") === "Measurement");
  if (resources.length > MAX_RESOURCES) throw invalid(source, `it lists ${resources.length} measurements (at most ${MAX_RESOURCES})`);
  const seen = new Set<number>();
  const measurements = resources.map((resource) => {
    const index = integer(resource.getAttribute("index"), 0, MAX_RESOURCES - 1, source, "index");
    if (seen.has(index)) throw invalid(source, `measurement index ${index} appears twice`);
    seen.add(index);
    const activeText = resource.getAttribute("active");
    if (activeText !== "True" && activeText !== "False") throw invalid(source, `measurement ${index} has active="${activeText}"`);
    if (resource.getAttribute("size") !== "48") throw invalid(source, `measurement ${index} is not a 48-byte digest`);
    const alternatives = integer(resource.getAttribute("alternatives"), 1, MAX_ALTERNATIVES, source, `measurement ${index} alternatives`);
    const values = Array.from({ length: alternatives }, (_, n) => {
      const value = resource.getAttributeNS(SHA384_NS, `Hash${n}`);
      if (!value || !SHA384_HEX.test(value)) throw invalid(source, `measurement ${index} lacks a 48-byte Hash${n}`);
      return value.toLowerCase();
    });
    return { index, active: activeText === "True", values };
  });
  return { version, product: root.getAttribute("name") ?? "", tagId: root.getAttribute("tagId") ?? "", measurements };
}

function swidChildren(element: Element, name: string): Element[] {
  const out: Element[] = [];
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).localName === name && (node as Element).namespaceURI === SWID_NS) out.push(node as Element);
  }
  return out;
}

function integer(text: string | null, min: number, max: number, source: string, what: string): number {
  const value = text !== null && /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw invalid(source, `${what} is ${text ?? "absent"} (expected ${min}..${max})`);
  return value;
}

export function invalid(source: string, reason: string, details?: string): TeezkError {
  return new TeezkError("RIM_INVALID", `${source} is not a RIM this verifier accepts: ${reason}`, details === undefined ? {} : { details });
}
