import { TeezkError } from "../../../errors/index.js";
import { binaryField, parseJson, pemChain, signatureBytes, stringField } from "./collateralFields.js";
import { MAX_CRL_BYTES, parseDcapCrl } from "./parseDcapCrl.js";
import { parseEnclaveIdentity } from "./parseEnclaveIdentity.js";
import { parseTcbInfo } from "./parseTcbInfo.js";
import type { DcapCollateral, SignedCollateral } from "./types.js";

export type ParseDcapQvlCollateralErrorType = TeezkError;

/** Parses dcap-qvl's collateral JSON (the `QuoteCollateralV3` serialisation) from memory. */
export function parseDcapQvlCollateral(bytes: Uint8Array, source: string): DcapCollateral {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("utf8")) as Record<string, unknown>;
  } catch (error) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: not valid JSON`, { details: String(error), cause: error });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new TeezkError("COLLATERAL_INVALID", `${source}: expected a JSON object`);
  }
  const collateral: DcapCollateral = { source };
  const field = (name: string) => `${source} field ${name}`;

  const signed = <T>(bodyKey: string, signatureKey: string, chainKey: string, parse: (json: unknown, source: string) => T) => {
    const text = json[bodyKey];
    if (text === undefined || text === null) return undefined;
    if (typeof text !== "string") throw new TeezkError("COLLATERAL_INVALID", `${field(bodyKey)}: expected the signed JSON as a string`);
    const item: SignedCollateral<T> = {
      body: parse(parseJson(text, field(bodyKey)), field(bodyKey)),
      signedBytes: Buffer.from(text, "utf8"),
      signature: signatureBytes(json[signatureKey], field(signatureKey)),
      source: field(bodyKey),
    };
    const chain = json[chainKey];
    if (chain !== undefined && chain !== null) item.issuerChain = pemChain(stringField(chain, field(chainKey)), field(chainKey));
    return item;
  };
  const tcbInfo = signed("tcb_info", "tcb_info_signature", "tcb_info_issuer_chain", parseTcbInfo);
  if (tcbInfo) collateral.tcbInfo = tcbInfo;
  const qeIdentity = signed("qe_identity", "qe_identity_signature", "qe_identity_issuer_chain", parseEnclaveIdentity);
  if (qeIdentity) collateral.qeIdentity = qeIdentity;

  if (json.pck_crl !== undefined && json.pck_crl !== null) {
    collateral.pckCrls = [parseDcapCrl(binaryField(json.pck_crl, field("pck_crl"), MAX_CRL_BYTES), field("pck_crl"))];
  }
  if (json.root_ca_crl !== undefined && json.root_ca_crl !== null) {
    collateral.rootCaCrl = parseDcapCrl(binaryField(json.root_ca_crl, field("root_ca_crl"), MAX_CRL_BYTES), field("root_ca_crl"));
  }
  if (json.pck_crl_issuer_chain !== undefined && json.pck_crl_issuer_chain !== null) {
    collateral.pckCrlIssuerChain = pemChain(stringField(json.pck_crl_issuer_chain, field("pck_crl_issuer_chain")), field("pck_crl_issuer_chain"));
  }
  return collateral;
}

