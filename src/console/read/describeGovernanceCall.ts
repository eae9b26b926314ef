import { decodeFunctionData, getAddress, type Abi, type Address, type Hex } from "viem";
import {
  batchReceiptsAbi,
  committeeAttestationVerifierAbi,
  enclaveRegistryAbi,
  measurementRegistryAbi,
  multiProverRootsAbi,
  receiptVerifierAbi,
  timelockAbi,
} from "../../chain/contractAbis.js";
import { ROLE_NAMES, tcbStatusesOfBitmap, teeLabel } from "./labels.js";
import type { ConsoleDeployment } from "./types.js";

/** One call of a timelock operation, decoded against the deployment's ABIs and said in words. */
export type DescribedCall = {
  target: Address;
  /** The deployment's name for the target ("measurementRegistry"), or "unknown contract". */
  contract: string;
  functionName: string;
  args: readonly unknown[];
  /** What executing it changes, for a reviewer. */
  summary: string;
  data: Hex;
};

const ABIS: Record<keyof ConsoleDeployment, Abi> = {
  timelock: timelockAbi,
  measurementRegistry: measurementRegistryAbi,
  enclaveRegistry: enclaveRegistryAbi,
  committee: committeeAttestationVerifierAbi,
  receiptVerifier: receiptVerifierAbi,
  batchReceipts: batchReceiptsAbi,
  multiProverRoots: multiProverRootsAbi,
};

const short = (hex: string) => (hex.length > 14 ? `${hex.slice(0, 10)}…${hex.slice(-4)}` : hex);
const window = (from: bigint, until: bigint) => `${from === 0n ? "from execution" : `from ${iso(from)}`}${until === 0n ? ", no end" : ` until ${iso(until)}`}`;
const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");

type Describe = (args: readonly unknown[]) => string;
/** Summaries of the governance calls teezk's own tools build; any other call is shown decoded, argument by argument. */
const SUMMARIES: Record<string, Describe> = {
  addMeasurement: ([programId, teeType, measurement, from, until]) =>
    `allow ${teeLabel(Number(teeType))} measurement ${short(String(measurement))} for program ${short(String(programId))}, ${window(from as bigint, until as bigint)}`,
  rotateMeasurement: ([programId, teeType, oldMeasurement, newMeasurement, grace]) =>
    `rotate ${teeLabel(Number(teeType))} on program ${short(String(programId))}: allow ${short(String(newMeasurement))} now, ${short(String(oldMeasurement))} expires ${grace} s after execution`,
  setTeePolicy: ([teeType, policy]) => {
    const p = policy as { acceptedTcbStatuses: bigint; minSvn: number | bigint; maxEvidenceAge: bigint };
    return `set ${teeLabel(Number(teeType))} policy: accept ${tcbStatusesOfBitmap(p.acceptedTcbStatuses).join(", ") || "no TCB status"}; min SVN ${p.minSvn}; max evidence age ${p.maxEvidenceAge} s`;
  },
  setRootHashAllowed: ([teeType, rootHash, allowed]) => `${allowed ? "allow" : "disallow"} root ${short(String(rootHash))} for ${teeLabel(Number(teeType))}`,
  setRootMinSvn: ([teeType, rootHash, minSvn]) => `set min SVN ${minSvn} for ${teeLabel(Number(teeType))} evidence under root ${short(String(rootHash))}`,
  revokeMeasurement: ([teeType, measurement]) => `revoke ${teeLabel(Number(teeType))} measurement ${short(String(measurement))} for every program, permanently`,
  setProgramRequiresGpu: ([programId, required]) => `program ${short(String(programId))} ${required ? "requires" : "does not require"} GPU evidence`,
  grantRole: ([role, account]) => `grant ${ROLE_NAMES.get(String(role)) ?? short(String(role))} to ${account}`,
  revokeRole: ([role, account]) => `revoke ${ROLE_NAMES.get(String(role)) ?? short(String(role))} from ${account}`,
  resume: () => "resume the roots contract (end the halt)",
  removeEnclave: ([enclave]) => `remove enclave ${enclave} for every program, permanently`,
  addRoute: ([path, verifier]) => `add attestation route ${path} → ${verifier}`,
  freezeRoute: ([path]) => `freeze attestation route ${path}`,
  addMember: ([node]) => `add committee member ${node}`,
  removeMember: ([node]) => `remove committee member ${node}`,
  setThreshold: ([threshold]) => `set committee threshold to ${threshold}`,
  updateDelay: ([delay]) => `set the timelock delay to ${delay} s`,
};

/** Decodes `data` sent to `target`, naming the deployment contract and saying what the call changes. */
export function describeGovernanceCall(deployment: ConsoleDeployment, target: Address, data: Hex): DescribedCall {
  const entry = (Object.entries(deployment) as [keyof ConsoleDeployment, Address | undefined][]).find(([, address]) => address && getAddress(address) === getAddress(target));
  if (!entry) return { target, contract: "unknown contract", functionName: data.slice(0, 10), args: [], summary: `call ${data.slice(0, 10)} on ${target} (not a contract of this deployment)`, data };
  const [contract] = entry;
  try {
    const decoded = decodeFunctionData({ abi: ABIS[contract], data });
    const args = decoded.args ?? [];
    const summary = SUMMARIES[decoded.functionName]?.(args) ?? `${decoded.functionName}(${args.map(String).join(", ")})`;
    return { target, contract, functionName: decoded.functionName, args, summary, data };
  } catch {
    return { target, contract, functionName: data.slice(0, 10), args: [], summary: `${contract}: undecodable call ${data.slice(0, 10)}`, data };
  }
}
