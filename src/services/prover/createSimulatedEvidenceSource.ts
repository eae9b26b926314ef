import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { writeCollateralFolder } from "../../tee/simulated/writeCollateralFolder.js";
import { TeezkError } from "../../errors/index.js";
import { getDevRoots, simulateDcapQuote, simulateEvidence, type DevRoots, type SimulateEvidenceReturnType } from "../../tee/simulated/index.js";
import { simulatedProverVendors, type CollectedEvidence, type EvidenceSource, type SimulatedProverVendor } from "./types.js";


export type CreateSimulatedEvidenceSourceParameters = {
  vendor: SimulatedProverVendor;
  /**
   * The measurement: register overrides by name, as `simulateEvidence` takes them (TDX `mrTd`, `rtmr0`…, SNP
   * `measurement`, Nitro `pcr0`…). Unset registers keep the documented defaults, which is what a dev policy
   * (`buildDevReferenceValues` over `probeSimulatedClaims`) allows; any override makes another measurement.
   */
  registers?: Readonly<Record<string, Hex>>;
  /** A debuggable TEE (a policy without `allowDebug` refuses it). */
  debug?: boolean;
  /** Add simulated NVIDIA GPU evidence whose nonce is the binding (composite CPU+GPU attestation). */
  gpu?: boolean;
  /** Default `getDevRoots()`. */
  devRoots?: DevRoots;
  /** Evidence time; default the current time. */
  clock?: () => Date;
};
export type CreateSimulatedEvidenceSourceReturnType = EvidenceSource;
export type CreateSimulatedEvidenceSourceErrorType = TeezkError;

/**
 * An evidence source backed by a simulated TEE (src/tee/simulated): real vendor formats signed by the local dev
 * PKI, with the collateral a verifier needs (Intel TCB info and QE identity, AMD VCEK and chain, the GPU's
 * certificate chain). Clients accept it only when they trust the dev roots (`allowDevRoots`); the vendors'
 * pinned roots reject it with ROOT_NOT_TRUSTED. For development, tests and the demo — never production.
 */
export function createSimulatedEvidenceSource(parameters: CreateSimulatedEvidenceSourceParameters): CreateSimulatedEvidenceSourceReturnType {
  const { vendor } = parameters;
  if (!simulatedProverVendors.includes(vendor)) {
    throw new TeezkError("CONFIG_INVALID", `No simulated prover TEE "${String(vendor)}"`, {
      metaMessages: [`Choose one of: ${simulatedProverVendors.join(", ")}.`],
    });
  }
  const devRoots = parameters.devRoots ?? getDevRoots();
  const clock = parameters.clock ?? (() => new Date());
  const cpuParameters = {
    devRoots,
    ...(parameters.registers ? { registers: parameters.registers } : {}),
    ...(parameters.debug ? { debug: true } : {}),
  };
  // Intel collateral (TCB info, QE identity) does not depend on the binding: it is issued once and served while
  // it is current, as a node serving cached PCS collateral does. Issuing it per request (a new TCB signing key
  // and certificate, two signatures) was most of a simulated attestation's time, and its new signatures each
  // time defeated the clients' signature caches.
  let dcapCollateral: { files: Record<string, string> | undefined; issuedAt: number } | undefined;
  const collateralFor = (vendor: "tdx" | "sgx", now: Date) => {
    const age = dcapCollateral ? now.getTime() - dcapCollateral.issuedAt : Number.NaN;
    if (!(age >= 0 && age < DCAP_COLLATERAL_REUSE_MS)) {
      const simulated = simulateEvidence({ vendor, binding: ZERO_BINDING, now, ...cpuParameters });
      dcapCollateral = { files: collateralFiles(simulated), issuedAt: now.getTime() };
    }
    return dcapCollateral!.files;
  };
  return ({ binding }) => {
    const now = clock();
    let collected: CollectedEvidence;
    if (vendor === "tdx" || vendor === "sgx") {
      collected = { kind: vendor, evidence: simulateDcapQuote({ kind: vendor, binding, ...cpuParameters }) };
      const collateral = collateralFor(vendor, now);
      if (collateral) collected.collateral = { ...collateral };
    } else {
      const cpu = simulateEvidence({ vendor, binding, now, ...cpuParameters });
      collected = { kind: vendor, evidence: cpu.evidence };
      const collateral = collateralFiles(cpu);
      if (collateral) collected.collateral = collateral;
    }
    if (parameters.gpu) {
      const gpu = simulateEvidence({ vendor: "nvidia", binding, now, devRoots });
      collected.gpuEvidence = gpu.evidence;
      const gpuCollateral = collateralFiles(gpu);
      if (gpuCollateral) collected.gpuCollateral = gpuCollateral;
    }
    return collected;
  };
}

const ZERO_BINDING = `0x${"00".repeat(32)}` as Hex;
/** Simulated collateral is current from a day before its issue to 30 days after; reissue it hourly. */
const DCAP_COLLATERAL_REUSE_MS = 3_600_000;

/**
 * The simulated collateral as folder files. `writeCollateralFolder` is the one place that knows each vendor's
 * file layout, so the files are written there and read back rather than laid out a second time here.
 */
function collateralFiles(simulated: SimulateEvidenceReturnType): Record<string, string> | undefined {
  if (simulated.collateralFiles) return { ...simulated.collateralFiles };
  const dir = writeCollateralFolder({ simulated });
  if (!dir) return undefined;
  try {
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir)) files[name] = readFileSync(join(dir, name), "utf8");
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
