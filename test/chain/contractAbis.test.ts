import { describe, expect, it } from "vitest";
import * as committed from "../../src/chain/contractAbis.js";
import { abiSources, readArtifactAbis } from "../../scripts/writeContractAbis.js";

describe("src/chain/contractAbis.ts", () => {
  it("equals the ABIs in the compiled artifacts (regenerate with `npx tsx scripts/writeContractAbis.ts`)", () => {
    const fresh = readArtifactAbis();
    for (const name of Object.keys(abiSources) as (keyof typeof abiSources)[]) {
      expect(committed[name], name).toEqual(fresh[name]);
    }
  });
});
