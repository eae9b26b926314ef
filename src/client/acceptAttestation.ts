import { isAddressEqual, type Hex } from "viem";
import { TeezkError } from "../errors/index.js";
import type { ReferenceValues } from "../policy/index.js";
import { collateralFileSet } from "../evidence/collateralFiles.js";
import { parseAttestationResponse } from "../protocol/index.js";
import type { ContractDomain } from "../receipts/types.js";
import type { DevRoots } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import { prepareOwnCollateral, type ClientCollateralSources } from "./ownCollateral.js";
import { verifyAttestation, type VerifiedAttestation } from "./verifyAttestation.js";

export type AcceptAttestationParameters = {
  /** The node's `GET /v1/attestation` answer, parsed JSON of unknown shape. */
  attestation: unknown;
  nonce: Hex;
  circuit: string;
  /** The programId receipts must carry; the node must announce exactly it for `circuit`. */
  programId: Hex;
  /** When given, the node must sign receipts for exactly this ReceiptVerifier. */
  receiptDomain?: ContractDomain;
  referenceValues: ReferenceValues;
  trustedRoots?: readonly PinnedRoot[];
  allowDevRoots?: boolean;
  devRoots?: DevRoots;
  collateralDir: readonly string[];
  collateralSources?: ClientCollateralSources;
  now: Date;
};

/**
 * The delegation client's "verify" step: its own collateral for the node's evidence (and the GPU half's) when it
 * fetches its own, the attestation verified for this nonce (`verifyAttestation`), then the node's announced
 * program and receipt domain checked against what this client expects — all before anything is sealed.
 */
export async function acceptAttestation(parameters: AcceptAttestationParameters): Promise<VerifiedAttestation> {
  const { circuit, programId, now } = parameters;
  const body = parseAttestationResponse(parameters.attestation);
  const sources = parameters.collateralSources;
  const own = sources ? await prepareOwnCollateral({ evidence: body.evidence, kind: body.kind, now, sources }) : undefined;
  // The GPU half's RIMs and OCSP answers too: the prover must not choose which of them the client sees.
  const ownGpu = sources && body.gpuEvidence && body.kind !== "nvidia" ? await prepareOwnCollateral({ evidence: body.gpuEvidence, kind: "nvidia", now, sources }) : undefined;
  const verified = verifyAttestation({
    attestation: parameters.attestation,
    nonce: parameters.nonce,
    referenceValues: parameters.referenceValues,
    now,
    ...(parameters.trustedRoots ? { trustedRoots: parameters.trustedRoots } : {}),
    ...(parameters.allowDevRoots ? { allowDevRoots: true } : {}),
    ...(parameters.devRoots ? { devRoots: parameters.devRoots } : {}),
    ...(parameters.collateralDir.length ? { collateralDir: parameters.collateralDir } : {}),
    ...(own?.files ? { collateral: [collateralFileSet("the client's own collateral", own.files)] } : {}),
    ...(ownGpu?.files ? { gpuCollateral: [collateralFileSet("the client's own GPU collateral", ownGpu.files)] } : {}),
    ...(own || ownGpu ? { onVerified: () => [own, ownGpu].forEach((set) => set?.commit()) } : {}),
  });
  const announced = verified.programIds[circuit];
  if (announced === undefined) {
    throw new TeezkError("REQUEST_INVALID", `The prover does not prove circuit "${circuit}"; nothing was sealed`, {
      details: `it proves: ${Object.keys(verified.programIds).join(", ") || "nothing"}`,
    });
  }
  if (announced.toLowerCase() !== programId) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", `The prover signs "${circuit}" receipts for program ${announced}, not ${programId}; nothing was sealed`, {
      metaMessages: ["Pass the programId the PrivateProofVerifier was deployed with, or start the node with it."],
    });
  }
  const expected = parameters.receiptDomain;
  if (
    expected &&
    (BigInt(expected.chainId) !== BigInt(verified.receiptDomain.chainId) || !isAddressEqual(expected.verifyingContract, verified.receiptDomain.verifyingContract))
  ) {
    throw new TeezkError("RECEIPT_CONTEXT_MISMATCH", "The prover signs receipts for another ReceiptVerifier than expected; nothing was sealed", {
      details: `expected ${expected.verifyingContract} on chain ${expected.chainId}, node signs for ${verified.receiptDomain.verifyingContract} on chain ${verified.receiptDomain.chainId}`,
    });
  }
  return verified;
}
