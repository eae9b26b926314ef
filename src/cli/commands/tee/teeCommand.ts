import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isTeezkError, TeezkError } from "../../../errors/index.js";
import { collectEvidence, type CollectEvidenceParameters } from "../../../tee/collectEvidence.js";
import { detectTee, type DetectTeeReturnType } from "../../../tee/detectTee.js";
import { getDevRoots, simulateEvidence, type SimulatedVendor } from "../../../tee/simulated/index.js";
import { toHex, type Hex } from "../../../util/bytes.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { reportCommandError } from "../../support/reportCommandError.js";

export type TeeDetectOptions = { json?: boolean };

export type TeeAttestOptions = {
  simulate?: SimulatedVendor;
  kind?: CollectEvidenceParameters["kind"];
  nonce: string;
  out?: string;
  json?: boolean;
  debug?: boolean;
  devRoots?: string;
};

/** `teezk tee detect`: what this machine offers, from device nodes only (never talks to a TEE). */
export async function teeDetectCommand(options: TeeDetectOptions, io: CliIo): Promise<number> {
  const result = detectTee();
  io.out(options.json ? `${JSON.stringify(result)}\n` : describeDetection(result));
  return ExitCode.OK;
}

/**
 * `teezk tee attest`: evidence for a 32-byte nonce (the binding, DESIGN §3), from the simulated TEE named by
 * `--simulate` or from this machine's hardware. With `--out` the evidence is written as hex, and collateral a
 * verifier needs (SNP certificates, the GPU chain) to `<out>.collateral/`.
 */
export async function teeAttestCommand(options: TeeAttestOptions, io: CliIo): Promise<number> {
  const binding = parseNonce(options.nonce);
  if (options.simulate && options.kind) throw new UsageError("--simulate and --kind exclude each other");
  if (options.debug && !options.simulate) throw new UsageError("--debug only applies to --simulate");
  try {
    return options.simulate ? simulated(options.simulate, binding, options, io) : hardware(binding, options, io);
  } catch (error) {
    if (!isTeezkError(error)) throw error;
    reportCommandError({ io, error, json: options.json });
    return ExitCode.REJECTED;
  }
}

function simulated(vendor: SimulatedVendor, binding: Hex, options: TeeAttestOptions, io: CliIo): number {
  const devRoots = getDevRoots(options.devRoots ? { dir: options.devRoots } : {});
  const sim = simulateEvidence({ vendor, binding, devRoots, ...(options.debug ? { debug: true } : {}) });
  const evidenceHex = toHex(sim.evidence);
  const written = options.out ? writeOutputs(options.out, evidenceHex, sim.collateralFiles) : undefined;
  const devRootSha256 = `0x${sim.trustedRoot.sha256}`;
  if (options.json) {
    io.out(
      `${JSON.stringify({
        ok: true,
        simulated: true,
        vendor,
        nonce: binding,
        devRootSha256,
        devRootName: sim.trustedRoot.name,
        devRootsDir: devRoots.dir,
        ...(written ? written : { evidence: evidenceHex, ...(sim.collateralFiles ? { collateralFiles: sim.collateralFiles } : {}) }),
      })}\n`,
    );
    return ExitCode.OK;
  }
  const lines = [
    `simulated ${vendor} evidence — DEV ROOT, NOT FOR PRODUCTION`,
    `  nonce          ${binding}`,
    `  dev root       ${devRootSha256}`,
    `  dev roots dir  ${devRoots.dir}`,
    "  verifiers accept it only with this fingerprint in extraTrustedRoots; production roots reject it (ROOT_NOT_TRUSTED)",
  ];
  if (written) {
    lines.push(`  evidence       ${written.evidenceFile} (${sim.evidence.length} bytes, hex)`);
    if (written.collateralDir) lines.push(`  collateral     ${written.collateralDir}`);
  } else {
    if (sim.collateralFiles) lines.push("  collateral     not shown: pass --out to write it, or --json to print it");
    lines.push(evidenceHex);
  }
  io.out(`${lines.join("\n")}\n`);
  return ExitCode.OK;
}

