import { createHash, X509Certificate } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fixturePath } from "../../../src/fixtures/fixturesDir.js";
import { readAmdExtensions } from "../../../src/evidence/sevsnp/readAmdExtensions.js";
import type { DcapCollateral } from "../../../src/evidence/tdx/collateral/index.js";
import type { DevRoots } from "../../../src/tee/simulated/index.js";
import { ok, type StandInAnswer, type StandInHandler } from "./standIn.js";

/** What a PCS (or PCCS) holds: signed JSON bodies as Intel serves them, CRLs as DER, issuer chains as PEM. */
export type PcsData = {
  tcbInfos: { tee: "sgx" | "tdx"; fmspc: string; body: string; chainPem: string }[];
  qeIdentities: Partial<Record<"sgx" | "tdx", { body: string; chainPem: string }>>;
  pckCrls: Partial<Record<"platform" | "processor", { der: Uint8Array; chainPem: string }>>;
  rootCaCrl?: Uint8Array;
};

const rootPem = () => readFileSync(fixturePath("roots/intel-sgx/Intel_SGX_Root_CA.pem"), "latin1");
const derToPem = (der: Uint8Array) => new X509Certificate(Buffer.from(der)).toString();
const requestId = { "request-id": "0123456789abcdef0123456789abcdef" };

/**
 * Intel PCS API v4 as documented: `/{sgx,tdx}/certification/v4/tcb?fmspc=` (TCB-Info-Issuer-Chain),
 * `/{sgx,tdx}/certification/v4/qe/identity` (SGX-Enclave-Identity-Issuer-Chain),
 * `/sgx/certification/v4/pckcrl?ca=platform|processor[&encoding=der]` (SGX-PCK-CRL-Issuer-Chain; PEM unless
 * encoding=der), plus PCCS's `/sgx/certification/v4/rootcacrl`. Issuer chains are URL-encoded PEM; an unknown
 * FMSPC or CA is 404 (PCS answers 404 for an FMSPC it does not know) and a malformed query 400.
 */
export function pcsHandler(data: PcsData): StandInHandler {
  return (path, query) => {
    const match = /^\/(sgx|tdx)\/certification\/v4\/(tcb|qe\/identity|pckcrl|rootcacrl)$/.exec(path);
    if (!match) return undefined;
    const tee = match[1] as "sgx" | "tdx";
    switch (match[2]) {
      case "tcb": {
        const fmspc = query.get("fmspc") ?? "";
        if (!/^[0-9a-fA-F]{12}$/.test(fmspc)) return badRequest();
        const item = data.tcbInfos.find((entry) => entry.tee === tee && entry.fmspc.toLowerCase() === fmspc.toLowerCase());
        return item ? ok(item.body, "application/json", { ...requestId, "TCB-Info-Issuer-Chain": encodeURIComponent(item.chainPem) }) : undefined;
      }
      case "qe/identity": {
        const item = data.qeIdentities[tee];
        return item ? ok(item.body, "application/json", { ...requestId, "SGX-Enclave-Identity-Issuer-Chain": encodeURIComponent(item.chainPem) }) : undefined;
      }
      case "pckcrl": {
        const ca = query.get("ca");
        if (tee !== "sgx" || (ca !== "platform" && ca !== "processor")) return badRequest();
        const item = data.pckCrls[ca];
        if (!item) return undefined;
        const chain = { ...requestId, "SGX-PCK-CRL-Issuer-Chain": encodeURIComponent(item.chainPem) };
        if (query.get("encoding") === "der") return ok(item.der, "application/pkix-crl", chain);
        const pem = `-----BEGIN X509 CRL-----\n${Buffer.from(item.der).toString("base64").replace(/.{64}/g, "$&\n")}\n-----END X509 CRL-----\n`;
        return ok(pem, "application/x-pem-file", chain);
      }
      case "rootcacrl":
        return tee === "sgx" && data.rootCaCrl ? ok(data.rootCaCrl, "application/pkix-crl", requestId) : undefined;
    }
    return undefined;
  };
}

function badRequest(): StandInAnswer {
  return { status: 400, headers: { "content-type": "text/plain" }, body: new Uint8Array(Buffer.from("Bad Request")) };
}

