import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import { chainCommandDeclarers } from "../../support/chainCommand.js";

/** The bodies (flag parsing and the library calls) load only when one of these commands runs. */
const bodies = () => import("./rootsCommandBodies.js");

/** Adds `teezk roots …`: MultiProverRoots proposals, status, conflict reports and the ZK escape hatch. */
export function registerRootsCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const { view, send } = chainCommandDeclarers(io, setExitCode);
  const roots = program.command("roots").description("MultiProverRoots: roots finalized by several TEE vendors, conflicts, the ZK escape hatch");
  send(
    roots
      .command("propose")
      .description("Submit (epoch, root) with enclave signatures; finalizes only with enough distinct vendors (TDX and SGX are both Intel)")
      .requiredOption("--epoch <n>", "epoch (uint64)")
      .requiredOption("--root <hex32>", "state root")
      .requiredOption("--signatures <file>", '[{ "signer": "0x…", "signature": "0x…" }, …] over Root(epoch, root)')
      .option("--zk-proof <hex>", "ZK proof (0x… or @file); required by ZK deployments"),
    "roots propose",
    ["multiProverRoots"],
    async () => (await bodies()).propose,
  );
  view(
    roots.command("status").description("Halted or running, quorum rule, escape hatch, and an epoch's finalized root").option("--epoch <n>", "also show this epoch"),
    "roots status",
    ["multiProverRoots"],
    async () => (await bodies()).status,
  );
  send(
    roots
      .command("report-conflict")
      .description("Report enclaves that signed a second root for a finalized epoch: halts the contract, disputes the epoch and removes them (keys already removed cannot report again)")
      .requiredOption("--epoch <n>", "the finalized epoch")
      .requiredOption("--root <hex32>", "the conflicting root")
      .requiredOption("--signatures <file>", "the enclaves' signatures over (epoch, conflicting root)"),
    "roots report-conflict",
    ["multiProverRoots"],
    async () => (await bodies()).reportConflict,
  );
  send(
    roots
      .command("submit-zk")
      .description("Escape hatch: finalize (epoch, root) with a ZK proof alone while halted, after escapeDelay without a TEE quorum, or to settle a disputed epoch")
      .requiredOption("--epoch <n>", "epoch (uint64)")
      .requiredOption("--root <hex32>", "state root")
      .requiredOption("--zk-proof <hex>", "ZK proof (0x… or @file)"),
    "roots submit-zk",
    ["multiProverRoots"],
    async () => (await bodies()).submitZk,
  );
}
