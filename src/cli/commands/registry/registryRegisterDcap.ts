import type { Address, Hex } from "viem";
import { registerViaDcap, type TeezkClients } from "../../../chain/index.js";
import { computeBindingFromKeyHash, teeTypeName } from "../../../claims/index.js";
import { TeezkError } from "../../../errors/index.js";
import { isoTime, transactionOutput, type ChainCommandOutput } from "../../support/chainCommandOutput.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";
import { readQuote } from "../collateral/collateralPush.js";

export type RegistryRegisterDcapParameters = TeezkClients & {
  deployment: ChainDeployment;
  programId: Hex;
  enclave: Address;
  hpkeKeyHash: Hex;
  nonce: Hex;
  /** The enclave's raw TDX/SGX quote (binary, hex or base64). */
  quoteFile: string;
};

/**
 * `teezk registry register --route dcap`: registers an enclave with its raw quote through the on-chain DCAP route
 * (no committee, no verdicts). The claims are what the route derives at the current block; their binding is
 * checked here first, so a quote for another key or nonce fails with BINDING_MISMATCH before any transaction.
 */
export async function registryRegisterDcap(parameters: RegistryRegisterDcapParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, programId, enclave, hpkeKeyHash, nonce } = parameters;
  const enclaveRegistry = requireAddress(deployment, "enclaveRegistry");
  const dcapVerifier = requireAddress(deployment, "dcapVerifier");
  const quote = readQuote(parameters.quoteFile);
  const binding = computeBindingFromKeyHash({ enclaveAddress: enclave, hpkeKeyHash, nonce });
  try {
    const tx = await registerViaDcap({ publicClient, walletClient, enclaveRegistry, dcapVerifier, programId, enclave, hpkeKeyHash, nonce, quote });
    if (tx.claims.reportData.toLowerCase() !== binding) throw new TeezkError("BINDING_MISMATCH", "The quote's report data is not the binding of --enclave, --hpke-key-hash and --nonce");
    const tee = teeTypeName(tx.claims.teeType) ?? String(tx.claims.teeType);
    return transactionOutput("registry register", `registered ${tee} enclave ${enclave} for program ${programId} through the on-chain DCAP route, live until ${isoTime(tx.expiresAt)}`, tx, deployment, {
      enclave,
      programId,
      route: "dcap",
      teeType: tx.claims.teeType,
      measurement: tx.claims.measurement,
      tcbStatus: tx.claims.tcbStatus,
      expiresAt: tx.expiresAt,
    });
  } catch (error) {
    throw explainChainError(error, "registry register");
  }
}
