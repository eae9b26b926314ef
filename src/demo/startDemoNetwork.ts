import { join } from "node:path";
import type { Hex } from "viem";
import type { Claims } from "../claims/index.js";
import {
  allowClaims,
  buildDevReferenceValues,
  devAccount,
  probeSimulatedClaims,
  type Devnet,
  type EnclaveAttestation,
  type RegisterThroughCommitteeReturnType,
  type SimulatedEnclave,
} from "../devnet/index.js";
import type { ReferenceValues } from "../policy/index.js";
import { createGroth16Prover, type Groth16Proof, type Prover } from "../prover/index.js";
import type { Archive } from "../store/index.js";
import type { DevRoots } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import type { StepRecorder } from "./createStepRecorder.js";
import { createDemoRollupProofs } from "./demoRollup.js";
import { deployDemoChain, type DemoNode } from "./deployDemoChain.js";
import { createDemoRegister, registerDemoProvers, registerRollupSigners } from "./registerDemoEnclaves.js";
import { startDemoProvers, type DemoProver, type DemoVendor } from "./startDemoProvers.js";
import { startDemoVerifiers, type DemoVerifier } from "./startDemoVerifiers.js";
import { word } from "./word.js";

export type { DemoVerifier } from "./startDemoVerifiers.js";

/** The three CPU TEEs the demo runs prover nodes on, one per vendor. */
export const DEMO_VENDORS: readonly DemoVendor[] = ["tdx", "sevsnp", "nitro"];
export const DEMO_COMMITTEE_SIZE = 3;

export type StartDemoNetworkParameters = {
  recorder: StepRecorder;
  archive: Archive;
  /** Folder for collateral files. */
  workDir: string;
  devRoots: DevRoots;
  /** Everything started is pushed here, to be closed in reverse order. */
  closers: (() => Promise<void>)[];
  /** A separate node to deploy to and run on over JSON-RPC; default an in-process chain. */
  node?: DemoNode;
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
  /**
   * The demo rollup's ZK leg: the real Groth16 proof of epoch e's transition, made once per run and shared by every
   * roots step (createDemoRollupProofs), so a second roots contract costs no second proof of the same epoch.
   */
  rollupProofs: (epoch: bigint, root: Hex) => Promise<Hex>;
  registered: Record<DemoVendor, RegisterThroughCommitteeReturnType>;
  /** In-process enclaves of the three vendors that sign rollup roots and receipt batches (no node serves that). */
  rollupSigners: Record<DemoVendor, SimulatedEnclave>;
  /** The committee registration with every verdict fetched from the verifier nodes over HTTP. */
  register: (attest: (nonce: Hex) => Promise<EnclaveAttestation>) => Promise<RegisterThroughCommitteeReturnType>;
};

const DEMO_PROGRAM_ID = word("teezk demo program: membership proofs and rollup roots");

/**
 * The demo's system up to registered enclaves, one recorded step at a time: deploy (in-process through Ignition,
 * or on a separate node through deploy/deployTeezk.ts; timelock governor), governance allowing the three simulated measurements, three verifier nodes and three prover nodes
 * on loopback, and every enclave registered through the committee path with verdicts fetched over HTTP.
 */
export async function startDemoNetwork({ recorder, archive, workDir, devRoots, closers, node }: StartDemoNetworkParameters): Promise<DemoNetwork> {
  const collateralDir = join(workDir, "collateral");
  const { allowed, trustedRoots, referenceValues } = probeAllowedClaims(devRoots, collateralDir);
  const committeeAccounts = Array.from({ length: DEMO_COMMITTEE_SIZE }, (_, i) => devAccount(`demo verifier node ${i}`));
  // One snarkjs process proves for every node and checks proofs for the client: two cores, one prover.
  const groth16 = createGroth16Prover();
  closers.push(() => groth16.close());

  const devnet = await deployDemoChain(recorder, { committee: committeeAccounts.map((a) => a.address), programId: DEMO_PROGRAM_ID, closers, ...(node ? { node } : {}) });

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
      const started = await startDemoVerifiers({ devnet, accounts: committeeAccounts, referenceValues, trustedRoots, devRoots, collateralDir, archive });
      for (const verifier of started) closers.push(verifier.close);
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
  const register = createDemoRegister(devnet, verifiers);
  const registered = await registerDemoProvers(recorder, provers, register, verifiers.length);
  const rollupSigners = await registerRollupSigners(recorder, { vendors: DEMO_VENDORS, register, devRoots, collateralDir });
  const rollupProofs = createDemoRollupProofs(groth16);
  return { devnet, verifiers, provers, allowed, referenceValues, trustedRoots, groth16, rollupProofs, registered, rollupSigners, register };
}

/** What governance and the nodes allow: each simulated vendor's default measurement, anchored at its dev root. */
function probeAllowedClaims(devRoots: DevRoots, collateralDir: string): Pick<DemoNetwork, "allowed" | "trustedRoots" | "referenceValues"> {
  const probes = Object.fromEntries(
    DEMO_VENDORS.map((vendor) => [vendor, probeSimulatedClaims({ vendor, now: new Date(), devRoots, collateralParentDir: collateralDir })]),
  ) as Record<DemoVendor, ReturnType<typeof probeSimulatedClaims>>;
  const allowed = Object.fromEntries(DEMO_VENDORS.map((vendor) => [vendor, probes[vendor].claims])) as Record<DemoVendor, Claims>;
  return {
    allowed,
    trustedRoots: DEMO_VENDORS.map((vendor) => probes[vendor].trustedRoot),
    referenceValues: buildDevReferenceValues({ allowed: Object.values(allowed) }),
  };
}