/** The PCS data of one real sample folder, in either layout (dcap-qvl's collateral.json or Intel PCS files). */
export function pcsDataFromSample(sample: string): PcsData {
  const dir = fixturePath(sample);
  const data: PcsData = { tcbInfos: [], qeIdentities: {}, pckCrls: {} };
  const qvlPath = join(dir, "collateral.json");
  if (existsSync(qvlPath)) {
    const json = JSON.parse(readFileSync(qvlPath, "utf8")) as Record<string, string>;
    const signature = (value: unknown) => (typeof value === "string" ? value : Buffer.from(value as number[]).toString("hex"));
    const tcb = JSON.parse(json.tcb_info!) as { id: string; fmspc: string };
    data.tcbInfos.push({
      tee: tcb.id === "TDX" ? "tdx" : "sgx",
      fmspc: tcb.fmspc,
      body: `{"tcbInfo":${json.tcb_info},"signature":"${signature(json.tcb_info_signature)}"}`,
      chainPem: json.tcb_info_issuer_chain!,
    });
    const qe = JSON.parse(json.qe_identity!) as { id: string };
    data.qeIdentities[qe.id === "TD_QE" ? "tdx" : "sgx"] = {
      body: `{"enclaveIdentity":${json.qe_identity},"signature":"${signature(json.qe_identity_signature)}"}`,
      chainPem: json.qe_identity_issuer_chain!,
    };
    const pckCrl = new Uint8Array(Buffer.from(json.pck_crl!, "hex"));
    const ca = /Processor/.test(new X509Certificate(json.pck_crl_issuer_chain!).subject) ? "processor" : "platform";
    data.pckCrls[ca] = { der: pckCrl, chainPem: json.pck_crl_issuer_chain! };
    data.rootCaCrl = new Uint8Array(Buffer.from(json.root_ca_crl!, "hex"));
    return data;
  }
  const signingChain = `${derToPem(readFileSync(join(dir, "tcb_signing_cert.der")))}${rootPem()}`;
  const tcbBody = readFileSync(join(dir, "tcb_info.json"), "utf8");
  const tcb = (JSON.parse(tcbBody) as { tcbInfo: { id: string; fmspc: string } }).tcbInfo;
  data.tcbInfos.push({ tee: tcb.id === "TDX" ? "tdx" : "sgx", fmspc: tcb.fmspc, body: tcbBody, chainPem: signingChain });
  const qeBody = readFileSync(join(dir, "qe_identity.json"), "utf8");
  data.qeIdentities[(JSON.parse(qeBody) as { enclaveIdentity: { id: string } }).enclaveIdentity.id === "TD_QE" ? "tdx" : "sgx"] = { body: qeBody, chainPem: signingChain };
  data.pckCrls.platform = {
    der: new Uint8Array(readFileSync(join(dir, "pck_platform_crl.der"))),
    chainPem: `${derToPem(readFileSync(join(dir, "pck_platform_ca.der")))}${rootPem()}`,
  };
  data.rootCaCrl = new Uint8Array(readFileSync(join(dir, "intel_root_ca_crl.der")));
  return data;
}

/**
 * The PCS data of simulated DCAP collateral (src/tee/simulated, dev roots), as Intel would serve it: a PCS stand-in
 * for a simulated TEE's platform. `pckCrl` replaces the PCK CRL (e.g. one that revokes the dev PCK leaf).
 */
export function pcsDataFromSimulated(collateral: DcapCollateral, devRoots: DevRoots, pckCrl?: Uint8Array): PcsData {
  const tcbInfo = collateral.tcbInfo!;
  const qeIdentity = collateral.qeIdentity!;
  const pem = (certs: readonly X509Certificate[] = []) => certs.map((cert) => cert.toString()).join("");
  const signed = (member: string, item: { signedBytes: Uint8Array; signature: Uint8Array }) =>
    `{"${member}":${Buffer.from(item.signedBytes).toString("utf8")},"signature":"${Buffer.from(item.signature).toString("hex")}"}`;
  const tee = tcbInfo.body.id === "TDX" ? "tdx" : "sgx";
  return {
    tcbInfos: [{ tee, fmspc: Buffer.from(tcbInfo.body.fmspc).toString("hex"), body: signed("tcbInfo", tcbInfo), chainPem: pem(tcbInfo.issuerChain) }],
    qeIdentities: { [tee]: { body: signed("enclaveIdentity", qeIdentity), chainPem: pem(qeIdentity.issuerChain) } },
    pckCrls: { platform: { der: pckCrl ?? collateral.pckCrls![0]!.der, chainPem: pem([devRoots.intel.pckCa.certificate, devRoots.intel.root.certificate]) } },
    rootCaCrl: collateral.rootCaCrl!.der,
  };
}

