import { join } from "node:path";
import { keccak256, toHex, type Address, type Hex } from "viem";
import type { Claims } from "../claims/index.js";
import {
  allowClaims,
  buildDevReferenceValues,
  createSimulatedEnclave,
  devAccount,
  probeSimulatedClaims,
  registerThroughCommittee,
  startDevnet,
  writeCollateralFolder,
  type Devnet,
  type EnclaveAttestation,
  type RegisterThroughCommitteeReturnType,
  type SimulatedEnclave,
} from "../devnet/index.js";
import type { EvidenceKind } from "../evidence/detectEvidenceType.js";
import type { ReferenceValues } from "../policy/index.js";
import { createGroth16Prover, type Groth16Proof, type Prover } from "../prover/index.js";
import { serveApp } from "../services/http/index.js";
import { createVerifierNode, requestCommitteeVerdicts } from "../services/verifier/index.js";
import type { Archive } from "../store/index.js";
import { simulateEvidence, type DevRoots } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import type { StepRecorder } from "./createStepRecorder.js";
import { startDemoProvers, type DemoProver, type DemoVendor } from "./startDemoProvers.js";

/** The three CPU TEEs the demo runs prover nodes on, one per vendor. */
export const DEMO_VENDORS: readonly DemoVendor[] = ["tdx", "sevsnp", "nitro"];
export const DEMO_COMMITTEE_SIZE = 3;

export type DemoVerifier = { url: string; address: Address; close: () => Promise<void> };

export type StartDemoNetworkParameters = {
  recorder: StepRecorder;
  archive: Archive;
  /** Folder for collateral files. */
  workDir: string;
  devRoots: DevRoots;
  /** Everything started is pushed here, to be closed in reverse order. */
  closers: (() => Promise<void>)[];
};

/** The running system: chain, nodes, and every enclave registered. */
export type DemoNetwork = {
  devnet: Devnet;
  verifiers: DemoVerifier[];
  provers: DemoProver[];
  /** What governance and the nodes allow, per vendor (the simulated default measurement and dev root). */
  allowed: Record<DemoVendor, Claims>;
  /** What the delegating client trusts: the same measurements and roots. */
  referenceValues: ReferenceValues;
  trustedRoots: PinnedRoot[];
  /** The prover process every node proves with, and the client verifies with. */
  groth16: Prover<Groth16Proof>;
  registered: Record<DemoVendor, RegisterThroughCommitteeReturnType>;
  /** In-process enclaves of the three vendors that sign rollup roots and receipt batches (no node serves that). */
  rollupSigners: Record<DemoVendor, SimulatedEnclave>;
  /** The committee registration with every verdict fetched from the verifier nodes over HTTP. */
  register: (attest: (nonce: Hex) => Promise<EnclaveAttestation>) => Promise<RegisterThroughCommitteeReturnType>;
};

const word = (label: string): Hex => keccak256(toHex(label));
const LABEL: Record<DemoVendor, string> = { tdx: "TDX", sevsnp: "SEV-SNP", nitro: "Nitro" };

/**
 * The demo's system up to registered enclaves, one recorded step at a time: deploy (Ignition, timelock
 * governor), governance allowing the three simulated measurements, three verifier nodes and three prover nodes
 * on loopback, and every enclave registered through the committee path with verdicts fetched over HTTP.
 */
