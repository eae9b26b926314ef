import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import { chainCommandDeclarers } from "../../support/chainCommand.js";
import { repeat } from "../../support/chainOptions.js";

/** The bodies (flag parsing and the library calls) load only when one of these commands runs. */
const bodies = () => import("./receiptsCommandBodies.js");

/** Adds `teezk receipts …`: check and consume signed receipts, submit and check batches. */
export function registerReceiptsCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const { view, send } = chainCommandDeclarers(io, setExitCode);
  const receipts = program.command("receipts").description("ReceiptVerifier / BatchReceipts: check, consume and batch enclave receipts");
  view(
    receipts
      .command("verify")
      .description("Check a signed receipt on-chain (a view: free, repeatable, does not mark it used)")
      .requiredOption("--receipt <file>", '{ "receipt": {…}, "signature": "0x…" } as a prover node returns it'),
    "receipts verify",
    ["receiptVerifier"],
    async () => (await bodies()).verify,
  );
  send(
    receipts
      .command("consume")
      .description("Verify and consume a signed receipt once for the sending account (replays revert)")
      .requiredOption("--receipt <file>", '{ "receipt": {…}, "signature": "0x…" }'),
    "receipts consume",
    ["receiptVerifier"],
    async () => (await bodies()).consume,
  );
  const batch = receipts.command("batch").description("Batches of receipts under one enclave signature (StandardMerkleTree)");
  send(
    batch
      .command("submit")
      .description("Rebuild a batch's Merkle root from its receipts and submit it with the enclave's batch signature")
      .requiredOption("--receipts <file.jsonl>", "one receipt (or { receipt }) per line")
      .requiredOption("--signature <hex>", "the enclave's EIP-712 signature over Batch(root, count, issuedAt)")
      .requiredOption("--issued-at <seconds>", "the batch's issuedAt as signed"),
    "receipts batch submit",
    ["batchReceipts"],
    async () => (await bodies()).batchSubmit,
  );
  send(
    batch
      .command("refresh-liveness")
      .description("Cache the signer's liveness for one program of a submitted batch, so its inclusion checks take the cheap path again (after a revocation, rotation or removal, or for a program other than the one named at submission; anyone may send it)")
      .requiredOption("--root <hex32>", "the batch root")
      .requiredOption("--signer <address>", "the enclave that submitted the batch")
      .requiredOption("--program-id <hex32>", "the program whose receipts in the batch to cache"),
    "receipts batch refresh-liveness",
    ["batchReceipts"],
    async () => (await bodies()).batchRefreshLiveness,
  );
  view(
    batch
      .command("verify-inclusion")
      .description("Check on-chain that a receipt is in a batch --signer submitted and that --signer is live: --receipts + --index, or --receipt + --root + --proof")
      .requiredOption("--signer <address>", "the enclave that submitted the batch (`receipts batch submit` prints it)")
      .option("--receipts <file.jsonl>", "the batch's receipts file (the proof is derived)")
      .option("--index <n>", "the receipt's line index in --receipts (0-based, blank lines skipped)")
      .option("--receipt <file>", "one receipt (bare or { receipt })")
      .option("--root <hex32>", "the batch root")
      .option("--proof <nodes>", "comma-separated 32-byte hex nodes, or @file with a JSON array"),
    "receipts batch verify-inclusion",
    ["batchReceipts"],
    async () => (await bodies()).batchVerifyInclusion,
  );
}
