import { readFileSync, statSync } from "node:fs";
import { getAddress, recoverAddress, type Address, type Hex } from "viem";
import { hashVerdict, measurementRegistryAbi, registerComposite, registerEnclave, type TeezkClients } from "../../../chain/index.js";
import { computeBindingFromKeyHash, TeeType, teeTypeName } from "../../../claims/index.js";
import { TeezkError } from "../../../errors/index.js";
import { gpuNotAnEnclave, MAX_EVIDENCE_FILE_BYTES } from "../../../evidence/verifyEvidence.js";
import { requestCommitteeVerdicts } from "../../../services/verifier/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { loadVerdictsFile, type VerdictsFile } from "./loadVerdictsFile.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

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
 * `teezk registry register`: registers an enclave key through the committee route with verdicts that verifier
 * nodes signed over its evidence's claims: asked here over HTTP (`evidenceFile` + `verifierUrls`,
 * requestCommitteeVerdicts with the expected binding and one verification time for every node) or collected beforehand (`verdictsFile`). Before any transaction it checks what the
 * contract would otherwise refuse with less context: that the claims carry the DESIGN §3 binding of (enclave,
 * HPKE key, nonce) and that each verdict is signed by its stated node for this committee and chain. Composite
 * evidence (`gpuEvidenceFile`, or verdicts over a composite) registers through registerComposite, GPUs checked to
 * answer the binding; a program that requires a GPU (MeasurementRegistry) without GPU evidence is
 * GPU_EVIDENCE_REQUIRED before any request.
 */
export async function registryRegister(parameters: RegistryRegisterParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, programId, enclave, hpkeKeyHash, nonce } = parameters;
  const enclaveRegistry = requireAddress(deployment, "enclaveRegistry");
  const committee = requireAddress(deployment, "committee");
  // From the key's hash: the CLI never needs the HPKE key itself.
  const binding = computeBindingFromKeyHash({ enclaveAddress: enclave, hpkeKeyHash, nonce });
  const chainId = await publicClient.getChainId().catch((error: unknown) => {
    throw explainChainError(error, "registry register");
  });
  const requiresGpu = await programRequiresGpu(parameters, programId);
  if (requiresGpu && "evidenceFile" in parameters && parameters.gpuEvidenceFile === undefined) throw gpuEvidenceRequired(programId);
  const file = "verdictsFile" in parameters ? loadVerdictsFile(parameters.verdictsFile) : await askVerifierNodes(parameters, binding, { chainId, verifyingContract: committee });
  // Verdicts collected elsewhere may be over a GPU's claims: no enclave stands behind them (the nodes refuse to sign them).
  if (file.claims.teeType === TeeType.NVIDIA_GPU) throw gpuNotAnEnclave();
  if (requiresGpu && file.gpuClaims.length === 0) throw gpuEvidenceRequired(programId);
  for (const [i, gpu] of file.gpuClaims.entries()) {
    if (gpu.teeType !== TeeType.NVIDIA_GPU) throw new TeezkError("MALFORMED", `GPU claims ${i} have TEE type ${gpu.teeType}, not NVIDIA_GPU (${TeeType.NVIDIA_GPU})`);
    if (gpu.reportData.toLowerCase() !== binding) {
      throw new TeezkError("BORROWED_GPU_REPORT", `GPU ${i}'s nonce is not the binding of --enclave, --hpke-key-hash and --nonce`, {
        details: `GPU nonce ${gpu.reportData}, expected ${binding}`,
      });
    }
  }
  if (file.claims.reportData.toLowerCase() !== binding) {
    throw new TeezkError("BINDING_MISMATCH", "The verified claims' reportData is not the binding of --enclave, --hpke-key-hash and --nonce", {
      details: `reportData ${file.claims.reportData}, expected ${binding}`,
      metaMessages: ["The enclave must attest with binding = keccak256(abi.encode(\"teezk/v1\", enclave, keccak256(hpkePublicKey), nonce)) (DESIGN §3)."],
    });
  }
  const digest = hashVerdict({ claimsHash: file.claimsHash, committee: { chainId, verifyingContract: committee } });
  for (const [i, verdict] of file.verdicts.entries()) {
    let recovered: Address;
    try {
      recovered = await recoverAddress({ hash: digest, signature: verdict.signature });
    } catch (cause) {
      throw new TeezkError("VERDICT_INVALID", `Verdict ${i} (${verdict.signer}) is not a valid signature`, { cause });
    }
    if (getAddress(recovered) !== verdict.signer) {
      throw new TeezkError("VERDICT_INVALID", `Verdict ${i} is not signed by ${verdict.signer} over these claims for committee ${committee} on chain ${chainId}`, {
        metaMessages: ["The verifier node signed for another committee address or chain, or over other claims: ask it again with this deployment's committee."],
      });
    }
  }
  try {
    const common = { publicClient, walletClient, enclaveRegistry, programId, claims: file.claims, enclave, hpkeKeyHash, nonce, verdicts: file.verdicts };
    // The verdicts are over the whole composite when GPUs came with the evidence: only registerComposite checks them.
    const tx = file.gpuClaims.length > 0 ? await registerComposite({ ...common, gpuClaims: file.gpuClaims }) : await registerEnclave(common);
    const tee = teeTypeName(file.claims.teeType) ?? String(file.claims.teeType);
    const gpus = file.gpuClaims.length > 0 ? ` and ${file.gpuClaims.length} GPU(s)` : "";
    return transactionOutput(
      "registry register",
      `registered ${tee} enclave ${enclave}${gpus} for program ${programId} with ${file.verdicts.length} verdict(s), live until ${isoTime(tx.expiresAt)}`,
      tx,
      deployment,
      {
        enclave,
        programId,
        teeType: file.claims.teeType,
        measurement: file.claims.measurement,
        ...(file.gpuClaims.length > 0 ? { gpuMeasurements: file.gpuClaims.map((gpu) => gpu.measurement) } : {}),
        claimsHash: file.claimsHash,
        verdicts: file.verdicts.length,
        expiresAt: tx.expiresAt,
      },
    );
  } catch (error) {
    throw explainChainError(error, "registry register");
  }
}