export async function startDemoNetwork({ recorder, archive, workDir, devRoots, closers }: StartDemoNetworkParameters): Promise<DemoNetwork> {
  const collateralDir = join(workDir, "collateral");
  // What governance and the nodes allow: each simulated vendor's default measurement, anchored at its dev root.
  const probes = Object.fromEntries(
    DEMO_VENDORS.map((vendor) => [vendor, probeSimulatedClaims({ vendor, now: new Date(), devRoots, collateralParentDir: collateralDir })]),
  ) as Record<DemoVendor, ReturnType<typeof probeSimulatedClaims>>;
  const allowed = Object.fromEntries(DEMO_VENDORS.map((vendor) => [vendor, probes[vendor].claims])) as Record<DemoVendor, Claims>;
  const trustedRoots = DEMO_VENDORS.map((vendor) => probes[vendor].trustedRoot);
  const referenceValues = buildDevReferenceValues({ allowed: Object.values(allowed) });
  const committeeAccounts = Array.from({ length: DEMO_COMMITTEE_SIZE }, (_, i) => devAccount(`demo verifier node ${i}`));
  const programId = word("teezk demo program: membership proofs and rollup roots");
  // One snarkjs process proves for every node and checks proofs for the client: two cores, one prover.
  const groth16 = createGroth16Prover();
  closers.push(() => groth16.close());

  const devnet = await recorder.run(
    "deploy",
    "deploy teezk on an in-process chain (Ignition: core + TeeQuorumRoots + membership PrivateProofVerifier; timelock governs)",
    async () => {
      const started = await startDevnet({ committee: committeeAccounts.map((a) => a.address), programId });
      closers.push(started.close);
      recorder.attachChain({ clients: started.clients, chainId: started.chainId });
      return started;
    },
    (started) => `timelock ${started.addresses.timelock}, ${started.committee.length}-of-${started.committee.length} committee`,
  );

  await recorder.run(
    "govern",
    "governance: allow the TDX, SEV-SNP and Nitro measurements and dev roots (one timelock proposal, delay elapsed)",
    () => allowClaims({ devnet, claims: DEMO_VENDORS.map((vendor) => allowed[vendor]) }),
    (governed) => `schedule ${governed.scheduleHash.slice(0, 10)}…, execute ${governed.executeHash.slice(0, 10)}…`,
  );

  const verifiers = await recorder.run(
    "verifier-nodes",
    `start ${DEMO_COMMITTEE_SIZE} verifier nodes (loopback HTTP)`,
    async () => {
      // A verifier node reads collateral folders it keeps per kind; the simulated platforms' collateral is fixed.
      const collateral: Partial<Record<EvidenceKind, string>> = {};
      for (const vendor of ["tdx", "sevsnp"] as const) {
        const dir = writeCollateralFolder({ simulated: simulateEvidence({ vendor, binding: word("collateral"), devRoots }), parentDir: collateralDir });
        if (dir) collateral[vendor] = dir;
      }
      const started: DemoVerifier[] = [];
      for (const account of committeeAccounts) {
        const node = createVerifierNode({
          account,
          committee: { chainId: devnet.chainId, verifyingContract: devnet.addresses.committee },
          referenceValues,
          extraTrustedRoots: trustedRoots,
          collateral,
          archive,
        });
        const served = await serveApp(node.app);
        closers.push(served.close);
        started.push({ url: served.url, address: node.address, close: served.close });
      }
      return started;
    },
    (started) => started.map((v) => v.url).join(" "),
  );

  const provers = await recorder.run(
    "prover-nodes",
    "start 3 prover nodes on simulated TEEs: TDX, SEV-SNP, Nitro (loopback HTTP)",
    async () => {
      const started = await startDemoProvers({ devnet, vendors: DEMO_VENDORS, devRoots, prover: groth16, archive });
      for (const prover of started) closers.push(prover.close);
      return started;
    },
    (started) => started.map((p) => `${p.vendor} ${p.url}`).join(", "),
  );

  // Every registration takes the committee path, with each verdict fetched from a verifier node over HTTP.
  const register = (attest: (nonce: Hex) => Promise<EnclaveAttestation>) =>
    registerThroughCommittee({
      devnet,
      attest,
      // One verification time for all three nodes (their clocks, not the chain's: governance moved the chain
      // ahead), so TDX and SEV-SNP claims, which carry it as their timestamp, hash the same at every node.
      collectVerdicts: async ({ attestation, binding }) =>
        (
          await requestCommitteeVerdicts({
            urls: verifiers.map((verifier) => verifier.url),
            evidence: attestation.evidence,
            expectedBinding: binding,
            committee: { chainId: devnet.chainId, verifyingContract: devnet.addresses.committee },
            expectedSigners: verifiers.map((verifier) => verifier.address),
          })
        ).answers,
    });

  const registered: Partial<DemoNetwork["registered"]> = {};
  for (const prover of provers) {
    registered[prover.vendor] = await recorder.run(
      `register-${prover.vendor}`,
      `register the ${LABEL[prover.vendor]} prover node's enclave: registry challenge → its /v1/attestation → ${verifiers.length} verdicts over HTTP → EnclaveRegistry`,
      () => register(prover.attest),
      (result) => `${result.enclave}, live until ${new Date(Number(result.expiresAt) * 1000).toISOString()}`,
    );
  }

  const rollupSigners = await recorder.run(
    "register-rollup",
    "register 3 rollup-signer enclaves (TDX, SEV-SNP, Nitro; simulated in-process) through the same committee path",
    async () => {
      const signers: Partial<Record<DemoVendor, SimulatedEnclave>> = {};
      for (const vendor of DEMO_VENDORS) {
        const enclave = await createSimulatedEnclave({ vendor, label: `demo rollup signer ${vendor}`, devRoots, collateralParentDir: collateralDir });
        await register(enclave.attest);
        signers[vendor] = enclave;
      }
      return signers as Record<DemoVendor, SimulatedEnclave>;
    },
    (signers) => Object.values(signers).map((s) => `${s.vendor} ${s.address.slice(0, 10)}…`).join(", "),
  );

  return {
    devnet,
    verifiers,
    provers,
    allowed,
    referenceValues,
    trustedRoots,
    groth16,
    registered: registered as DemoNetwork["registered"],
    rollupSigners,
    register,
  };
}
