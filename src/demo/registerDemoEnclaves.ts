import type { Hex } from "viem";
import {
  createSimulatedEnclave,
  registerThroughCommittee,
  type Devnet,
  type EnclaveAttestation,
  type RegisterThroughCommitteeReturnType,
  type SimulatedEnclave,
} from "../devnet/index.js";
import { requestCommitteeVerdicts } from "../services/verifier/index.js";
import type { DevRoots } from "../tee/simulated/index.js";
import type { StepRecorder } from "./createStepRecorder.js";
import type { DemoProver, DemoVendor } from "./startDemoProvers.js";
import type { DemoVerifier } from "./startDemoVerifiers.js";

export type DemoRegister = (attest: (nonce: Hex) => Promise<EnclaveAttestation>) => Promise<RegisterThroughCommitteeReturnType>;

const LABEL: Record<DemoVendor, string> = { tdx: "TDX", sevsnp: "SEV-SNP", nitro: "Nitro" };

/** The committee registration with every verdict fetched from the verifier nodes over HTTP. */
export function createDemoRegister(devnet: Devnet, verifiers: readonly DemoVerifier[]): DemoRegister {
  return (attest) =>
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
}

/** One recorded step per prover node: its enclave registered through the committee path. */
export async function registerDemoProvers(
  recorder: StepRecorder,
  provers: readonly DemoProver[],
  register: DemoRegister,
  verifierCount: number,
): Promise<Record<DemoVendor, RegisterThroughCommitteeReturnType>> {
  const registered: Partial<Record<DemoVendor, RegisterThroughCommitteeReturnType>> = {};
  for (const prover of provers) {
    registered[prover.vendor] = await recorder.run(
      `register-${prover.vendor}`,
      `register the ${LABEL[prover.vendor]} prover node's enclave: registry challenge → its /v1/attestation → ${verifierCount} verdicts over HTTP → EnclaveRegistry`,
      () => register(prover.attest),
      (result) => `${result.enclave}, live until ${new Date(Number(result.expiresAt) * 1000).toISOString()}`,
    );
  }
  return registered as Record<DemoVendor, RegisterThroughCommitteeReturnType>;
}

/** In-process enclaves of each vendor that sign rollup roots and receipt batches, registered like the nodes. */
export async function registerRollupSigners(
  recorder: StepRecorder,
  parameters: { vendors: readonly DemoVendor[]; register: DemoRegister; devRoots: DevRoots; collateralDir: string },
): Promise<Record<DemoVendor, SimulatedEnclave>> {
  return await recorder.run(
    "register-rollup",
    "register 3 rollup-signer enclaves (TDX, SEV-SNP, Nitro; simulated in-process) through the same committee path",
    async () => {
      const signers: Partial<Record<DemoVendor, SimulatedEnclave>> = {};
      for (const vendor of parameters.vendors) {
        const enclave = await createSimulatedEnclave({ vendor, label: `demo rollup signer ${vendor}`, devRoots: parameters.devRoots, collateralParentDir: parameters.collateralDir });
        await parameters.register(enclave.attest);
        signers[vendor] = enclave;
      }
      return signers as Record<DemoVendor, SimulatedEnclave>;
    },
    (signers) => Object.values(signers).map((s) => `${s.vendor} ${s.address.slice(0, 10)}…`).join(", "),
  );
}
