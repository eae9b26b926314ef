import { getAddress, type Address, type Hex } from "viem";
import { batchReceiptsAbi, receiptVerifierAbi } from "../../chain/contractAbis.js";
import { TeezkError } from "../../errors/TeezkError.js";
import { recoverReceiptSigner } from "../../receipts/recoverReceiptSigner.js";
import { decodeRevert, type DecodedRevert } from "./decodeRevert.js";
import type { ReceiptPaste } from "./parseReceiptPaste.js";
import type { ConsoleReadParameters } from "./types.js";

export type Consumption = { consumer: Address; blockNumber: bigint; transactionHash: Hex };

export type ReceiptCheck = {
  kind: ReceiptPaste["kind"];
  accepted: boolean;
  /** The live enclave the contract named (accepted only). */
  enclave?: Address;
  /** The address the signature recovers to for this chain and verifier (single receipts). */
  signer?: Address;
  /** The contract's revert, decoded (refused only). */
  revert?: DecodedRevert;
  /** Why, in words a dApp developer acts on. */
  explanation: string;
  /** ReceiptVerifier's EIP-712 digest (single) or BatchReceipts' leaf (inclusion): the replay key. */
  replayKey: Hex;
  consumedBy: Consumption[];
};

const WHY: Record<string, (revert: DecodedRevert, signer?: Address) => string> = {
  EnclaveNotLive: (revert, signer) =>
    `the signer ${String(revert.args[0])} is not a live enclave for program ${String(revert.args[1])} now` +
    (signer && getAddress(String(revert.args[0])) === signer ? " (expired, revoked, removed, or never registered)" : ""),
  InvalidReceiptSignature: () => "the signature is malformed: it recovers to no address",
  ReceiptFromFuture: (revert) => `issuedAt ${String(revert.args[0])} is ahead of the chain's clock (${String(revert.args[1])})`,
  BatchNotFound: (revert) => `no batch ${String(revert.args[0])} was submitted by ${String(revert.args[1])}`,
  ReceiptNotInBatch: () => "the receipt and proof do not lead to the batch root: a field or a proof node differs",
  LivenessEpochNotMirrored: () => "the batch contract's copy of the liveness epoch is behind the registry's (wiring)",
};

/**
 * The Receipts page's check: the same view the contracts expose (ReceiptVerifier.verifyReceipt or
 * BatchReceipts.verifyIncluded) says accepted or reverts with the exact reason, decoded; the consumption record
 * comes from the consumption events filtered by the indexed programId (and root), matched on the replay key.
 */
export async function checkReceipt({ client, config, paste }: ConsoleReadParameters & { paste: ReceiptPaste }): Promise<ReceiptCheck> {
  const { deployment } = config;
  const fromBlock = BigInt(config.fromBlock);
  try {
    if (paste.kind === "signed") {
      const signer = await recoverReceiptSigner({ receipt: paste.receipt, signature: paste.signature, domain: { chainId: config.chainId, verifyingContract: deployment.receiptVerifier } }).catch(() => undefined);
      const [verdict, replayKey, logs] = await Promise.all([
        settle(client.readContract({ address: deployment.receiptVerifier, abi: receiptVerifierAbi, functionName: "verifyReceipt", args: [paste.receipt, paste.signature] })),
        client.readContract({ address: deployment.receiptVerifier, abi: receiptVerifierAbi, functionName: "receiptDigest", args: [paste.receipt] }),
        client.getContractEvents({ address: deployment.receiptVerifier, abi: receiptVerifierAbi, eventName: "ReceiptConsumed", args: { programId: paste.receipt.programId }, fromBlock }),
      ]);
      const consumedBy = logs.filter((log) => log.args.digest === replayKey).map(consumption);
      return outcome({ kind: "signed", verdict, replayKey, consumedBy, ...(signer ? { signer } : {}) });
    }
    const [verdict, replayKey, logs] = await Promise.all([
      settle(client.readContract({ address: deployment.batchReceipts, abi: batchReceiptsAbi, functionName: "verifyIncluded", args: [paste.receipt, paste.root, paste.signer, paste.proof] }).then(() => getAddress(paste.signer))),
      client.readContract({ address: deployment.batchReceipts, abi: batchReceiptsAbi, functionName: "leafOf", args: [paste.receipt] }),
      client.getContractEvents({ address: deployment.batchReceipts, abi: batchReceiptsAbi, eventName: "BatchReceiptConsumed", args: { programId: paste.receipt.programId }, fromBlock }),
    ]);
    const consumedBy = logs.filter((log) => log.args.leaf === replayKey).map(consumption);
    return outcome({ kind: "inclusion", verdict, replayKey, consumedBy });
  } catch (error) {
    if (error instanceof TeezkError) throw error;
    throw new TeezkError("CHAIN_CALL_FAILED", "The chain could not be read to check the receipt", { cause: error, details: error instanceof Error ? error.message.split("\n")[0] : String(error) });
  }
}

type Settled = { ok: true; enclave: Address } | { ok: false; revert: DecodedRevert };

/** A view's answer or its decoded revert; any other failure (RPC down) propagates. */
async function settle(call: Promise<Address>): Promise<Settled> {
  try {
    return { ok: true, enclave: await call };
  } catch (error) {
    const revert = decodeRevert(error);
    if (!revert) throw error;
    return { ok: false, revert };
  }
}

function consumption(log: { args: { consumer?: Address }; blockNumber: bigint | null; transactionHash: Hex | null }): Consumption {
  return { consumer: log.args.consumer as Address, blockNumber: log.blockNumber ?? 0n, transactionHash: log.transactionHash ?? "0x" };
}

function outcome(parameters: { kind: ReceiptPaste["kind"]; verdict: Settled; replayKey: Hex; consumedBy: Consumption[]; signer?: Address }): ReceiptCheck {
  const { kind, verdict, replayKey, consumedBy, signer } = parameters;
  const consumed = consumedBy.length > 0 ? `; consumed ${consumedBy.length} time(s): a consumer that already used it is refused (ReceiptAlreadyConsumed)` : "; not consumed by anyone yet";
  if (verdict.ok) {
    return { kind, accepted: true, enclave: verdict.enclave, ...(signer ? { signer } : {}), explanation: `signed by live enclave ${verdict.enclave}${consumed}`, replayKey, consumedBy };
  }
  const why = WHY[verdict.revert.errorName]?.(verdict.revert, signer) ?? "the contract refused it";
  return { kind, accepted: false, ...(signer ? { signer } : {}), revert: verdict.revert, explanation: `${why}${consumed}`, replayKey, consumedBy };
}
