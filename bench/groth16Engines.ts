import { cpus, loadavg } from "node:os";
import { TeezkError } from "../src/errors/index.js";
import { createGroth16Prover, resolveGroth16Engine, type Groth16Proof, type ProveReturnType } from "../src/prover/index.js";
import type { BenchRow } from "./types.js";

type Groth16Prover = ReturnType<typeof createGroth16Prover>;

function p50(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
const round = (ms: number) => Math.round(ms * 10) / 10;

/** compareGroth16Engines' rows, each skipped for `reason` (the native binary or the circuit is not built). */
export function skippedGroth16EngineRows(circuit: string, reason: string): BenchRow[] {
  const rows: [string, BenchRow["unit"]][] = [
    [`prove.${circuit}.native.p50`, "ms"],
    [`prove.${circuit}.native.speedup`, "ratio"],
    [`prove.${circuit}.native.peak_rss`, "MiB"],
    [`verify.groth16.${circuit}.native.p50`, "ms"],
  ];
  return rows.map(([name, unit]) => ({ name, value: Number.NaN, unit, skipped: reason }));
}

/**
 * snarkjs and the native engine on the same witness, alternated proof by proof (the order swaps each round) so
 * background load on this shared machine hits both alike; then both verifiers on the same proofs (each engine's
 * verifier checks the other's proof too). Rows: each engine's warm p50 and peak RSS, the speedup, and verify p50s.
 */
export async function compareGroth16Engines(circuit: string, witnessInput: Record<string, unknown>, runs: number): Promise<BenchRow[]> {
  const resolved = resolveGroth16Engine({ engine: "native", onFallback: () => undefined });
  if (resolved.engine !== "native") return skippedGroth16EngineRows(circuit, "teezk-groth16 not built (cd zkprogram && cargo build --release -p teezk-groth16)");
  const engines = { snarkjs: createGroth16Prover({ engine: "snarkjs" }), native: createGroth16Prover({ engine: "native" }) };
  try {
    const loadBefore = loadavg()[0]!.toFixed(1);
    const proofs: Record<keyof typeof engines, ProveReturnType<Groth16Proof>[]> = { snarkjs: [], native: [] };
    for (const prover of Object.values(engines)) await prover.prove({ circuit, witnessInput });
    for (let i = 0; i < runs; i++) {
      const order = i % 2 === 0 ? (["snarkjs", "native"] as const) : (["native", "snarkjs"] as const);
      for (const name of order) proofs[name].push(await engines[name].prove({ circuit, witnessInput }));
    }
    const verifyMs = { snarkjs: [] as number[], native: [] as number[] };
    const all = [...proofs.snarkjs, ...proofs.native];
    for (let i = 0; i < 2 * all.length + 2; i++) {
      const proof = all[i % all.length]!;
      const name = i % 2 === 0 ? "snarkjs" : "native";
      const started = performance.now();
      const valid = await engines[name].verify({ circuit, proof: proof.proof, publicSignals: proof.publicSignals });
      if (!valid) throw new TeezkError("INTERNAL", `bench: ${name} rejected a valid ${circuit} proof`);
      if (i >= 2) verifyMs[name].push(performance.now() - started);
    }
    const load = `1-min load ${loadBefore} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
    const ms = (name: keyof typeof engines) => p50(proofs[name].map((r) => r.timings.ms));
    const witness = (name: keyof typeof engines) => round(p50(proofs[name].map((r) => r.timings.witnessMs ?? 0)));
    const setting = `${circuit}, same witness, ${runs} warm proofs per engine alternated; ${load}`;
    return [
      {
        name: `prove.${circuit}.native.p50`,
        value: round(ms("native")),
        unit: "ms",
        anchor: `vs snarkjs ${round(ms("snarkjs"))} ms in the same run (witness p50: both use circom's wasm, ${witness("native")} / ${witness("snarkjs")} ms); ${setting}`,
        target: "≥ 3× faster than snarkjs",
      },
      { name: `prove.${circuit}.native.speedup`, value: round((ms("snarkjs") / ms("native")) * 10) / 10, unit: "ratio", anchor: setting, target: "≥ 3" },
      {
        name: `prove.${circuit}.native.peak_rss`,
        value: Math.round(Math.max(...proofs.native.map((r) => r.peakRssMiB ?? 0))),
        unit: "MiB",
        anchor: `witness process + teezk-groth16 high-water marks together; snarkjs ${Math.round(Math.max(...proofs.snarkjs.map((r) => r.peakRssMiB ?? 0)))} MiB`,
      },
      {
        name: `verify.groth16.${circuit}.native.p50`,
        value: round(p50(verifyMs.native)),
        unit: "ms",
        anchor: `vs snarkjs ${round(p50(verifyMs.snarkjs))} ms on the same ${all.length} proofs (both engines' proofs, alternated), native from this process to its warm teezk-groth16, snarkjs through its warm prover process; ${load}`,
        target: "faster than snarkjs (issue 18 item 3)",
      },
    ];
  } finally {
    await Promise.all(Object.values(engines).map((prover) => prover.close()));
  }
}
