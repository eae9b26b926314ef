import { keccak256, toHex } from "viem";
import { buildAllowMeasurementCalls, issueChallenge, registerViaDcap } from "../../chain/index.js";
import { TeeType } from "../../claims/index.js";
import { addDcapRoute } from "../../devnet/index.js";
import { TeezkError } from "../../errors/index.js";
import type { DemoFlowStep } from "../demoContext.js";

/**
 * The third registration route (issue 14): governance adds the on-chain DCAP verifier, the simulated platform's
 * collateral goes into the store once, and the TDX prover node's enclave registers with its raw quote alone: no
 * verifier node, no verdict; the quote is verified entirely on-chain. It registers for a second program (allowed in
 * the same governance operation), so the first program's registration keeps the expiry the other steps check.
 */
const DCAP_DEMO_PROGRAM = keccak256(toHex("teezk demo: program registered through the DCAP route"));

export const dcapRegisterStep: DemoFlowStep = async (recorder, context) => {
  const { devnet } = context;
  const tdx = context.provers.find((prover) => prover.vendor === "tdx");
  if (!tdx) throw new TeezkError("DEMO_EXPECTATION_FAILED", "No TDX prover node to register through the DCAP route");
  const route = await recorder.run(
    "dcap-route",
    "add route 3, on-chain DCAP: collateral store pinned to the dev Intel root, verifier added by governance, the platform's TCB info, QE identity, CRLs and CAs uploaded",
    () =>
      addDcapRoute({
        devnet,
        extraCalls: buildAllowMeasurementCalls({
          measurementRegistry: devnet.addresses.measurementRegistry,
          programId: DCAP_DEMO_PROGRAM,
          teeType: TeeType.TDX,
          measurement: context.allowed.tdx.measurement,
        }),
      }),
    (result) => `verifier ${result.verifier}; ${result.collateral.sent.length} collateral uploads`,
  );
  await recorder.run(
    "register-tdx-dcap",
    "register the TDX prover node's enclave (second program) through route 3: registry challenge → its /v1/attestation → the raw quote verified on-chain, no committee",
    async () => {
      const { challenge } = await issueChallenge({ ...devnet.clients, enclaveRegistry: devnet.addresses.enclaveRegistry, programId: DCAP_DEMO_PROGRAM });
      const attestation = await tdx.attest(challenge);
      return await registerViaDcap({
        ...devnet.clients,
        enclaveRegistry: devnet.addresses.enclaveRegistry,
        dcapVerifier: route.verifier,
        programId: DCAP_DEMO_PROGRAM,
        enclave: attestation.enclaveAddress,
        hpkeKeyHash: "hpkeKeyHash" in attestation ? attestation.hpkeKeyHash : keccak256(attestation.hpkePublicKey),
        nonce: challenge,
        quote: attestation.evidence,
      });
    },
    (result) => `register through route 3: ${result.gasUsed} gas; live until ${new Date(Number(result.expiresAt) * 1000).toISOString()}`,
  );
};
