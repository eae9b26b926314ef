import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, toHex } from "viem";

const GOVERNOR_ROLE = keccak256(toHex("GOVERNOR_ROLE"));
const ENCLAVE_REMOVER_ROLE = keccak256(toHex("ENCLAVE_REMOVER_ROLE"));
const LIVENESS_EPOCH_ROLE = keccak256(toHex("LIVENESS_EPOCH_ROLE"));
const COMMITTEE_PATH = 1;

/**
 * The teezk core: a TimelockController governs everything. The deployer holds GOVERNOR_ROLE only while this
 * module wires the contracts (committee route, guardian as enclave remover, the enclave registry's right to
 * advance the measurement registry's liveness epoch, BatchReceipts as a liveness sink), then grants the role to the
 * timelock and renounces it, so every later change (policy, measurements, SP1 route, MultiProverRoots' remover
 * role) is a timelock proposal.
 *
 * Parameters (ignition/parameters.json, module "Teezk"): minDelay (seconds), proposers, executors
 * (empty: anyone executes), guardian, committeeNodes, committeeThreshold. The committee and its threshold have no
 * defaults: a module cannot see which chain it deploys to, so it cannot refuse a one-key committee (threshold 1: any
 * one node key attests anything) outside a development chain the way deploy/deployTeezk.ts does; the parameters
 * file must say it (issue 12 item 14).
 */
export const TeezkModule = buildModule("Teezk", (m) => {
  const deployer = m.getAccount(0);
  const minDelay = m.getParameter("minDelay", 2n * 24n * 3600n);
  const proposers = m.getParameter<string[]>("proposers");
  const executors = m.getParameter<string[]>("executors", ["0x0000000000000000000000000000000000000000"]);
  const guardian = m.getParameter<string>("guardian");
  const committeeNodes = m.getParameter<string[]>("committeeNodes");
  const committeeThreshold = m.getParameter<bigint>("committeeThreshold");

  const timelock = m.contract("TeezkTimelock", [
    minDelay,
    proposers,
    executors,
    "0x0000000000000000000000000000000000000000",
  ]);
  const measurementRegistry = m.contract("MeasurementRegistry", [deployer, guardian]);
  const enclaveRegistry = m.contract("EnclaveRegistry", [measurementRegistry, deployer]);
  const committee = m.contract("CommitteeAttestationVerifier", [deployer, committeeNodes, committeeThreshold]);
  const receiptVerifier = m.contract("ReceiptVerifier", [enclaveRegistry]);
  const batchReceipts = m.contract("BatchReceipts", [enclaveRegistry]);

  const routeAdded = m.call(enclaveRegistry, "addRoute", [COMMITTEE_PATH, committee]);
  const guardianRemover = m.call(enclaveRegistry, "grantRole", [ENCLAVE_REMOVER_ROLE, guardian], {
    id: "grantGuardianRemover",
  });
  // The registry advances the liveness epoch when it removes a key; without this role removals revert.
  const registryEpoch = m.call(measurementRegistry, "grantRole", [LIVENESS_EPOCH_ROLE, enclaveRegistry], {
    id: "grantRegistryLivenessEpoch",
  });

  // BatchReceipts' inclusion fast path reads a pushed copy of the liveness epoch; unwired, it always checks in full.
  const batchSink = m.call(measurementRegistry, "addLivenessSink", [batchReceipts], { id: "addBatchReceiptsLivenessSink" });

  const governed = { measurementRegistry, enclaveRegistry, committee } as const;
  for (const [name, contract] of Object.entries(governed)) {
    const granted = m.call(contract, "grantRole", [GOVERNOR_ROLE, timelock], {
      id: `${name}_grantTimelock`,
      after: [routeAdded, guardianRemover, registryEpoch, batchSink],
    });
    m.call(contract, "renounceRole", [GOVERNOR_ROLE, deployer], { id: `${name}_renounceDeployer`, after: [granted] });
  }

  return { timelock, measurementRegistry, enclaveRegistry, committee, receiptVerifier, batchReceipts };
});

// Ignition loads a module file's default export (like hardhat.config.ts, the one exception to the
// no-default-export rule).
export default TeezkModule;
