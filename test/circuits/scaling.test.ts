import { afterAll, describe, expect, it } from "vitest";
import { isTeezkError } from "../../src/errors/index.js";
import { createGroth16Prover } from "../../src/prover/index.js";
import { scalingSizes } from "../../scripts/circuits/circuitDefinitions.js";
import { sha256PreimageInput } from "../prover/sha256RandomMessage.js";
import { isCircuitBuilt } from "./isCircuitBuilt.js";

/** A message of `bytes` bytes and its SHA-256 as the circuit's two public 128-bit halves. */
function statement(bytes: number, seed: number) {
  const message = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) message[i] = (i * 131 + seed * 17 + 5) & 0xff;
  return { witnessInput: sha256PreimageInput(message) };
}

// The scaling members are built on demand (their ceremonies take minutes to hours here) and never committed:
// each member's test runs when its artifacts exist and is skipped, saying how to build it, when they do not.
describe("SHA-256 scaling family (on-demand artifacts)", () => {
  const prover = createGroth16Prover({ timeoutMs: 30 * 60_000 });
  afterAll(() => prover.close());

  for (const bytes of scalingSizes) {
    const circuit = `sha256_${bytes}`;
    const built = isCircuitBuilt(circuit);
    const title = built
      ? `${circuit} proves a ${bytes}-byte preimage, verifies, and rejects a wrong digest`
      : `${circuit}: skipped, not built (npm run circuits:build -- --scaling=${bytes})`;

    it.skipIf(!built)(
      title,
      async () => {
        const { witnessInput } = statement(bytes, 1);
        const result = await prover.prove({ circuit, witnessInput });
        expect(result.publicSignals).toEqual([witnessInput.digestHi.toString(), witnessInput.digestLo.toString()]);
        expect(await prover.verify({ circuit, proof: result.proof, publicSignals: result.publicSignals })).toBe(true);

        // The same proof against another message's digest, or a digest with one bit flipped, does not verify.
        const other = statement(bytes, 2).witnessInput;
        const otherSignals = [other.digestHi.toString(), other.digestLo.toString()];
        expect(await prover.verify({ circuit, proof: result.proof, publicSignals: otherSignals })).toBe(false);
        const flipped = [result.publicSignals[0]!, (BigInt(result.publicSignals[1]!) ^ 1n).toString()];
        expect(await prover.verify({ circuit, proof: result.proof, publicSignals: flipped })).toBe(false);

        // A witness claiming a digest the message does not hash to cannot even be computed.
        const wrong = { ...witnessInput, digestLo: witnessInput.digestLo ^ 1n };
        const error = await prover.prove({ circuit, witnessInput: wrong }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isTeezkError(error, "WITNESS_INVALID")).toBe(true);
      },
      30 * 60_000,
    );
  }
});
