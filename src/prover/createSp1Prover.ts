import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { TeezkError } from "../errors/index.js";
import { runHostProcess } from "./runHostProcess.js";
import type { ProveParameters, ProveReturnType, Prover, Sp1Proof, VerifyParameters } from "./types.js";

export const defaultSp1HostBinary = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "zkprogram",
  "target",
  "release",
  "teezk-zk",
);

export const sp1InstallHint = "Install the SP1 toolchain: curl -L https://sp1up.succinct.xyz | bash && sp1up";

export type CreateSp1ProverParameters = {
  /** The host CLI; default TEEZK_ZK_BIN, else zkprogram/target/release/teezk-zk. */
  binary?: string;
  /** The cargo used to detect the SP1 toolchain (`cargo prove --version`). Default "cargo". */
  cargo?: string;
  /** Default 30 min: SP1 proofs of certificate chains take minutes on CPU. */
  timeoutMs?: number;
  /** Refuse host output larger than this. Default 16 MiB. */
  maxOutputBytes?: number;
  env?: NodeJS.ProcessEnv;
};
export type CreateSp1ProverReturnType = Prover<Sp1Proof>;
export type CreateSp1ProverErrorType = TeezkError;

const hex = z.string().regex(/^0x([0-9a-fA-F]{2})*$/);
const proveOutput = z.object({ proof: hex, publicValues: hex, vkey: hex });
const verifyOutput = z.object({ valid: z.boolean() });
const programName = /^[a-z0-9_-]{1,64}$/;

function parseLastJsonLine<T>(stdout: string, schema: z.ZodType<T>, what: string): T {
  const line = stdout.trim().split("\n").pop() ?? "";
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new TeezkError("PROVER_FAILED", `the SP1 host's ${what} output is not JSON`, {
      details: line.slice(0, 200),
      cause: error,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TeezkError("PROVER_FAILED", `the SP1 host's ${what} output has the wrong shape`, {
      details: `${issue?.path.join(".")}: ${issue?.message}`,
    });
  }
  return parsed.data;
}

/**
 * The SP1 backend: drives the zkprogram host CLI through child_process. `circuit` names the program mode
 * (`attest`, `receipt`). Protocol with the host (one JSON document each way):
 * - `teezk-zk prove --program <mode>`: stdin the input JSON, stdout (last line) `{proof, publicValues, vkey}`
 *   as 0x-hex; stderr is its log, forwarded line by line as progress.
 * - `teezk-zk verify --program <mode>`: stdin `{proof, publicValues, vkey}`, stdout `{valid}`.
 * `publicSignals` is `[publicValues]` (the ABI-encoded Claims the contracts decode).
 * @throws TeezkError SP1_UNAVAILABLE when `cargo prove` or the host binary is missing, with install steps.
 */
export function createSp1Prover(parameters: CreateSp1ProverParameters = {}): CreateSp1ProverReturnType {
  const binary = parameters.binary ?? process.env["TEEZK_ZK_BIN"] ?? defaultSp1HostBinary;
  const cargo = parameters.cargo ?? "cargo";
  const timeoutMs = parameters.timeoutMs ?? 30 * 60_000;
  const maxStdoutBytes = parameters.maxOutputBytes ?? 16 * 1024 * 1024;
  let toolchainChecked = false;

  const ensureAvailable = () => {
    if (!toolchainChecked) {
      const probe = spawnSync(cargo, ["prove", "--version"], { encoding: "utf8", timeout: 30_000, env: parameters.env });
      if (probe.error || probe.status !== 0) {
        throw new TeezkError("SP1_UNAVAILABLE", "the SP1 toolchain (cargo prove) is not installed", {
          details: (probe.error?.message ?? probe.stderr ?? "").trim().slice(0, 500) || undefined,
          metaMessages: [sp1InstallHint, "Then build the host: cd zkprogram && cargo build --release"],
        });
      }
      toolchainChecked = true;
    }
    if (!existsSync(binary)) {
      throw new TeezkError("SP1_UNAVAILABLE", `the SP1 host binary ${binary} is not built`, {
        metaMessages: ["Build it: cd zkprogram && cargo build --release (or set TEEZK_ZK_BIN)"],
      });
    }
  };

  const checkProgram = (circuit: unknown): string => {
    if (typeof circuit !== "string" || !programName.test(circuit)) {
      throw new TeezkError("CONFIG_INVALID", "the SP1 backend takes a program mode name (attest, receipt) as circuit");
    }
    return circuit;
  };

  return {
    backend: "sp1",

    async prove({ circuit, witnessInput, onProgress }: ProveParameters): Promise<ProveReturnType<Sp1Proof>> {
      const program = checkProgram(circuit);
      ensureAvailable();
      const started = performance.now();
      onProgress?.({ stage: "prove", elapsedMs: 0 });
      const stdin = JSON.stringify(witnessInput, (_key, value: unknown) =>
        typeof value === "bigint" ? value.toString() : value,
      );
      const { stdout } = await runHostProcess({
        file: binary,
        args: ["prove", "--program", program],
        stdin,
        timeoutMs,
        maxStdoutBytes,
        env: parameters.env,
      });
      const output = parseLastJsonLine(stdout, proveOutput, "prove");
      const ms = performance.now() - started;
      onProgress?.({ stage: "done", elapsedMs: ms });
      return {
        proof: { proof: output.proof as Sp1Proof["proof"], vkey: output.vkey as Sp1Proof["vkey"] },
        publicSignals: [output.publicValues],
        timings: { ms, proveMs: ms },
      };
    },

    async verify({ circuit, proof, publicSignals }: VerifyParameters<Sp1Proof>): Promise<boolean> {
      const program = checkProgram(circuit);
      const publicValues = publicSignals[0];
      if (publicSignals.length !== 1 || !hex.safeParse(publicValues).success || !hex.safeParse(proof?.proof).success) {
        throw new TeezkError("PROOF_MALFORMED", "an SP1 proof is {proof, vkey} as 0x-hex with publicSignals = [publicValues]");
      }
      ensureAvailable();
      const { stdout } = await runHostProcess({
        file: binary,
        args: ["verify", "--program", program],
        stdin: JSON.stringify({ proof: proof.proof, publicValues, vkey: proof.vkey }),
        timeoutMs,
        maxStdoutBytes,
        env: parameters.env,
      });
      return parseLastJsonLine(stdout, verifyOutput, "verify").valid;
    },

    async close(): Promise<void> {},
  };
}
