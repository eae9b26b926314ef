import { readFileSync } from "node:fs";
import { dcapCollateralUploads, pushDcapCollateral, type TeezkClients } from "../../../chain/index.js";
import { TeezkError } from "../../../errors/index.js";
import { loadDcapCollateral } from "../../../evidence/tdx/collateral/index.js";
import { MAX_DCAP_QUOTE_BYTES } from "../../../evidence/tdx/constants.js";
import { parseDcapQuote } from "../../../evidence/tdx/parseDcapQuote.js";
import { decodeEvidenceInput } from "../../../util/bytes.js";
import { parsePemBundle } from "../../../util/x509.js";
import type { ChainCommandOutput } from "../../support/chainCommandOutput.js";
import type { ChainCommandBody, ChainSendContext } from "../../support/runChainCommand.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";

export type CollateralPushParameters = TeezkClients & {
  deployment: ChainDeployment;
  /** A collateral folder (Intel PCS files or dcap-qvl JSON), as `collateral fetch` writes it. */
  collateralDir: string;
  /** Optional quote whose PCK chain names the PCK CA to store (the collateral's issuer chain is used otherwise). */
  quoteFile?: string;
};

/**
 * `teezk collateral push`: sends a DCAP collateral folder to the on-chain DcapCollateralStore, only what the store
 * lacks or holds an older version of (the store checks each item against its pinned root itself).
 */
export async function collateralPush(parameters: CollateralPushParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, collateralDir, quoteFile } = parameters;
  const store = requireAddress(deployment, "dcapCollateralStore");
  const collateral = loadDcapCollateral(collateralDir);
  const pckCas = quoteFile === undefined ? [] : parsePemBundle(parseDcapQuote(readQuote(quoteFile)).pckChainPem).slice(1, 2);
  const uploads = dcapCollateralUploads(collateral, pckCas);
  if (uploads.length === 0) throw new TeezkError("COLLATERAL_MISSING", `${collateralDir} holds no DCAP collateral item the store takes`);
  try {
    const pushed = await pushDcapCollateral({ clients: { publicClient, walletClient }, store, uploads });
    const gasUsed = pushed.sent.reduce((sum, item) => sum + item.gasUsed, 0n);
    const lines = [`pushed ${pushed.sent.length} item(s) to ${store}, ${pushed.skipped.length} already current (${gasUsed.toLocaleString("en-US")} gas)`];
    for (const item of pushed.sent) lines.push(`  sent ${item.name} (${item.gasUsed.toLocaleString("en-US")} gas)`);
    for (const name of pushed.skipped) lines.push(`  current ${name}`);
    return {
      text: `${lines.join("\n")}\n`,
      json: { command: "collateral push", store, sent: pushed.sent.map((item) => ({ name: item.name, gasUsed: Number(item.gasUsed) })), skipped: pushed.skipped, gasUsed: Number(gasUsed) },
    };
  } catch (error) {
    throw explainChainError(error, "collateral push");
  }
}

/** A quote file in raw binary, hex or base64, as every evidence input. */
export function readQuote(path: string): Uint8Array {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (cause) {
    throw new TeezkError("CONFIG_INVALID", `Cannot read the quote file ${path}`, { cause });
  }
  return decodeEvidenceInput(new Uint8Array(raw), MAX_DCAP_QUOTE_BYTES).bytes;
}

/** The `collateral push` command body: flags to collateralPush. */
export const collateralPushBody: ChainCommandBody<ChainSendContext> = (ctx, flags) =>
  collateralPush({
    ...ctx,
    collateralDir: typeof flags.collateral === "string" ? flags.collateral : "",
    ...(typeof flags.quote === "string" ? { quoteFile: flags.quote } : {}),
  });
