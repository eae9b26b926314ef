import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DcapCollateral } from "../../evidence/tdx/collateral/index.js";
import { TeezkError } from "../../errors/index.js";
import { crlPem } from "./issueDevCrl.js";
import type { SimulateEvidenceReturnType } from "./simulateEvidence.js";

export type WriteCollateralFolderParameters = {
  simulated: SimulateEvidenceReturnType;
  /** Parent folder; default the system temp folder. */
  parentDir?: string;
};
/** The folder, or undefined when the vendor needs no collateral (Nitro: the chain is in the document). */
export type WriteCollateralFolderReturnType = string | undefined;
export type WriteCollateralFolderErrorType = TeezkError;

/**
 * Writes a simulated TEE's collateral as the folder `verifyEvidence` (and `teezk verify --collateral`) reads:
 * DCAP as an Intel PCS folder (tcb_info.json, qe_identity.json, tcb_signing_chain.pem, the PCK and root CRLs as
 * PEM), SEV-SNP and NVIDIA as
 * their PEM files. Verification reads folders, not objects, so the same code path checks real and simulated
 * collateral.
 */
export function writeCollateralFolder({ simulated, parentDir }: WriteCollateralFolderParameters): WriteCollateralFolderReturnType {
  const files = collateralFiles(simulated);
  if (!files) return undefined;
  try {
    if (parentDir) mkdirSync(parentDir, { recursive: true });
    const dir = mkdtempSync(join(parentDir ?? tmpdir(), `teezk-${simulated.vendor}-collateral-`));
    if (!parentDir) removeAtExit(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `Cannot write the simulated ${simulated.vendor} collateral folder`, { cause });
  }
}

const foldersToRemove = new Set<string>();

/**
 * Folders in the system temp folder belong to this process (a node serves them for its whole life, so no caller
 * can remove them earlier); without this every simulated attestation left one behind.
 */
function removeAtExit(dir: string): void {
  if (foldersToRemove.size === 0) {
    process.once("exit", () => {
      for (const folder of foldersToRemove) rmSync(folder, { recursive: true, force: true });
    });
  }
  foldersToRemove.add(dir);
}

function collateralFiles(simulated: SimulateEvidenceReturnType): Record<string, string> | undefined {
  if (simulated.collateralFiles) return simulated.collateralFiles;
  if (simulated.vendor !== "tdx" && simulated.vendor !== "sgx") return undefined;
  const collateral = simulated.collateral as DcapCollateral | undefined;
  if (!collateral?.tcbInfo || !collateral.qeIdentity) return undefined;
  const item = (member: string, signed: NonNullable<DcapCollateral["tcbInfo"]> | NonNullable<DcapCollateral["qeIdentity"]>) =>
    `{"${member}":${Buffer.from(signed.signedBytes).toString("utf8")},"signature":"${Buffer.from(signed.signature).toString("hex")}"}`;
  const pckCrl = collateral.pckCrls?.[0];
  return {
    "tcb_info.json": item("tcbInfo", collateral.tcbInfo),
    "qe_identity.json": item("enclaveIdentity", collateral.qeIdentity),
    "tcb_signing_chain.pem": (collateral.tcbInfo.issuerChain ?? []).map((c) => c.toString()).join(""),
    // PEM, so the folder also travels in a prover's text-only attestation answer.
    ...(pckCrl ? { "pck_platform_crl.pem": crlPem(pckCrl.der) } : {}),
    ...(collateral.rootCaCrl ? { "intel_root_ca_crl.pem": crlPem(collateral.rootCaCrl.der) } : {}),
  };
}
