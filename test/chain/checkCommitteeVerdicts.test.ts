import { keccak256, toHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { checkCommitteeVerdicts, signVerdict } from "../../src/chain/index.js";
import { computeBindingFromKeyHash, encodeVerdictClaims, TcbStatus, TeeType, type Claims } from "../../src/claims/index.js";
import { rejection } from "../support/rejection.js";

// The registration preflight alone, no chain: each case is what a relayer or a rogue node could hand the CLI.
const word = (label: string): Hex => keccak256(toHex(label));
const node = (i: number) => privateKeyToAccount(word(`preflight node ${i}`));
const nodes = [node(0), node(1), node(2)];
const committee = { chainId: 31337, verifyingContract: privateKeyToAccount(word("committee contract")).address };
const enclave = privateKeyToAccount(word("preflight enclave")).address;
const binding = computeBindingFromKeyHash({ enclaveAddress: enclave, hpkeKeyHash: word("hpke"), nonce: word("nonce") });
const cpu: Claims = {
  teeType: TeeType.TDX,
  measurement: word("measurement"),
  reportData: binding,
  platformId: word("platform"),
  rootHash: word("root"),
  timestamp: 1_700_000_000n,
  tcbStatus: TcbStatus.UP_TO_DATE,
  svn: 0,
  debug: false,
};
const gpu: Claims = { ...cpu, teeType: TeeType.NVIDIA_GPU, measurement: word("gpu measurement") };

async function signedBy(claims: Claims, gpuClaims: Claims[] = [], domain = committee) {
  const claimsHash = keccak256(encodeVerdictClaims({ claims, gpuClaims }));
  return Promise.all(nodes.map((account) => signVerdict({ account, claimsHash, committee: domain })));
}

describe("checkCommitteeVerdicts", () => {
  it("accepts verdicts every node signed over the bound claims, CPU-only or composite, and returns what they signed", async () => {
    expect((await checkCommitteeVerdicts({ claims: cpu, gpuClaims: [], verdicts: await signedBy(cpu), binding, committee })).claimsHash).toBe(
      keccak256(encodeVerdictClaims({ claims: cpu })),
    );
    const composite = await checkCommitteeVerdicts({ claims: cpu, gpuClaims: [gpu], verdicts: await signedBy(cpu, [gpu]), binding, committee, gpuRequiredBy: word("gpu program") });
    expect(composite.claimsHash).toBe(keccak256(encodeVerdictClaims({ claims: cpu, gpuClaims: [gpu] })));
  });

  it("refuses claims bound to another enclave, key or nonce (BINDING_MISMATCH)", async () => {
    const elsewhere = { ...cpu, reportData: word("another binding") };
    expect((await rejection(checkCommitteeVerdicts({ claims: elsewhere, gpuClaims: [], verdicts: await signedBy(elsewhere), binding, committee }))).code).toBe("BINDING_MISMATCH");
  });

  it("refuses a verdict relabelled with another member's address, one for another committee or chain, and one over the CPU half of a composite (VERDICT_INVALID)", async () => {
    const verdicts = await signedBy(cpu);
    const relabelled = [{ ...verdicts[0]!, signer: nodes[1]!.address }, ...verdicts.slice(1)];
    const forged = await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [], verdicts: relabelled, binding, committee }));
    expect(forged.code).toBe("VERDICT_INVALID");
    expect(forged.shortMessage).toContain(`not signed by ${nodes[1]!.address}`);

    const otherChain = await signedBy(cpu, [], { ...committee, chainId: 1 });
    expect((await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [], verdicts: otherChain, binding, committee }))).code).toBe("VERDICT_INVALID");
    // Verdicts over the CPU half alone, presented with a GPU: the composite hash differs, so they do not recover.
    expect((await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [gpu], verdicts: verdicts, binding, committee }))).code).toBe("VERDICT_INVALID");
    const garbage = [{ signer: nodes[0]!.address, signature: `0x${"11".repeat(65)}` as Hex }];
    expect((await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [], verdicts: garbage, binding, committee }))).code).toBe("VERDICT_INVALID");
  });

  it("refuses GPU claims in the enclave's place, a GPU answering another binding, a CPU among the GPUs, and CPU-only verdicts for a GPU program", async () => {
    expect((await rejection(checkCommitteeVerdicts({ claims: gpu, gpuClaims: [], verdicts: await signedBy(gpu), binding, committee }))).code).toBe("GPU_NOT_AN_ENCLAVE");
    const borrowed = { ...gpu, reportData: word("another session") };
    expect((await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [borrowed], verdicts: await signedBy(cpu, [borrowed]), binding, committee }))).code).toBe(
      "BORROWED_GPU_REPORT",
    );
    expect((await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [cpu], verdicts: await signedBy(cpu, [cpu]), binding, committee }))).code).toBe("MALFORMED");
    const required = await rejection(checkCommitteeVerdicts({ claims: cpu, gpuClaims: [], verdicts: await signedBy(cpu), binding, committee, gpuRequiredBy: word("gpu program") }));
    expect(required.code).toBe("GPU_EVIDENCE_REQUIRED");
  });
});
