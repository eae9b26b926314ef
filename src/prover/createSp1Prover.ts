import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { z } from "zod";
import { TeezkError } from "../errors/index.js";
import { runHostProcess } from "./runHostProcess.js";
import { zkprogramReleaseBinary } from "./zkprogramBinary.js";
import type { ProveParameters, ProveReturnType, Prover, Sp1Proof, VerifyParameters } from "./types.js";

export const defaultSp1HostBinary = zkprogramReleaseBinary("teezk-zk");

export const sp1InstallHint = "Install the SP1 toolchain: curl -L https://sp1up.succinct.xyz | bash && sp1up";
const sp1BuildHint =
  "Then build the guest and the host: cd zkprogram/program && cargo prove build && cd .. && cargo build --release -p teezk-zk-host --features sp1";

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
const bytes32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
/** The host's `prove --groth16` answer: the three arguments of ISP1Verifier.verifyProof. */
const proveOutput = z.object({ programVKey: bytes32, publicValues: hex, proof: hex });
const verifyOutput = z.object({ valid: z.boolean() });
const modes = ["attest", "receipt"] as const;
const filePath = z.string().min(1).max(4096);

/**
 * The SP1 backend's `witnessInput`: the flags of `teezk-zk execute`, by name (files by path). `receipt` mode
 * also takes `witness`, `output` and `receipt` (the receipt JSON of zkprogram/README.md).
 */
export const sp1ProgramInputSchema = z
  .object({
    type: z.enum(["tdx", "sgx", "sevsnp", "nitro", "nvidia"]),
    evidence: filePath,
    /** Verification time: a Date or an ISO 8601 UTC string. */
    at: z.union([z.date(), z.string().min(1).max(64)]),
    collateral: z.array(filePath).max(8).optional(),
    witness: filePath.optional(),
    output: filePath.optional(),
    receipt: filePath.optional(),
    nonce: bytes32.optional(),
    /** DER SHA-256 of roots to accept besides the vendor pins (dev roots of simulated TEEs only). */
    extraTrustedRoots: z.array(bytes32).max(8).optional(),
  })
  .strict();
export type Sp1ProgramInput = z.input<typeof sp1ProgramInputSchema>;

/**
 * The `teezk-zk` arguments for one run, as `--flag=value` so a value that starts with "-" is never read as a
 * flag. Exported for the CLI protocol test.
 */
export function sp1HostArguments(mode: (typeof modes)[number], input: Sp1ProgramInput): string[] {
  const parsed = sp1ProgramInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TeezkError("CONFIG_INVALID", "the SP1 backend's input is the flags of `teezk-zk execute` (type, evidence, at, …)", {
      details: `${issue?.path.join(".")}: ${issue?.message}`,
    });
  }
  const { type, evidence, at, collateral = [], witness, output, receipt, nonce, extraTrustedRoots = [] } = parsed.data;
  const iso = at instanceof Date ? at.toISOString() : at;
  const args = [`--mode=${mode}`, `--type=${type}`, `--evidence=${evidence}`, `--at=${iso}`, ...collateral.map((dir) => `--collateral=${dir}`)];
  for (const [flag, value] of [["witness", witness], ["output", output], ["receipt", receipt], ["nonce", nonce]] as const) {
    if (value !== undefined) args.push(`--${flag}=${value}`);
  }
  for (const root of extraTrustedRoots) args.push(`--extra-trusted-root=${root}`);
  return args;
}

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
 * The SP1 backend: drives the zkprogram host CLI `teezk-zk` through child_process. `circuit` is the program
 * mode (`attest`, `receipt`); `witnessInput` the `execute` flags ({@link Sp1ProgramInput}). The protocol
 * (zkprogram/README.md), with nothing on stdin:
 * - `teezk-zk prove --groth16 --mode=<mode> --type=… --evidence=… --at=… [--collateral=…]… [--witness=… --output=…
 *   --receipt=…] [--nonce=…] [--extra-trusted-root=…]…`: last stdout line `{"programVKey","publicValues","proof"}` as 0x-hex, the three
 *   arguments of `ISP1Verifier.verifyProof`;
 * - `teezk-zk verify --groth16 --proof=… --public-values=… --vkey=…`: last stdout line `{"valid": bool}`;
 * - a rejection exits 1 with `{"code","message"}` on stderr, rethrown here with the same code (evidence
 *   errors, SP1_UNAVAILABLE from a host built without the `sp1` feature).
 * `publicSignals` is `[publicValues]` (the journal the contracts decode).
 * @throws TeezkError SP1_UNAVAILABLE when `cargo prove` or the host binary is missing, with install steps.
 */
