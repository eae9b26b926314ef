import { writeFileSync } from "node:fs";
import { isTeezkError } from "../../../errors/index.js";
import { createGroth16Prover, groth16Engines, type Groth16Engine, type ProveStage } from "../../../prover/index.js";
import { createStepProgressBar, type ProgressStream } from "../../support/createStepProgressBar.js";
import { ExitCode, UsageError, type CliIo } from "../../io.js";
import { parseTimeoutFlag } from "../../support/parseTimeoutFlag.js";
import { readWitnessFile } from "../../support/readWitnessFile.js";
import { reportCommandError } from "../../support/reportCommandError.js";

export type ProveCommandOptions = {
  circuit: string;
  witness: string;
  out?: string;
  json?: boolean;
  /** Seconds before the prover process is killed; default 600. */
  timeout?: string;
  /** snarkjs or native; default TEEZK_GROTH16_ENGINE, else snarkjs. */
  engine?: string;
};

/** A witness file larger than this is refused before it is read (2^20 leaves of 78 digits fit well below). */
const MAX_WITNESS_FILE_BYTES = 128 * 1024 * 1024;

/**
 * `teezk prove --circuit <name> --witness <file> [--out <file>] [--json]`: one Groth16 proof with the groth16
 * backend, a progress bar on stderr (stage and elapsed time; a line per stage and every 5 s when stderr is not a
 * terminal, so CI logs show a long proof is alive), and the proof's time and peak memory.
 *
 * Output: with `--out`, the proof document `{circuit, proof, publicSignals}` goes to the file and stdout gets the
 * summary (or, with `--json`, `{ok, circuit, proof, publicSignals, timings, peakRssMiB, out}`); without `--out`,
 * stdout gets the proof document (the JSON report with `--json`) and the summary goes to stderr, so
 * `teezk prove … > proof.json` works. Exit 0 proved, 1 failed (code in the message / JSON), 2 usage.
 */
export async function proveCommand(options: ProveCommandOptions, io: CliIo, stream: ProgressStream = process.stderr): Promise<number> {
  const timeoutMs = parseTimeoutFlag(options.timeout);
  const witnessInput = readWitnessFile({ file: options.witness, maxBytes: MAX_WITNESS_FILE_BYTES, quoteParseError: true });
  if (options.engine !== undefined && !groth16Engines.includes(options.engine as Groth16Engine)) {
    throw new UsageError(`--engine must be ${groth16Engines.join(" or ")}`);
  }
  const prover = createGroth16Prover({ timeoutMs, engine: options.engine as Groth16Engine | undefined, onFallback: (reason) => io.err(`${reason}\n`) });
  const bar = createBar(stream, options.circuit);
  try {
    const result = await prover.prove({
      circuit: options.circuit,
      witnessInput,
      onProgress: ({ stage, elapsedMs }) => bar.stage(stage, elapsedMs),
    });
    bar.stop();
    const document = { circuit: options.circuit, proof: result.proof, publicSignals: result.publicSignals };
    if (options.out) writeFileSync(options.out, `${JSON.stringify(document, null, 2)}\n`);
    const summary = describe(options.circuit, prover.engine, result.timings, result.peakRssMiB);
    if (options.json) {
      io.out(
        `${JSON.stringify({ ok: true, ...document, timings: result.timings, peakRssMiB: result.peakRssMiB ?? null, ...(options.out ? { out: options.out } : {}) })}\n`,
      );
    } else if (options.out) {
      io.out(`${summary}\nproof written to ${options.out}\n`);
    } else {
      io.out(`${JSON.stringify(document, null, 2)}\n`);
      io.err(`${summary}\n`);
    }
    return ExitCode.OK;
  } catch (error) {
    bar.fail();
    if (!isTeezkError(error)) throw error;
    reportCommandError({ io, error, json: options.json });
    return ExitCode.REJECTED;
  } finally {
    await prover.close();
  }
}

function describe(circuit: string, engine: Groth16Engine, timings: { ms: number; witnessMs?: number; proveMs?: number }, peakRssMiB: number | undefined): string {
  const ms = (v: number) => `${Math.round(v).toLocaleString("en-US")} ms`;
  const parts = [timings.witnessMs, timings.proveMs].every((v) => v !== undefined)
    ? ` (witness ${ms(timings.witnessMs!)}, prove ${ms(timings.proveMs!)})`
    : "";
  const processes = engine === "native" ? "witness and native prover processes" : "prover process";
  const memory = peakRssMiB === undefined ? "" : `; peak memory ${Math.round(peakRssMiB)} MiB (${processes})`;
  return `proved ${circuit} with ${engine} in ${ms(timings.ms)}${parts}${memory}`;
}

const stageLabel: Record<ProveStage, string> = { witness: "witness", prove: "proving", done: "done" };
const stageValue: Record<ProveStage, number> = { witness: 0, prove: 1, done: 2 };

/** snarkjs reports no progress inside a stage, so the bar moves per stage: witness, proving, done. */
function createBar(stream: ProgressStream, circuit: string) {
  const bar = createStepProgressBar({ stream, title: `prove ${circuit}`, total: 2, initialLabel: stageLabel.witness, labelWidth: 7 });
  return {
    // The done stage draws no line of its own: stop() draws the last one.
    stage: (next: ProveStage, _elapsedMs: number) => bar.step(stageLabel[next], stageValue[next], { drawNow: next !== "done" }),
    stop: () => bar.stop(),
    /** The last line says the proof failed, at the time it did (the error follows on stderr or stdout). */
    fail: () => bar.stop({ label: "failed" }),
  };
}