/** What the KDS holds per product: VCEKs (found by hwID and TCB, read from their own extensions), cert chains, CRLs. */
export type KdsData = {
  vceks: Uint8Array[];
  certChains: Partial<Record<string, string>>;
  vlekCertChains: Partial<Record<string, string>>;
  crls: Partial<Record<string, Uint8Array>>;
};

/**
 * AMD KDS as documented: `/vcek/v1/{product}/{hwid}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=` (Turin: 8-byte hwid and
 * fmcSPL) answering the DER VCEK as application/octet-stream, `/{vcek,vlek}/v1/{product}/cert_chain` (PEM,
 * ASK or ASVK then ARK), `/{vcek,vlek}/v1/{product}/crl` (DER). Unknown chips or TCBs are 404.
 */
export function kdsHandler(data: KdsData): StandInHandler {
  return (path, query) => {
    const match = /^\/(vcek|vlek)\/v1\/(Milan|Genoa|Turin)\/([^/]+)$/.exec(path);
    if (!match) return undefined;
    const [, signer, product, leafOrItem] = match as unknown as [string, string, string, string];
    if (leafOrItem === "cert_chain") {
      const pem = (signer === "vlek" ? data.vlekCertChains : data.certChains)[product];
      return pem ? ok(pem, "application/x-pem-file") : undefined;
    }
    if (leafOrItem === "crl") {
      const crl = data.crls[`${signer}/${product}`];
      return crl ? ok(crl, "application/pkix-crl") : undefined;
    }
    if (signer !== "vcek") return undefined;
    const spl = (name: string) => Number(query.get(name));
    const vcek = data.vceks.find((der) => {
      const ext = readAmdExtensions(new X509Certificate(Buffer.from(der)));
      const hwid = Buffer.from(ext.hwId ?? []).toString("hex");
      return (
        (hwid === leafOrItem.toLowerCase() || (product === "Turin" && hwid.startsWith(leafOrItem.toLowerCase()))) &&
        ext.blSpl === spl("blSPL") &&
        ext.teeSpl === spl("teeSPL") &&
        ext.snpSpl === spl("snpSPL") &&
        ext.ucodeSpl === spl("ucodeSPL")
      );
    });
    return vcek ? ok(vcek, "application/octet-stream") : undefined;
  };
}

/** The KDS data of the real SNP samples: their VCEKs, and AMD's published ASK/ARK and ASVK/ARK chains. */
export function kdsDataFromFixtures(): KdsData {
  const roots = fixturePath("roots/amd-sev-snp");
  const read = (name: string) => readFileSync(join(roots, name), "latin1");
  const vceks = ["sev-snp/gosevguest-milan-vcek/vcek.der", "sev-snp/trustee-milan-vcek/vcek.der"].map((path) => new Uint8Array(readFileSync(fixturePath(path))));
  const genoa = new X509Certificate(readFileSync(fixturePath("sev-snp/trustee-azure-genoa-hcl/vcek.pem")));
  vceks.push(new Uint8Array(genoa.raw));
  const data: KdsData = { vceks, certChains: {}, vlekCertChains: {}, crls: {} };
  for (const product of ["Milan", "Genoa", "Turin"]) {
    const lower = product.toLowerCase();
    data.certChains[product] = `${read(`ask_${lower}.pem`)}${read(`ark_${lower}.pem`)}`;
    data.vlekCertChains[product] = read(`asvk_ark_${lower}_vlek.pem`);
  }
  return data;
}


/** NVIDIA's RIM service: GET /v1/rim/<id> → application/json `{ id, rim: base64, sha256 }`; unknown ids 404. */
export function rimService(rims: Record<string, Uint8Array>, ocsp?: (body: Uint8Array) => StandInAnswer | undefined) {
  return (path: string, _query?: URLSearchParams, body?: Uint8Array): StandInAnswer | undefined => {
    if (path === "/ocsp") return ocsp && body ? ocsp(body) : undefined;
    const id = /^\/v1\/rim\/([^/]+)$/.exec(path)?.[1];
    const rim = id ? rims[id] : undefined;
    if (!id || !rim) return undefined;
    const sha256 = createHash("sha256").update(rim).digest("hex");
    return ok(JSON.stringify({ id, rim: Buffer.from(rim).toString("base64"), sha256 }), "application/json");
  };
}