/**
 * Whether the program's enclaves must come with GPU claims (MeasurementRegistry.programRequiresGpu): asked before
 * the nodes, so a missing --gpu is said plainly rather than as the contract's GpuEvidenceRequired. Without a
 * MeasurementRegistry address the contract still refuses.
 */
async function programRequiresGpu(parameters: RegistryRegisterParameters, programId: Hex): Promise<boolean> {
  const measurementRegistry = parameters.deployment.measurementRegistry;
  if (!measurementRegistry) return false;
  return parameters.publicClient
    .readContract({ address: measurementRegistry, abi: measurementRegistryAbi, functionName: "programRequiresGpu", args: [programId] })
    .catch((error: unknown) => {
      throw explainChainError(error, "registry register");
    });
}

function gpuEvidenceRequired(programId: Hex): TeezkError {
  return new TeezkError("GPU_EVIDENCE_REQUIRED", `Program ${programId} requires a GPU: its enclaves register only with composite CPU+GPU evidence`, {
    metaMessages: ["Pass the GPU half with --gpu <file> (verifier nodes then sign over the whole composite), or verdicts collected over composite evidence."],
  });
}

/**
 * Sends the evidence to every node at once, as of one verification time (requestCommitteeVerdicts: TDX and
 * SEV-SNP claims carry the verification time, so nodes verifying as of their own clocks would sign different
 * claims), and requires all of them to answer over the same claims: a node that refuses fails the command with
 * the node's own code (VERDICT_REFUSED with the failed rules, CERT_EXPIRED, REQUEST_TIME_SKEWED, …) and its URL,
 * since registering with fewer verdicts than asked for is a decision for the operator, not the CLI.
 */
async function askVerifierNodes(
  parameters: { evidenceFile: string; gpuEvidenceFile?: string; verifierUrls: readonly string[]; timeoutMs?: number },
  binding: Hex,
  committee: { chainId: number; verifyingContract: Address },
): Promise<VerdictsFile> {
  if (parameters.verifierUrls.length === 0) throw new TeezkError("CONFIG_INVALID", "Pass at least one --verifier <url> (or --verdicts <file>)");
  const evidence = readEvidence(parameters.evidenceFile);
  const gpuEvidence = parameters.gpuEvidenceFile !== undefined ? readEvidence(parameters.gpuEvidenceFile) : undefined;
  const answered = await requestCommitteeVerdicts({
    urls: parameters.verifierUrls,
    evidence,
    ...(gpuEvidence ? { gpuEvidence } : {}),
    expectedBinding: binding,
    committee,
    ...(parameters.timeoutMs ? { timeoutMs: parameters.timeoutMs } : {}),
  });
  return { claims: answered.claims, gpuClaims: answered.gpuClaims ?? [], encodedClaims: answered.encodedClaims, claimsHash: answered.claimsHash, verdicts: answered.verdicts };
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
