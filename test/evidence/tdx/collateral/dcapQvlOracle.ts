import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { fixturePath } from "../../../../src/fixtures/fixturesDir.js";

const require = createRequire(import.meta.url);
const qvl = require("@phala/dcap-qvl") as {
  verify(quote: Uint8Array, collateral: Record<string, string>, nowSeconds: number): { status: string; advisory_ids: string[] };
};

/** dcap-qvl's verdict (status string and advisories) or its error message, for comparison with ours. */
export function dcapQvlVerdict(quote: Uint8Array, collateral: Record<string, string>, now: Date): { status: string; advisoryIds: string[] } | { error: string } {
  try {
    const result = qvl.verify(quote, collateral, Math.floor(now.getTime() / 1000));
    return { status: result.status, advisoryIds: result.advisory_ids };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** dcap-qvl's own collateral.json as it reads it. */
export function dcapQvlCollateralFile(relative: string): Record<string, string> {
  return JSON.parse(readFileSync(fixturePath(relative), "utf8")) as Record<string, string>;
}

/**
 * The Intel PCS files of a folder in dcap-qvl's layout, so the oracle can judge PCS-layout samples too. The
 * signed body is cut out of the file by a plain text search (independent of our extractor), the root comes
 * from fixtures/roots; a missing CRL becomes "" (dcap-qvl then skips that CRL).
 */
export function pcsFolderAsDcapQvl(dir: string, signingDir = dir): Record<string, string> {
  const signing = readFileSync(fixturePath(`${signingDir}/tcb_signing_cert.der`));
  const rootPem = readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.pem"), "latin1");
  const chain = `-----BEGIN CERTIFICATE-----\n${signing.toString("base64")}\n-----END CERTIFICATE-----\n${rootPem}`;
  const signed = (file: string, member: string) => {
    const text = readFileSync(fixturePath(`${dir}/${file}`), "utf8");
    const start = text.indexOf(`{"${member}":`) + member.length + 4;
    const end = text.lastIndexOf(`,"signature":"`);
    return { body: text.slice(start, end), signature: (JSON.parse(text) as { signature: string }).signature };
  };
  const hexOf = (file: string) => {
    try {
      return readFileSync(fixturePath(`${dir}/${file}`)).toString("hex");
    } catch {
      return "";
    }
  };
  const tcb = signed("tcb_info.json", "tcbInfo");
  const qe = signed("qe_identity.json", "enclaveIdentity");
  return {
    tcb_info: tcb.body,
    tcb_info_signature: tcb.signature,
    tcb_info_issuer_chain: chain,
    qe_identity: qe.body,
    qe_identity_signature: qe.signature,
    qe_identity_issuer_chain: chain,
    pck_crl: hexOf("pck_platform_crl.der"),
    root_ca_crl: hexOf("intel_root_ca_crl.der"),
    pck_crl_issuer_chain: "",
  };
}
