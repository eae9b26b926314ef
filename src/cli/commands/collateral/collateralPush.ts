import { readFileSync } from "node:fs";
import type { Address } from "viem";
import { pushDcapCollateral, type TeezkClients } from "../../../chain/index.js";
import { dcapCollateralStoreAbi } from "../../../chain/contractAbis.js";
import { dcapCollateralUploads } from "../../../collateral/dcapCollateralUploads.js";
import { isTeezkError, TeezkError } from "../../../errors/index.js";
import { verifyEvidence } from "../../../evidence/verifyEvidence.js";
import { loadDcapCollateral, type DcapCollateral } from "../../../evidence/tdx/collateral/index.js";
import { MAX_DCAP_QUOTE_BYTES } from "../../../evidence/tdx/constants.js";
import { parseDcapQuote } from "../../../evidence/tdx/parseDcapQuote.js";
import { decodeEvidenceInput } from "../../../util/bytes.js";
import { parsePemBundle } from "../../../util/x509.js";
import type { ChainCommandOutput } from "../../support/chainCommandOutput.js";
import type { ChainCommandBody, ChainSendContext } from "../../support/runChainCommand.js";
import { explainChainError } from "../../support/explainChainError.js";
import { requireAddress, type ChainDeployment } from "../../support/resolveDeployment.js";
import { withFetchedCollateral } from "./collateralCommand.js";
import type { CollateralServiceOptions } from "./collateralServiceOptions.js";

export type CollateralPushParameters = TeezkClients & {
  deployment: ChainDeployment;
  /**
   * A collateral folder (Intel PCS files or dcap-qvl JSON), as `collateral fetch` writes it. Without one, the
   * quote's collateral is fetched from Intel PCS / a PCCS (or the cache) by the fetcher `teezk verify` uses.
   */
  collateralDir?: string;
  /** The platform's quote: its PCK chain names the PCK CA to store; required when no folder is given. */
  quoteFile?: string;
  /** Where and how to fetch when no folder is given (`--pcs-url`, `--offline`, `--cache-dir`, `--fetch-timeout`). */
  fetchOptions?: CollateralServiceOptions;
  /** The time fetched collateral must be fresh at and the quote is verified at (default now). */
  now?: Date;
};

/**
 * `teezk collateral push`: sends a DCAP collateral folder to the on-chain DcapCollateralStore, only what the store
 * lacks or holds an older version of (the store checks each item against its pinned root itself).
 */
export async function collateralPush(parameters: CollateralPushParameters): Promise<ChainCommandOutput> {
  const { deployment, publicClient, walletClient, collateralDir, quoteFile } = parameters;
  const store = requireAddress(deployment, "dcapCollateralStore");
  const quote = quoteFile === undefined ? undefined : readQuote(quoteFile);
  const source = collateralDir !== undefined ? { collateral: loadDcapCollateral(collateralDir), from: collateralDir } : await fetchForQuote(quote, store, parameters);
  const pckCas = quote === undefined ? [] : parsePemBundle(parseDcapQuote(quote).pckChainPem).slice(1, 2);
  const uploads = dcapCollateralUploads(source.collateral, pckCas);
  if (uploads.length === 0) throw new TeezkError("COLLATERAL_MISSING", `${source.from} holds no DCAP collateral item the store takes`);
  try {
    const pushed = await pushDcapCollateral({ clients: { publicClient, walletClient }, store, uploads });
    const gasUsed = pushed.sent.reduce((sum, item) => sum + item.gasUsed, 0n);
    const lines = [`pushed ${pushed.sent.length} item(s) to ${store}, ${pushed.skipped.length} already current (${gasUsed.toLocaleString("en-US")} gas)`];
    if (source.quoteRefused) lines.push(`  the quote itself is refused with this collateral (${source.quoteRefused}): pushed so that the chain refuses it too`);
    for (const item of pushed.sent) lines.push(`  sent ${item.name} (${item.gasUsed.toLocaleString("en-US")} gas)`);
    for (const name of pushed.skipped) lines.push(`  current ${name}`);
    return {
      text: `${lines.join("\n")}\n`,
      json: {
        command: "collateral push",
        store,
        from: source.from,
        ...(source.quoteRefused ? { quoteRefused: source.quoteRefused } : {}),
        sent: pushed.sent.map((item) => ({ name: item.name, gasUsed: Number(item.gasUsed) })),
        skipped: pushed.skipped,
        gasUsed: Number(gasUsed),
      },
    };
  } catch (error) {
    throw explainChainError(error, "collateral push");
  }
}

type PushSource = { collateral: DcapCollateral; from: string; quoteRefused?: string };

/**
 * The quote's collateral from Intel PCS / a PCCS or the cache, through the fetcher `teezk verify` and `collateral
 * fetch` use, checked by verifying the quote with it before anything is sent. One refusal does not stop the push:
 * a revoked PCK (the CRL that revokes it is exactly what the chain must learn, or an on-chain verification would
 * still admit the platform). Any other refusal means the collateral or the quote is not worth paying gas for.
 * The quote is verified against the root the store pins (Intel's on a real deployment), as the chain will judge it.
 */
async function fetchForQuote(quote: Uint8Array | undefined, store: Address, parameters: CollateralPushParameters): Promise<PushSource> {
  if (quote === undefined) throw new TeezkError("CONFIG_INVALID", "collateral push needs --collateral <dir>, or --quote <file> to fetch the quote's collateral");
  const now = parameters.now ?? new Date();
  const pinned = await parameters.publicClient.readContract({ address: store, abi: dcapCollateralStoreAbi, functionName: "rootCertificateHash" });
  const storeRoot = { name: `the root DcapCollateralStore ${store} pins`, sha256: pinned.slice(2) };
  const fetched = await withFetchedCollateral(quote, undefined, now, parameters.fetchOptions ?? {}, (dir) => {
    if (dir === undefined) throw new TeezkError("CONFIG_INVALID", "collateral push takes a TDX or SGX quote: the on-chain store holds Intel DCAP collateral only");
    let quoteRefused: string | undefined;
    try {
      verifyEvidence({ evidence: quote, now, collateralDir: dir, extraTrustedRoots: [storeRoot] });
    } catch (error) {
      if (!isTeezkError(error) || error.code !== "CERT_REVOKED") throw error;
      quoteRefused = error.code;
    }
    return { collateral: loadDcapCollateral(dir), ...(quoteRefused ? { quoteRefused } : {}) };
  });
  if (fetched.kind !== "tdx" && fetched.kind !== "sgx") throw new TeezkError("CONFIG_INVALID", `collateral push takes a TDX or SGX quote, not ${fetched.kind} evidence`);
  return { ...fetched.result, from: `the ${fetched.kind.toUpperCase()} collateral fetched for the quote (${fetched.sources.map((item) => `${item.name}: ${item.source}`).join(", ")})` };
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
    ...(typeof flags.collateral === "string" ? { collateralDir: flags.collateral } : {}),
    ...(typeof flags.quote === "string" ? { quoteFile: flags.quote } : {}),
    fetchOptions: {
      ...(flags.offline === true ? { offline: true } : {}),
      ...(typeof flags.pcsUrl === "string" ? { pcsUrl: flags.pcsUrl } : {}),
      ...(typeof flags.cacheDir === "string" ? { cacheDir: flags.cacheDir } : {}),
      ...(typeof flags.fetchTimeout === "string" ? { fetchTimeout: flags.fetchTimeout } : {}),
    },
  });
