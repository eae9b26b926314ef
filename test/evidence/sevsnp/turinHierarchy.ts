/**
 * A generated AMD-shaped Turin hierarchy (ARK → ASK → VCEK, minted through test/support/pki) accepted through
 * `extraTrustedRoots`, and Turin reports signed by its VCEK: the paths no real sample reaches (Turin's TCB layout
 * and 8-byte hwID, version 5 fields, CRL revocation, product mismatches, masked chip ids).
 */
import type { X509Certificate } from "node:crypto";
import { createSnpCollateral, type SnpCollateral } from "../../../src/evidence/sevsnp/index.js";
import { AMD_OID } from "../../../src/evidence/sevsnp/constants.js";
import { derIa5, derUnsigned } from "../../../src/tee/simulated/der.js";
import { signSnpReport } from "../../../src/tee/simulated/signSnpReport.js";
import type { PinnedRoot } from "../../../src/util/x509.js";
import { amdName, generateKey, mintCertificate, type KeyPair } from "../../support/pki.js";
import { loadSamples } from "./samples.js";

export const AT = new Date("2030-06-01T00:00:00Z");
export const CHIP_ID = Uint8Array.from({ length: 64 }, (_, i) => (i * 7 + 1) & 0xff);
// Turin TCB_VERSION bytes: FMC, BOOT_LOADER, TEE, SNP, 3 reserved, MICROCODE.
const TURIN_TCB = [2, 3, 4, 25, 0, 0, 0, 0x48];

export type TurinHierarchy = {
  ark: KeyPair;
  ask: KeyPair;
  arkCert: X509Certificate;
  askCert: X509Certificate;
  pinned: PinnedRoot[];
  /** A version 5 Turin report from the first real sample, edited by `changes` and signed by the VCEK. */
  turinReport: (changes?: (b: Uint8Array, v: DataView) => void) => Uint8Array;
  /** The VCEK with Turin's TCB and hwID extensions; an override of undefined leaves that extension out. */
  turinVcek: (overrides?: Record<string, Uint8Array | undefined>, product?: string) => X509Certificate;
  collateralWith: (vcek: X509Certificate, crls?: Uint8Array[]) => SnpCollateral;
};

export function createTurinHierarchy(): TurinHierarchy {
  const base = loadSamples()[0]!.report;
  const ark = generateKey("RSA");
  const ask = generateKey("RSA");
  const vcekKey = generateKey("P-384");
  const arkMinted = mintCertificate({ subject: amdName("ARK-Turin"), key: ark, serial: 1, ca: true });
  const arkCert = arkMinted.certificate;
  const askCert = mintCertificate({ subject: amdName("SEV-Turin"), key: ask, issuer: { name: arkCert, privateKey: ark.privateKey }, serial: 2, ca: true }).certificate;
  return {
    ark,
    ask,
    arkCert,
    askCert,
    pinned: [{ name: "test ARK-Turin", sha256: arkMinted.sha256 }],
    turinReport(changes = () => {}) {
      const b = new Uint8Array(base);
      const v = new DataView(b.buffer);
      v.setUint32(0, 5, true);
      b.set([0x1a, 0x02, 0x00], 0x188);
      b.set(TURIN_TCB, 0x180);
      b.set(TURIN_TCB, 0x1f0);
      b.set(CHIP_ID, 0x1a0);
      v.setBigUint64(0x1f8, 0x11n, true);
      v.setBigUint64(0x200, 0x33n, true);
      changes(b, v);
      return signSnpReport(b, vcekKey.privateKey);
    },
    turinVcek(overrides = {}, product = "Turin") {
      const extensions: Record<string, Uint8Array | undefined> = {
        [AMD_OID.productName]: derIa5(product),
        [AMD_OID.blSpl]: derUnsigned(3),
        [AMD_OID.teeSpl]: derUnsigned(4),
        [AMD_OID.snpSpl]: derUnsigned(25),
        [AMD_OID.ucodeSpl]: derUnsigned(0x48),
        [AMD_OID.fmcSpl]: derUnsigned(2),
        [AMD_OID.hwId]: CHIP_ID.slice(0, 8),
        ...overrides,
      };
      const amdExtensions = Object.fromEntries(Object.entries(extensions).filter((entry): entry is [string, Uint8Array] => entry[1] !== undefined));
      return mintCertificate({ subject: amdName("SEV-VCEK"), key: vcekKey, issuer: { name: askCert, privateKey: ask.privateKey }, serial: 9, extensions: amdExtensions }).certificate;
    },
    collateralWith(vcek, crls = []) {
      return createSnpCollateral({ certificates: [arkCert, askCert, vcek], crls: crls.map((der, i) => ({ der, source: `crl${i}` })) });
    },
  };
}