function hardware(binding: Hex, options: TeeAttestOptions, io: CliIo): number {
  const kind = options.kind ?? detectTee().collectable[0];
  if (!kind) {
    throw new TeezkError("TEE_UNAVAILABLE", "No TEE to collect evidence from on this machine", {
      metaMessages: ["Run teezk tee detect to see what was probed, or pass --simulate <vendor> for a simulated TEE."],
    });
  }
  const result = collectEvidence({ kind, binding });
  const evidenceHex = toHex(result.evidence);
  const auxiliaryHex = result.auxiliary ? toHex(result.auxiliary) : undefined;
  let written: { evidenceFile: string; auxiliaryFile?: string } | undefined;
  if (options.out) {
    writeFile(options.out, `${evidenceHex.slice(2)}\n`);
    written = { evidenceFile: options.out };
    if (auxiliaryHex) {
      writeFile(`${options.out}.aux`, `${auxiliaryHex.slice(2)}\n`);
      written.auxiliaryFile = `${options.out}.aux`;
    }
  }
  if (options.json) {
    io.out(`${JSON.stringify({ ok: true, simulated: false, vendor: kind, nonce: binding, ...(written ?? { evidence: evidenceHex, ...(auxiliaryHex ? { auxiliary: auxiliaryHex } : {}) }) })}\n`);
    return ExitCode.OK;
  }
  const lines = [`${kind} evidence from this machine`, `  nonce          ${binding}`];
  if (written) {
    lines.push(`  evidence       ${written.evidenceFile} (${result.evidence.length} bytes, hex)`);
    if (written.auxiliaryFile) lines.push(`  auxiliary      ${written.auxiliaryFile}`);
  } else {
    lines.push(evidenceHex);
  }
  io.out(`${lines.join("\n")}\n`);
  return ExitCode.OK;
}

function writeOutputs(out: string, evidenceHex: Hex, collateralFiles: Record<string, string> | undefined): { evidenceFile: string; collateralDir?: string } {
  writeFile(out, `${evidenceHex.slice(2)}\n`);
  if (!collateralFiles) return { evidenceFile: out };
  const dir = `${out}.collateral`;
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new TeezkError("CONFIG_INVALID", `Cannot create the collateral folder ${dir}`, { cause: error });
  }
  for (const [name, text] of Object.entries(collateralFiles)) writeFile(join(dir, name), text);
  return { evidenceFile: out, collateralDir: dir };
}

function writeFile(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new TeezkError("CONFIG_INVALID", `Cannot write ${path}`, { cause: error, details: error instanceof Error ? error.message : String(error) });
  }
}

function parseNonce(nonce: string): Hex {
  const body = nonce.replace(/^0x/i, "");
  if (!/^[0-9a-fA-F]{64}$/.test(body)) throw new UsageError(`--nonce expects 32 bytes of hex (64 hex digits), got "${nonce.slice(0, 80)}"`);
  return `0x${body.toLowerCase()}`;
}

function describeDetection(result: DetectTeeReturnType): string {
  const yes = (value: boolean) => (value ? "yes" : "no");
  const gpu = result.nvidiaGpu;
  return `${[
    `Intel TDX guest      ${yes(result.tdx)}`,
    `AMD SEV-SNP guest    ${yes(result.sevSnp)}`,
    `configfs-tsm         ${yes(result.configfsTsm.available)} (${result.configfsTsm.path})`,
    `AWS Nitro enclave    ${yes(result.nitro)}`,
    `NVIDIA GPU           ${gpu.present ? `yes: ${gpu.gpus.join(", ")}; confidential computing ${String(gpu.confidentialComputing)}` : "no"}`,
    `collectable          ${result.collectable.length ? result.collectable.join(", ") : "none (teezk tee attest --simulate <vendor> gives simulated evidence)"}`,
  ].join("\n")}\n`;
}
