import type { Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { signRoot } from "../../src/chain/index.js";
import { rootsPropose } from "../../src/cli/commands/roots/rootsPropose.js";
import { rootsReportConflict } from "../../src/cli/commands/roots/rootsReportConflict.js";
import { rootsStatus } from "../../src/cli/commands/roots/rootsStatus.js";
import { rootsSubmitZk } from "../../src/cli/commands/roots/rootsSubmitZk.js";
import type { ChainDeployment } from "../../src/cli/support/resolveDeployment.js";
import {
  ESCAPE_DELAY,
  PROGRAM_ID,
  allowSimulatedVendors,
  deployTeezkSystem,
  registerSimulatedEnclave,
  testAccount,
  word,
  zkProofFor,
  type RegisteredEnclave,
  type TeezkSystem,
} from "../chain/support/system.js";
import { deploymentOf, tempDir, writeTemp } from "./support/chainCli.js";
import { rejection } from "../support/rejection.js";

describe("teezk roots … on the in-process chain", () => {
  let system: TeezkSystem;
  let deployment: ChainDeployment;
  let nitroA: RegisteredEnclave;
  let nitroB: RegisteredEnclave;
  let tdx: RegisteredEnclave;
  const dir = tempDir();
  let files = 0;
  const signaturesFile = async (epoch: bigint, root: Hex, enclaves: RegisteredEnclave[]) =>
    writeTemp(
      dir,
      `signatures-${files++}.json`,
      await Promise.all(enclaves.map((e) => signRoot({ account: e.account, epoch, root, roots: { chainId: system.chainId, verifyingContract: system.addresses.multiProverRoots } }))),
    );

  beforeAll(async () => {
    system = await deployTeezkSystem();
    deployment = deploymentOf(system);
    const { nodes } = await allowSimulatedVendors(system, ["nitro", "tdx"]);
    nitroA = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("cli roots nitro A"));
    nitroB = await registerSimulatedEnclave(system, nodes, "nitro", testAccount("cli roots nitro B"));
    tdx = await registerSimulatedEnclave(system, nodes, "tdx", testAccount("cli roots tdx"));
  });

  it("status reports the quorum rule and the escape hatch of a running contract", async () => {
    const status = await rootsStatus({ ...system.clients, deployment, epoch: 1n });
    expect(status.json).toMatchObject({ halted: false, minVendors: "2", zkRequired: false, programId: PROGRAM_ID, escapeDelay: String(ESCAPE_DELAY), epoch: { finalized: false, root: null } });
    expect(status.text).toContain("quorum 2 distinct vendors");
    expect(status.text).toContain("TDX and SGX are both Intel");
  });

  it("propose: one vendor is refused with a hint; Nitro + TDX finalizes and status shows the root", async () => {
    const root = word("cli state root 1");
    const oneVendor = await rejection(rootsPropose({ ...system.clients, deployment, epoch: 1n, root, signaturesFile: await signaturesFile(1n, root, [nitroA, nitroB]) }));
    expect(oneVendor.details).toBe("InsufficientQuorum(1, 2, false)");
    expect(oneVendor.metaMessages.join(" ")).toContain("other vendors");

    const finalized = await rootsPropose({ ...system.clients, deployment, epoch: 1n, root, signaturesFile: await signaturesFile(1n, root, [nitroA, tdx]) });
    expect(finalized.json).toMatchObject({ epoch: "1", root, finalized: true, teeTypes: ["TDX", "NITRO"], vendors: ["INTEL", "AWS"] });
    expect(finalized.text).toContain("vendors INTEL + AWS");
    const event = (finalized.json.events as { name: string; args: Record<string, unknown> }[]).find((e) => e.name === "RootFinalized");
    expect(event?.args).toMatchObject({ epoch: "1", root, zkProven: false, escape: false });
    expect((await rootsStatus({ ...system.clients, deployment, epoch: 1n })).json.epoch).toEqual({ epoch: "1", finalized: true, root });
  });

  it("a signature over another root is refused locally, naming the signer", async () => {
    const root = word("cli state root 2");
    const file = await signaturesFile(2n, word("something else"), [nitroA, tdx]);
    const error = await rejection(rootsPropose({ ...system.clients, deployment, epoch: 2n, root, signaturesFile: file }));
    expect(error.code).toBe("SIGNATURE_INVALID");
    expect(error.shortMessage).toContain(`not ${nitroA.account.address}'s signature over epoch 2`);
  });

  it("report-conflict halts the contract and removes the equivocating enclave; then only submit-zk finalizes", async () => {
    const conflicting = word("cli forged root 1");
    const reported = await rootsReportConflict({ ...system.clients, deployment, epoch: 1n, root: conflicting, signaturesFile: await signaturesFile(1n, conflicting, [nitroB]) });
    expect(reported.json).toMatchObject({ halted: true, removed: [nitroB.account.address] });
    const names = (reported.json.events as { contract: string; name: string }[]).map((e) => `${e.contract}.${e.name}`);
    expect(names).toEqual(expect.arrayContaining(["multiProverRoots.ConflictReported", "multiProverRoots.Halted", "enclaveRegistry.EnclaveRemoved"]));
    expect((await rootsStatus({ ...system.clients, deployment })).json).toMatchObject({ halted: true, escapeOpen: true });
    const disputed = await rootsStatus({ ...system.clients, deployment, epoch: 1n });
    expect(disputed.json.epoch).toEqual({ epoch: "1", finalized: false, root: null, disputed: { root: word("cli state root 1"), conflictingRoot: conflicting } });
    expect(disputed.text).toContain("DISPUTED");
    const again = await rejection(rootsReportConflict({ ...system.clients, deployment, epoch: 1n, root: conflicting, signaturesFile: await signaturesFile(1n, conflicting, [nitroB]) }));
    expect(again.details).toBe(`ConflictSignersAlreadyRemoved(1, ${conflicting})`);
    expect(again.metaMessages.join(" ")).toContain("cannot halt the contract again");

    const root2 = word("cli state root 2");
    const halted = await rejection(rootsPropose({ ...system.clients, deployment, epoch: 2n, root: root2, signaturesFile: await signaturesFile(2n, root2, [nitroA, tdx]) }));
    expect(halted.details).toBe("ContractHalted()");
    expect(halted.metaMessages.join(" ")).toContain("roots submit-zk");

    const wrongProof = await rejection(rootsSubmitZk({ ...system.clients, deployment, epoch: 2n, root: root2, zkProof: zkProofFor(2n, word("other")) }));
    expect(wrongProof.details).toBe(`InvalidZkProof(2, ${root2})`);
    const escaped = await rootsSubmitZk({ ...system.clients, deployment, epoch: 2n, root: root2, zkProof: zkProofFor(2n, root2) });
    expect(escaped.json).toMatchObject({ epoch: "2", root: root2, finalized: true, escape: true });
    expect((await rootsStatus({ ...system.clients, deployment, epoch: 2n })).json.epoch).toEqual({ epoch: "2", finalized: true, root: root2 });
  });

  it("without a MultiProverRoots address every roots command is CONFIG_INVALID naming --multi-prover-roots", async () => {
    const { multiProverRoots: _omitted, ...partial } = deployment;
    const error = await rejection(rootsStatus({ ...system.clients, deployment: partial }));
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.shortMessage).toContain("--multi-prover-roots");
    expect(error.metaMessages.join(" ")).toContain("TEEZK_ROOT_PROOF_VERIFIER");
  });
});
