import { generateKeyPairSync } from "node:crypto";
import { gpuRimIds } from "../../evidence/nvidia/appraiseGpuRims.js";
import { RIM_XMLDSIG, rimSignedXml } from "../../evidence/nvidia/gpuRimXml.js";
import { parseGpuReport } from "../../evidence/nvidia/parseGpuReport.js";
import { issueDevCertificate } from "./issueDevCertificate.js";
import type { DevRoots } from "./types.js";

export type SimulateGpuRimParameters = {
  devRoots: DevRoots;
  /** Meta colloquialVersion: the driver version or the dotted VBIOS version the report states. */
  version: string;
  /** Active measurements (RIM index k = SPDM block k+1), 48-byte hex values without 0x; other indexes are inactive. */
  measurements: readonly { index: number; values: readonly string[] }[];
};

const SWID_NS = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
const RIM_INDEXES = 64;

/**
 * A RIM shaped like NVIDIA's (SWID tag, 64 Measurement resources, enveloped XML-DSig with c14n 1.1 and ECDSA
 * P-384 / SHA-384, signer chain in KeyInfo), signed by a per-call leaf under the NVIDIA dev root. It verifies
 * only where the dev root is pinned: the simulated GPU's reference values for demos and tests.
 */
export function simulateGpuRim({ devRoots, version, measurements }: SimulateGpuRimParameters): Uint8Array {
  const byIndex = new Map(measurements.map((measurement) => [measurement.index, measurement.values]));
  const resources = Array.from({ length: RIM_INDEXES }, (_, index) => {
    const values = byIndex.get(index) ?? ["00".repeat(48)];
    const hashes = values.map((value, n) => `ns2:Hash${n}="${value.toLowerCase()}"`).join(" ");
    return `<ns0:Resource type="Measurement" index="${index}" active="${byIndex.has(index) ? "True" : "False"}" alternatives="${values.length}" ${hashes} name="Measurement_${index}" size="48"/>`;
  });
  const xml =
    `<SoftwareIdentity xmlns="${SWID_NS}" xmlns:ns0="${SWID_NS}" xmlns:ns2="http://www.w3.org/2001/04/xmlenc#sha384" corpus="false" name="GH100" patch="false" supplemental="false" tagId="teezk-dev-${version}" version="1.0" tagVersion="0">` +
    `<ns0:Entity name="teezk dev" role="softwareCreator tagCreator"/><ns0:Meta colloquialVersion="${version}" edition="GPU" product="GH100" revision="r1"/>` +
    `<ns0:Payload>${resources.join("")}</ns0:Payload></SoftwareIdentity>`;

  const { root } = devRoots.nvidia;
  const pair = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const signer = issueDevCertificate({
    commonName: "teezk dev RIM signer",
    publicKey: pair.publicKey,
    issuer: root,
    ca: false,
    notBefore: root.certificate.validFromDate,
    notAfter: root.certificate.validToDate,
  });
  const signed = rimSignedXml({ privateKey: pair.privateKey });
  signed.canonicalizationAlgorithm = RIM_XMLDSIG.c14n11;
  signed.signatureAlgorithm = RIM_XMLDSIG.ecdsaSha384;
  signed.addReference({ xpath: "/*", uri: "", isEmptyUri: true, transforms: [RIM_XMLDSIG.enveloped, RIM_XMLDSIG.c14n11], digestAlgorithm: RIM_XMLDSIG.sha384 });
  const der = (certificate: typeof signer) => certificate.raw.toString("base64");
  signed.getKeyInfoContent = () => `<ds:X509Data><ds:X509Certificate>${der(signer)}</ds:X509Certificate><ds:X509Certificate>${der(root.certificate)}</ds:X509Certificate></ds:X509Data>`;
  signed.computeSignature(xml, { prefix: "ds", location: { reference: "/*", action: "append" } });
  return new Uint8Array(Buffer.from(signed.getSignedXml(), "utf8"));
}

/** The indexes NVIDIA's Hopper RIMs mark active: the driver RIM 7 and 21–40, the VBIOS RIM 0–6 and 8–12. */
const DRIVER_INDEXES = [7, ...Array.from({ length: 20 }, (_, i) => 21 + i)];
const VBIOS_INDEXES = [0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12];

/**
 * The driver and VBIOS RIMs of a simulated GPU report, by RIM service id (the `<id>.swidtag` files a collateral
 * folder holds), golden values taken from the report itself: what NVIDIA would publish for that firmware.
 */
export function simulateGpuRims({ devRoots, report }: { devRoots: DevRoots; report: Uint8Array }): Record<string, Uint8Array> {
  const parsed = parseGpuReport(report);
  const ids = gpuRimIds(parsed);
  const values = new Map(parsed.response.blocks.map((block) => [block.index - 1, Buffer.from(block.value).toString("hex")]));
  const rim = (version: string, indexes: readonly number[]) =>
    simulateGpuRim({ devRoots, version, measurements: indexes.filter((index) => values.has(index)).map((index) => ({ index, values: [values.get(index)!] })) });
  return { [ids.driver]: rim(parsed.response.opaque.driverVersion!, DRIVER_INDEXES), [ids.vbios]: rim(parsed.response.opaque.vbiosVersion!, VBIOS_INDEXES) };
}
