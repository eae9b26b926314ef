import { sign, type X509Certificate } from "node:crypto";
import { BasicOCSPResponse, CertStatus, id_pkix_ocsp_basic, id_pkix_ocsp_nonce, OCSPResponse, OCSPResponseStatus, ResponderID, ResponseBytes, ResponseData, RevokedInfo, SingleResponse } from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate, Extension } from "@peculiar/asn1-x509";
import { ocspCertId } from "../../evidence/nvidia/gpuOcsp.js";
import type { DevKeyPair, DevRoots } from "./types.js";

const HOUR_MS = 3_600_000;
const ECDSA_SHA384 = "1.2.840.10045.4.3.3";

export type SimulateGpuOcspParameters = {
  devRoots: DevRoots;
  /** The device chain, leaf first, as simulateGpuReport returns it (ending at the dev root). */
  certificateChain: readonly X509Certificate[];
  now: Date;
  status?: "good" | "revoked" | "unknown";
  /** Default now − 1 h and now + 23 h (NVIDIA's answers are valid about a day). */
  thisUpdate?: Date;
  nextUpdate?: Date;
  nonce?: Uint8Array;
};

/**
 * OCSP answers for every non-root certificate of a simulated GPU device chain, each signed by its issuing dev CA
 * (the CA signs its own answers: no delegated responder), DER OCSPResponse as a responder sends them.
 */
export function simulateGpuOcsp(parameters: SimulateGpuOcspParameters): Uint8Array[] {
  const { devRoots, certificateChain, now } = parameters;
  const issuers: DevKeyPair[] = [devRoots.nvidia.deviceCa, devRoots.nvidia.ica, devRoots.nvidia.root];
  return certificateChain.slice(0, -1).map((certificate, index) => {
    const issuer = issuers.find((pair) => pair.certificate.raw.equals(certificateChain[index + 1]!.raw));
    if (!issuer) throw new RangeError(`certificate ${index} of the chain is not issued by a dev NVIDIA CA`);
    return simulateOcspResponse({ ...parameters, certificate, issuer });
  });
}

function simulateOcspResponse(parameters: SimulateGpuOcspParameters & { certificate: X509Certificate; issuer: DevKeyPair }): Uint8Array {
  const { certificate, issuer, now, status = "good", nonce } = parameters;
  const certStatus =
    status === "good"
      ? new CertStatus({ good: null })
      : status === "revoked"
        ? new CertStatus({ revoked: new RevokedInfo({ revocationTime: new Date(now.getTime() - 48 * HOUR_MS) }) })
        : new CertStatus({ unknown: null });
  const data = new ResponseData({
    responderID: new ResponderID({ byName: AsnConvert.parse(issuer.certificate.raw, Certificate).tbsCertificate.subject }),
    producedAt: now,
    responses: [
      new SingleResponse({
        certID: ocspCertId({ certificate, issuer: issuer.certificate }),
        certStatus,
        thisUpdate: parameters.thisUpdate ?? new Date(now.getTime() - HOUR_MS),
        nextUpdate: parameters.nextUpdate ?? new Date(now.getTime() + 23 * HOUR_MS),
      }),
    ],
    ...(nonce ? { responseExtensions: [new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(AsnConvert.serialize(new OctetString(nonce))) })] } : {}),
  });
  const signature = sign("sha384", Buffer.from(AsnConvert.serialize(data)), issuer.privateKey);
  const basic = new BasicOCSPResponse({ tbsResponseData: data, signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_SHA384 }), signature: new Uint8Array(signature).buffer });
  const outer = new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
  });
  return new Uint8Array(AsnConvert.serialize(outer));
}
