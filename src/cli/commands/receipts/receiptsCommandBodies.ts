import type { Hex } from "viem";
import { TeezkError } from "../../../errors/index.js";
import { str } from "../../support/chainOptions.js";
import { parseAddress, parseBytes32, parseHexArgument, parseUint, readJsonFile } from "../../support/parseCliValues.js";
import type { ChainCommandBody, ChainSendContext, ChainViewContext } from "../../support/runChainCommand.js";
import { receiptsBatchRefreshLiveness } from "./receiptsBatchRefreshLiveness.js";
import { receiptsBatchSubmit } from "./receiptsBatchSubmit.js";
import { receiptsBatchVerifyInclusion } from "./receiptsBatchVerifyInclusion.js";
import { receiptsConsume } from "./receiptsConsume.js";
import { receiptsVerify } from "./receiptsVerify.js";

/*
 * The bodies of `teezk receipts …`: each parses its command's flags (a bad value is CONFIG_INVALID naming the flag) and
 * calls the command's function; registerReceiptsCommands.ts declares the flags and loads this file when one runs.
 */

/** `teezk receipts verify` */
export const verify: ChainCommandBody<ChainViewContext> = (ctx, raw) => receiptsVerify({ ...ctx, receiptFile: str(raw.receipt) });

/** `teezk receipts consume` */
export const consume: ChainCommandBody<ChainSendContext> = (ctx, raw) => receiptsConsume({ ...ctx, receiptFile: str(raw.receipt) });

/** `teezk receipts batch submit` */
export const batchSubmit: ChainCommandBody<ChainSendContext> = (ctx, raw) =>
  receiptsBatchSubmit({
    ...ctx,
    receiptsFile: str(raw.receipts),
    signature: parseHexArgument(str(raw.signature), "--signature", 200),
    issuedAt: parseUint(str(raw.issuedAt), "--issued-at"),
  });

/** `teezk receipts batch refresh-liveness` */
export const batchRefreshLiveness: ChainCommandBody<ChainSendContext> = (ctx, raw) =>
  receiptsBatchRefreshLiveness({
    ...ctx,
    root: parseBytes32(str(raw.root), "--root"),
    signer: parseAddress(str(raw.signer), "--signer"),
    programId: parseBytes32(str(raw.programId), "--program-id"),
  });

/** `teezk receipts batch verify-inclusion` */
export const batchVerifyInclusion: ChainCommandBody<ChainViewContext> = (ctx, raw) => {
  const signer = parseAddress(str(raw.signer), "--signer");
  if (raw.receipts !== undefined) {
    if (raw.index === undefined) throw new TeezkError("CONFIG_INVALID", "--receipts needs --index <n>");
    return receiptsBatchVerifyInclusion({ ...ctx, signer, receiptsFile: str(raw.receipts), index: Number(parseUint(str(raw.index), "--index", 0xffffffffn)) });
  }
  if (raw.receipt === undefined || raw.root === undefined || raw.proof === undefined) {
    throw new TeezkError("CONFIG_INVALID", "Pass --receipts <file.jsonl> --index <n>, or --receipt <file> --root <hex32> --proof <nodes>");
  }
  return receiptsBatchVerifyInclusion({ ...ctx, signer, receiptFile: str(raw.receipt), root: parseBytes32(str(raw.root), "--root"), proof: parseProof(str(raw.proof)) });
};

function parseProof(value: string): Hex[] {
  const nodes = value.startsWith("@") ? readJsonFile(value.slice(1), "--proof file", 64 * 1024) : value === "" ? [] : value.split(",");
  if (!Array.isArray(nodes) || nodes.length > 64) throw new TeezkError("CONFIG_INVALID", "--proof must list at most 64 nodes (a JSON array in an @file)");
  return nodes.map((node, i) => parseBytes32(String(node).trim(), `--proof node ${i}`));
}
