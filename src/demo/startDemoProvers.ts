import { isAddress, type Address, type Hex } from "viem";
import type { Devnet, EnclaveAttestation } from "../devnet/index.js";
import { TeezkError } from "../errors/index.js";
import type { Groth16Proof, Prover } from "../prover/index.js";
import { requestService, serveApp } from "../services/http/index.js";
import { createProverNode, createSimulatedEvidenceSource, type ProverNode } from "../services/prover/index.js";
import type { Archive } from "../store/index.js";
import type { DevRoots } from "../tee/simulated/index.js";

/** The CPU TEE vendors the demo simulates. */
export type DemoVendor = "tdx" | "sevsnp" | "nitro";

/** A prover node on loopback, backed by a simulated TEE. */
export type DemoProver = {
  vendor: DemoVendor;
  url: string;
  node: ProverNode;
  enclaveAddress: Address;
  hpkePublicKey: Hex;
  /** The node's `GET /v1/attestation` for `nonce`, as registerThroughCommittee takes it. */
  attest: (nonce: Hex) => Promise<EnclaveAttestation>;
  close: () => Promise<void>;
};

export type StartDemoProversParameters = {
  devnet: Devnet;
  vendors: readonly DemoVendor[];
  devRoots: DevRoots;
  /** One snarkjs prover process for every node (the caller closes it). */
  prover: Prover<Groth16Proof>;
  archive?: Archive;
};

/**
 * One prover node per vendor, each on its own loopback port with its own per-boot keys, signing receipts for the
 * devnet's ReceiptVerifier under the devnet's program id (the id PrivateProofVerifier was deployed with). They
 * share one snarkjs prover process: the machine has two cores, and proofs are serialized there anyway.
 */
export async function startDemoProvers({ devnet, vendors, devRoots, prover, archive }: StartDemoProversParameters): Promise<DemoProver[]> {
  const started: DemoProver[] = [];
  try {
    for (const vendor of vendors) {
      const node = await createProverNode({
        evidenceSource: createSimulatedEvidenceSource({ vendor, devRoots }),
        receiptDomain: { chainId: devnet.chainId, verifyingContract: devnet.addresses.receiptVerifier },
        programIds: { membership: devnet.programId },
        prover,
        ...(archive ? { archive } : {}),
      });
      const served = await serveApp(node.app);
      started.push({
        vendor,
        url: served.url,
        node,
        enclaveAddress: node.enclaveAddress,
        hpkePublicKey: node.hpkePublicKey,
        attest: (nonce) => fetchAttestation(served.url, nonce),
        close: async () => {
          await served.close();
          await node.close();
        },
      });
    }
  } catch (error) {
    for (const p of started) await p.close().catch(() => undefined);
    throw error;
  }
  return started;
}

/**
 * A prover node's evidence for `nonce`, as the committee needs it: the evidence bytes and the keys it binds. The
 * verifier nodes keep their own collateral, so the collateral the node serves is not passed on.
 */
async function fetchAttestation(url: string, nonce: Hex): Promise<EnclaveAttestation> {
  const answer = (await requestService(`${url}/v1/attestation?nonce=${nonce}`, { timeoutMs: 30_000, maxResponseBytes: 4 * 1024 * 1024 })) as Record<string, unknown>;
  const { evidence, enclaveAddress, hpkePublicKey } = answer;
  if (typeof evidence !== "string" || typeof enclaveAddress !== "string" || !isAddress(enclaveAddress) || typeof hpkePublicKey !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(hpkePublicKey)) {
    throw new TeezkError("SERVICE_UNREACHABLE", `${url} answered /v1/attestation without evidence, enclave address and HPKE key`);
  }
  return { enclaveAddress, hpkePublicKey: hpkePublicKey as Hex, evidence: new Uint8Array(Buffer.from(evidence, "base64")) };
}
