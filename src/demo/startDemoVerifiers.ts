import type { Address, LocalAccount } from "viem";
import { writeCollateralFolder, type Devnet } from "../devnet/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import type { ReferenceValues } from "../policy/index.js";
import { serveApp } from "../services/http/index.js";
import { createVerifierNode } from "../services/verifier/index.js";
import type { Archive } from "../store/index.js";
import { simulateEvidence, type DevRoots } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import { word } from "./word.js";

export type DemoVerifier = { url: string; address: Address; close: () => Promise<void> };

export type StartDemoVerifiersParameters = {
  devnet: Devnet;
  /** One node per committee key, in order. */
  accounts: readonly LocalAccount[];
  referenceValues: ReferenceValues;
  trustedRoots: readonly PinnedRoot[];
  devRoots: DevRoots;
  collateralDir: string;
  archive: Archive;
};

/** The committee's verifier nodes on loopback, each signing verdicts with its own key for the devnet's committee. */
export async function startDemoVerifiers({ devnet, accounts, referenceValues, trustedRoots, devRoots, collateralDir, archive }: StartDemoVerifiersParameters): Promise<DemoVerifier[]> {
  // A verifier node reads collateral folders it keeps per kind; the simulated platforms' collateral is fixed.
  const collateral: Partial<Record<EvidenceKind, string>> = {};
  for (const vendor of ["tdx", "sevsnp"] as const) {
    const dir = writeCollateralFolder({ simulated: simulateEvidence({ vendor, binding: word("collateral"), devRoots }), parentDir: collateralDir });
    if (dir) collateral[vendor] = dir;
  }
  const started: DemoVerifier[] = [];
  try {
    for (const account of accounts) {
      const node = createVerifierNode({
        account,
        committee: { chainId: devnet.chainId, verifyingContract: devnet.addresses.committee },
        referenceValues,
        extraTrustedRoots: [...trustedRoots],
        collateral,
        archive,
      });
      const served = await serveApp(node.app);
      started.push({ url: served.url, address: node.address, close: served.close });
    }
  } catch (error) {
    for (const verifier of started) await verifier.close().catch(() => undefined);
    throw error;
  }
  return started;
}
