import { opt, str } from "../../support/chainOptions.js";
import { parseBytes32, parseHexArgument, parseUint } from "../../support/parseCliValues.js";
import type { ChainCommandBody, ChainSendContext, ChainViewContext } from "../../support/runChainCommand.js";
import { rootsPropose } from "./rootsPropose.js";
import { rootsReportConflict } from "./rootsReportConflict.js";
import { rootsStatus } from "./rootsStatus.js";
import { rootsSubmitZk } from "./rootsSubmitZk.js";

/*
 * The bodies of `teezk roots …`: each parses its command's flags (a bad value is CONFIG_INVALID naming the flag) and
 * calls the command's function; registerRootsCommands.ts declares the flags and loads this file when one runs.
 */

/** `teezk roots propose` */
export const propose: ChainCommandBody<ChainSendContext> = (ctx, raw) =>
  rootsPropose({
    ...ctx,
    epoch: parseUint(str(raw.epoch), "--epoch"),
    root: parseBytes32(str(raw.root), "--root"),
    signaturesFile: str(raw.signatures),
    ...opt(raw.zkProof, (v) => ({ zkProof: parseHexArgument(v, "--zk-proof") })),
  });

/** `teezk roots status` */
export const status: ChainCommandBody<ChainViewContext> = (ctx, raw) => rootsStatus({ ...ctx, ...opt(raw.epoch, (v) => ({ epoch: parseUint(v, "--epoch") })) });

/** `teezk roots report-conflict` */
export const reportConflict: ChainCommandBody<ChainSendContext> = (ctx, raw) =>
  rootsReportConflict({ ...ctx, epoch: parseUint(str(raw.epoch), "--epoch"), root: parseBytes32(str(raw.root), "--root"), signaturesFile: str(raw.signatures) });

/** `teezk roots submit-zk` */
export const submitZk: ChainCommandBody<ChainSendContext> = (ctx, raw) =>
  rootsSubmitZk({ ...ctx, epoch: parseUint(str(raw.epoch), "--epoch"), root: parseBytes32(str(raw.root), "--root"), zkProof: parseHexArgument(str(raw.zkProof), "--zk-proof") });