export function createSp1Prover(parameters: CreateSp1ProverParameters = {}): CreateSp1ProverReturnType {
  const binary = parameters.binary ?? process.env["TEEZK_ZK_BIN"] ?? defaultSp1HostBinary;
  const cargo = parameters.cargo ?? "cargo";
  const timeoutMs = parameters.timeoutMs ?? 30 * 60_000;
  const maxStdoutBytes = parameters.maxOutputBytes ?? 16 * 1024 * 1024;
  let toolchainChecked = false;

  const ensureToolchain = () => {
    if (!toolchainChecked) {
      const probe = spawnSync(cargo, ["prove", "--version"], { encoding: "utf8", timeout: 30_000, env: parameters.env });
      if (probe.error || probe.status !== 0) {
        throw new TeezkError("SP1_UNAVAILABLE", "the SP1 toolchain (cargo prove) is not installed", {
          details: (probe.error?.message ?? probe.stderr ?? "").trim().slice(0, 500) || undefined,
          metaMessages: [sp1InstallHint, sp1BuildHint],
        });
      }
      toolchainChecked = true;
    }
  };
  const ensureBinary = () => {
    if (!existsSync(binary)) {
      throw new TeezkError("SP1_UNAVAILABLE", `the SP1 host binary ${binary} is not built`, {
        metaMessages: [sp1BuildHint, "Or point TEEZK_ZK_BIN at a built teezk-zk."],
      });
    }
  };

  const checkProgram = (circuit: unknown): (typeof modes)[number] => {
    if (typeof circuit !== "string" || !(modes as readonly string[]).includes(circuit)) {
      throw new TeezkError("CONFIG_INVALID", "the SP1 backend takes a program mode (attest, receipt) as circuit");
    }
    return circuit as (typeof modes)[number];
  };

  return {
    backend: "sp1",

    async prove({ circuit, witnessInput, onProgress }: ProveParameters): Promise<ProveReturnType<Sp1Proof>> {
      const mode = checkProgram(circuit);
      const args = sp1HostArguments(mode, witnessInput as Sp1ProgramInput);
      ensureToolchain();
      ensureBinary();
      const started = performance.now();
      onProgress?.({ stage: "prove", elapsedMs: 0 });
      const { stdout } = await runHostProcess({
        file: binary,
        args: ["prove", "--groth16", ...args],
        stdin: "",
        timeoutMs,
        maxStdoutBytes,
        env: parameters.env,
      });
      const output = parseLastJsonLine(stdout, proveOutput, "prove");
      const ms = performance.now() - started;
      onProgress?.({ stage: "done", elapsedMs: ms });
      return {
        proof: { proof: output.proof as Sp1Proof["proof"], vkey: output.programVKey as Sp1Proof["vkey"] },
        publicSignals: [output.publicValues],
        timings: { ms, proveMs: ms },
      };
    },

    async verify({ circuit, proof, publicSignals }: VerifyParameters<Sp1Proof>): Promise<boolean> {
      checkProgram(circuit);
      const publicValues = publicSignals[0];
      if (
        publicSignals.length !== 1 ||
        !hex.safeParse(publicValues).success ||
        !hex.safeParse(proof?.proof).success ||
        !bytes32.safeParse(proof?.vkey).success
      ) {
        throw new TeezkError("PROOF_MALFORMED", "an SP1 proof is {proof, vkey (bytes32)} as 0x-hex with publicSignals = [publicValues]");
      }
      // Checking a Groth16 proof needs no SP1 toolchain, only a host built with the `sp1` feature (which
      // answers SP1_UNAVAILABLE otherwise).
      ensureBinary();
      const { stdout } = await runHostProcess({
        file: binary,
        args: ["verify", "--groth16", `--proof=${proof.proof}`, `--public-values=${publicValues}`, `--vkey=${proof.vkey}`],
        stdin: "",
        timeoutMs,
        maxStdoutBytes,
        env: parameters.env,
      });
      return parseLastJsonLine(stdout, verifyOutput, "verify").valid;
    },

    async close(): Promise<void> {},
  };
}
