import { describe, expect, it } from "vitest";
import { createGroth16Prover } from "../../src/prover/index.js";
import { rejection } from "../support/rejection.js";
import { membershipFixture } from "./membershipFixture.js";

// The channel behind createGroth16Prover: its failure paths, which the proving suite never takes.
describe("createProverProcessChannel (through createGroth16Prover)", () => {
  it("a request the process cannot answer in time fails with PROVER_FAILED and frees the prover", async () => {
    // The process cannot even start within 1 ms, let alone prove.
    const prover = createGroth16Prover({ timeoutMs: 1 });
    const { witnessInput } = membershipFixture();
    const timedOut = await rejection(prover.prove({ circuit: "membership", witnessInput }));
    expect(timedOut.code).toBe("PROVER_FAILED");
    expect(timedOut.shortMessage).toContain("did not answer within 1 ms");
    // Queued behind the first, the second gets its own deadline and its own (fresh) process.
    const second = await rejection(prover.prove({ circuit: "membership", witnessInput }));
    expect(second.shortMessage).toContain("did not answer within 1 ms");
    await prover.close();
  });

  it("after close every request fails with PROVER_FAILED, and close may be called again", async () => {
    const prover = createGroth16Prover();
    await prover.close();
    const refused = await rejection(prover.prove({ circuit: "membership", witnessInput: membershipFixture().witnessInput }));
    expect(refused.code).toBe("PROVER_FAILED");
    expect(refused.shortMessage).toContain("closed");
    await prover.close();
  });
});
