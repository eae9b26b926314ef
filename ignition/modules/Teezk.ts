import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { CORE_CONTRACTS, CORE_WIRING, DEPLOYMENT_DEFAULTS, GOVERNED_BY_TIMELOCK, type CoreContractKey, type CoreRefs } from "../../deploy/coreWiring.js";
import { ROLE_IDS } from "../../src/chain/roleAndRouteIds.js";

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
  const minDelay = m.getParameter("minDelay", DEPLOYMENT_DEFAULTS.minDelay);
  const proposers = m.getParameter<string[]>("proposers");
  const executors = m.getParameter<string[]>("executors", [...DEPLOYMENT_DEFAULTS.executors]);
  const guardian = m.getParameter<string>("guardian");
  const committeeNodes = m.getParameter<string[]>("committeeNodes");
  const committeeThreshold = m.getParameter<bigint>("committeeThreshold");

  // The same contracts and wiring as deploy/deployTeezk.ts, from one list (deploy/coreWiring.ts).
  const refs = { deployer, minDelay, proposers, executors, guardian, committeeNodes, committeeThreshold } as CoreRefs<unknown>;
  type Contract = ReturnType<typeof m.contract>;
  for (const contract of CORE_CONTRACTS) refs[contract.key] = m.contract(contract.contractName, contract.args(refs) as never);
  const contract = (key: CoreContractKey) => refs[key] as Contract;
  const wired = CORE_WIRING.map((call) => m.call(contract(call.on), call.functionName, call.args(refs) as never, call.ignitionId ? { id: call.ignitionId } : {}));

  for (const name of GOVERNED_BY_TIMELOCK) {
    const granted = m.call(contract(name), "grantRole", [ROLE_IDS.GOVERNOR_ROLE, contract("timelock")], { id: `${name}_grantTimelock`, after: wired });
    m.call(contract(name), "renounceRole", [ROLE_IDS.GOVERNOR_ROLE, deployer], { id: `${name}_renounceDeployer`, after: [granted] });
  }

  const { timelock, measurementRegistry, enclaveRegistry, committee, receiptVerifier, batchReceipts } = refs as CoreRefs<Contract>;
  return { timelock, measurementRegistry, enclaveRegistry, committee, receiptVerifier, batchReceipts };
});

// Ignition loads a module file's default export (like hardhat.config.ts, the one exception to the
// no-default-export rule).
export default TeezkModule;
