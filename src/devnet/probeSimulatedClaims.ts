import type { Hex } from "viem";
import type { Claims } from "../claims/index.js";
import type { TeezkError } from "../errors/index.js";
import { verifyEvidence } from "../evidence/verifyEvidence.js";
import { simulateEvidence, type DevRoots, type SimulatedVendor } from "../tee/simulated/index.js";
import type { PinnedRoot } from "../util/x509.js";
import { writeCollateralFolder } from "../tee/simulated/writeCollateralFolder.js";

export type ProbeSimulatedClaimsParameters = {
  vendor: SimulatedVendor;
  now: Date;
  devRoots?: DevRoots;
  /** Where the probe's collateral folder goes; default the system temp folder. */
  collateralParentDir?: string;
};
export type ProbeSimulatedClaimsReturnType = { claims: Claims; trustedRoot: PinnedRoot };
export type ProbeSimulatedClaimsErrorType = TeezkError;

/**
 * What a dev deployment allows for a simulated vendor: its measurement and dev root, read from one probe
 * verification. The registers are the documented defaults, so every simulated enclave of a vendor shares them,
 * and governance can allow them before any enclave exists (as it would allow a released image's measurement).
 */
export function probeSimulatedClaims(parameters: ProbeSimulatedClaimsParameters): ProbeSimulatedClaimsReturnType {
  const zero = `0x${"00".repeat(32)}` as Hex;
  const simulated = simulateEvidence({ vendor: parameters.vendor, binding: zero, now: parameters.now, ...(parameters.devRoots ? { devRoots: parameters.devRoots } : {}) });
  const collateralDir = writeCollateralFolder({ simulated, ...(parameters.collateralParentDir ? { parentDir: parameters.collateralParentDir } : {}) });
  const { claims } = verifyEvidence({
    evidence: simulated.evidence,
    now: parameters.now,
    extraTrustedRoots: [simulated.trustedRoot],
    ...(collateralDir ? { collateralDir } : {}),
    // A GPU probe only reads the measurement and root a policy's NVIDIA_GPU section allows for composite halves.
    inspectStandaloneGpu: true,
  }).evidence;
  return { claims, trustedRoot: simulated.trustedRoot };
}
