import { describe, expect, it } from "vitest";
import { createGroth16Prover, resolveGroth16Engine, type Groth16Engine, type Groth16Proof } from "../../src/prover/index.js";
import { codeOf, rejection } from "../support/rejection.js";
import { membershipFixture } from "./membershipFixture.js";

const existing = process.execPath;

describe("resolveGroth16Engine", () => {
  it("uses snarkjs unless native is asked for, by option or TEEZK_GROTH16_ENGINE", () => {
    expect(resolveGroth16Engine({ env: {} })).toEqual({ engine: "snarkjs" });
    expect(resolveGroth16Engine({ env: { TEEZK_GROTH16_ENGINE: "native", TEEZK_GROTH16_BIN: existing } })).toEqual({ engine: "native", nativeBinaryPath: existing });
    expect(resolveGroth16Engine({ engine: "snarkjs", env: { TEEZK_GROTH16_ENGINE: "native", TEEZK_GROTH16_BIN: existing } })).toEqual({ engine: "snarkjs" });
    expect(resolveGroth16Engine({ engine: "native", nativeBinary: existing, env: {} })).toEqual({ engine: "native", nativeBinaryPath: existing });
  });

  it("falls back to snarkjs when the native binary is missing, and says so with the build command", () => {
    const told: string[] = [];
    const resolved = resolveGroth16Engine({ engine: "native", nativeBinary: "/nonexistent/teezk-groth16", onFallback: (reason) => told.push(reason), env: {} });
    expect(resolved).toEqual({ engine: "snarkjs" });
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("/nonexistent/teezk-groth16");
    expect(told[0]).toContain("cargo build --release -p teezk-groth16");
    const prover = createGroth16Prover({ engine: "native", nativeBinary: "/nonexistent/teezk-groth16", onFallback: () => undefined });
    expect(prover.engine).toBe("snarkjs");
    void prover.close();
  });

  it("refuses an unknown engine with CONFIG_INVALID", () => {
    expect(codeOf(() => resolveGroth16Engine({ engine: "rapidsnark" as Groth16Engine, env: {} }))).toBe("CONFIG_INVALID");
    expect(codeOf(() => resolveGroth16Engine({ env: { TEEZK_GROTH16_ENGINE: "gpu" } }))).toBe("CONFIG_INVALID");
  });

  it("fails a proof with PROVER_FAILED, not a hang, when the native binary dies", async () => {
    // /bin/false exits at once: the request must fail through the prover process, which stays usable.
    const prover = createGroth16Prover({ engine: "native", nativeBinary: "/bin/false" });
    try {
      const error = await rejection(prover.prove({ circuit: "membership", witnessInput: membershipFixture().witnessInput }));
      expect(error.code).toBe("PROVER_FAILED");
      expect(error.message).toContain("native prover");
    } finally {
      await prover.close();
    }
  });

  it("fails a verification with PROVER_FAILED, not a hang, when the native binary dies or never answers, and again on the next request", async () => {
    // Well-formed values (the checks before the engine pass); the engine never gets to the pairing.
    const proof: Groth16Proof = { pi_a: ["1", "2", "1"], pi_b: [["1", "2"], ["3", "4"], ["1", "0"]], pi_c: ["1", "2", "1"], protocol: "groth16", curve: "bn128" };
    const request = { circuit: "membership", proof, publicSignals: ["1", "2", "3", "4"] };
    const dead = createGroth16Prover({ engine: "native", nativeBinary: "/bin/false" });
    // /bin/sh reads each request line as a command and prints nothing on stdout: a verifier that never answers.
    const silent = createGroth16Prover({ engine: "native", nativeBinary: "/bin/sh", timeoutMs: 300 });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const died = await rejection(dead.verify(request));
        expect(died.code).toBe("PROVER_FAILED");
        expect(died.message).toContain("native Groth16 verifier");
        expect((await rejection(silent.verify(request))).code).toBe("PROVER_FAILED");
      }
    } finally {
      await Promise.all([dead.close(), silent.close()]);
    }
  });
});
