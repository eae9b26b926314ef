import type { Hex } from "viem";
import { parseReferenceValues } from "../../../src/policy/index.js";
import { rootHashOf, sample, sampleFile, tdxExpected } from "../../services/support/realEvidence.js";

/** The real TDX sample the service tests fetch collateral for, and a policy its evidence passes with full collateral. */
export const tdxSample = sample("tdx/dcapqvl-v4-b0c06f");
export const tdxQuote = sampleFile(tdxSample);
export const committee = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000c0ffee01" as Hex };
export const referenceValues = parseReferenceValues({
  version: 1,
  tee: {
    TDX: {
      allowedMeasurements: [tdxExpected(tdxQuote).measurement],
      allowedRoots: [rootHashOf("roots/intel-sgx/Intel_SGX_Root_CA.pem")],
      acceptedTcbStatuses: ["UP_TO_DATE"],
      requiredChecks: ["tcbInfo", "qeIdentity", "pckRevocation", "rootRevocation"],
    },
  },
});
