import { readFileSync, statSync } from "node:fs";
import type { Address, Hex } from "viem";
import { registerThroughCommittee, registerWithVerdicts, type RegisterWithVerdictsReturnType, type TeezkClients } from "../../../chain/index.js";
import { teeTypeName, type Claims } from "../../../claims/index.js";
import { TeezkError } from "../../../errors/index.js";
import { MAX_EVIDENCE_FILE_BYTES } from "../../../evidence/verifyEvidence.js";
import { requestCommitteeVerdicts } from "../../../services/verifier/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";
import { loadVerdictsFile } from "./loadVerdictsFile.js";

export type RegistryRegisterParameters = TeezkClients & {
  deployment: ChainDeployment;
  programId: Hex;
  /** The enclave's signing address. */
  enclave: Address;
  /** keccak256 of the enclave's HPKE public key. */
  hpkeKeyHash: Hex;
  /** The challenge (`registry challenge`) or recent block hash the enclave bound into its evidence. */
  nonce: Hex;
} & (
    | {
        /** Committee verdicts already collected from verifier nodes (see loadVerdictsFile for the shapes). */
        verdictsFile: string;
      }
    | {
        /** The enclave's evidence file, sent to every verifier node. */
        evidenceFile: string;
        /** The GPU half of composite CPU+GPU evidence, sent with it (the nodes appraise both halves). */
        gpuEvidenceFile?: string;
        /** Verifier-node base URLs (`teezk serve verifier`), one per committee member to ask. */
        verifierUrls: readonly string[];
        /** Per-node request timeout (default the client's 120 s). */
        timeoutMs?: number;
      }
  );
export type RegistryRegisterErrorType = TeezkError;

/**
 * `teezk registry register`: registers an enclave key through the committee route, with the registration flow of
 * src/chain. With `evidenceFile` + `verifierUrls`, registerThroughCommittee for the given nonce: every node is
 * asked over HTTP (requestCommitteeVerdicts: the expected binding, one verification time) and a node that
 * refuses fails the command with its own code and URL, since registering with fewer verdicts than asked for is the
 * operator's decision. With `verdictsFile`, registerWithVerdicts on verdicts collected beforehand. Either way the
 * library checks before any transaction what the contract would refuse with less context (binding, GPU nonces,
 * verdict signatures, a GPU program's enclave without GPU evidence) and registers a composite when GPUs came.
 */
export async function registryRegister(parameters: RegistryRegisterParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, programId, enclave, hpkeKeyHash, nonce } = parameters;
  const common = {
    publicClient,
    walletClient,
    enclaveRegistry: requireAddress(deployment, "enclaveRegistry"),
    committee: requireAddress(deployment, "committee"),
    ...(deployment.measurementRegistry ? { measurementRegistry: deployment.measurementRegistry } : {}),
    programId,
    nonce,
  };
  if ("verifierUrls" in parameters && parameters.verifierUrls.length === 0) throw new TeezkError("CONFIG_INVALID", "Pass at least one --verifier <url> (or --verdicts <file>)");
  let outcome: { claims: Claims; gpuClaims: readonly Claims[]; verdicts: number; registered: RegisterWithVerdictsReturnType };
  try {
    if ("verdictsFile" in parameters) {
      const file = loadVerdictsFile(parameters.verdictsFile);
      const registered = await registerWithVerdicts({ ...common, enclave, hpkeKeyHash, claims: file.claims, gpuClaims: file.gpuClaims, verdicts: file.verdicts });
      outcome = { claims: file.claims, gpuClaims: file.gpuClaims, verdicts: file.verdicts.length, registered };
    } else {
      const { evidenceFile, gpuEvidenceFile, verifierUrls, timeoutMs } = parameters;
      const flow = await registerThroughCommittee({
        ...common,
        attest: async () => ({
          enclaveAddress: enclave,
          hpkeKeyHash,
          evidence: readEvidence(evidenceFile),
          ...(gpuEvidenceFile !== undefined ? { gpuEvidence: readEvidence(gpuEvidenceFile) } : {}),
        }),
        collectVerdicts: async ({ attestation, binding, committee }) =>
          (
            await requestCommitteeVerdicts({
              urls: verifierUrls,
              evidence: attestation.evidence,
              ...(attestation.gpuEvidence ? { gpuEvidence: attestation.gpuEvidence } : {}),
              expectedBinding: binding,
              committee,
              ...(timeoutMs ? { timeoutMs } : {}),
            })
          ).answers,
      });
      outcome = { claims: flow.claims, gpuClaims: flow.gpuClaims, verdicts: flow.verdicts.length, registered: flow.registered };
    }
  } catch (error) {
    throw explainChainError(error, "registry register");
  }
  return registeredOutput(parameters, outcome);
}

function registeredOutput(
  { deployment, enclave, programId }: RegistryRegisterParameters,
  { claims, gpuClaims, verdicts, registered }: { claims: Claims; gpuClaims: readonly Claims[]; verdicts: number; registered: RegisterWithVerdictsReturnType },
): ChainCommandOutput {
  const tee = teeTypeName(claims.teeType) ?? String(claims.teeType);
  const gpus = gpuClaims.length > 0 ? ` and ${gpuClaims.length} GPU(s)` : "";
  return transactionOutput(
    "registry register",
    `registered ${tee} enclave ${enclave}${gpus} for program ${programId} with ${verdicts} verdict(s), live until ${isoTime(registered.expiresAt)}`,
    registered,
    deployment,
    {
      enclave,
      programId,
      teeType: claims.teeType,
      measurement: claims.measurement,
      ...(gpuClaims.length > 0 ? { gpuMeasurements: gpuClaims.map((gpu) => gpu.measurement) } : {}),
      claimsHash: registered.claimsHash,
      verdicts,
      expiresAt: registered.expiresAt,
    },
  );
}

function readEvidence(path: string): Uint8Array {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw new TeezkError("CONFIG_INVALID", `Cannot read the evidence file ${path}`);
  }
  if (size > MAX_EVIDENCE_FILE_BYTES) throw new TeezkError("INPUT_TOO_LARGE", `The evidence file ${path} is ${size} bytes; the cap is ${MAX_EVIDENCE_FILE_BYTES}`);
  return new Uint8Array(readFileSync(path));
}
