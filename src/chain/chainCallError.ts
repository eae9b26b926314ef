import {
  BaseError,
  ChainMismatchError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  HttpRequestError,
  InsufficientFundsError,
  MethodNotFoundRpcError,
  MethodNotSupportedRpcError,
  NonceTooHighError,
  NonceTooLowError,
  RpcRequestError,
  TimeoutError,
  toFunctionSelector,
  WaitForTransactionReceiptTimeoutError,
  type Abi,
  type Hex,
} from "viem";
import { TeezkError, type ErrorCode } from "../errors/index.js";
import * as abis from "./contractAbis.js";
import { revertHint } from "./revertHints.js";

/**
 * Every custom error of every teezk contract: a revert often comes from a contract the caller did not address
 * (the registry bubbles up the committee verifier's NotEnoughVerdicts), so the callee's ABI alone cannot name it.
 */
type AbiError = Extract<Abi[number], { type: "error" }>;
const allErrors: AbiError[] = (() => {
  const seen = new Map<string, AbiError>();
  for (const abi of Object.values(abis) as Abi[]) {
    for (const item of abi) if (item.type === "error") seen.set(toFunctionSelector(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`), item);
  }
  return [...seen.values()];
})();

function decodeWithAllErrors(raw: Hex | undefined): string | undefined {
  if (!raw || raw.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: allErrors, data: raw });
    return `${decoded.errorName}(${(decoded.args ?? []).map((a: unknown) => String(a)).join(", ")})`;
  } catch {
    return undefined;
  }
}

/** The custom error a call reverted with, as `Name(arg, …)`, when viem could decode it from the ABI. */
export function revertReason(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  const data = reverted.data;
  if (data && data.errorName !== "Error" && data.errorName !== "Panic") {
    return `${data.errorName}(${(data.args ?? []).map((a) => String(a)).join(", ")})`;
  }
  return decodeWithAllErrors(reverted.raw) ?? reverted.reason ?? reverted.signature;
}

/** Longest node reason quoted: a node may echo the whole request (and its 15 KB of calldata) in its message. */
const MAX_REASON_CHARS = 240;

/** How a failure that is the node's, not a contract's, reads: a stable code, its one-line reason and what to do. */
type NodeFailure = { code: ErrorCode; reason: string; hint: string };

/**
 * Classifies a failure the node (or the way to it) reported. viem's own messages append the request (the signed
 * transaction, the deploy bytecode) and the URL, which may carry an API key; only the node's own one-line
 * reason and the URL's origin are kept.
 */
export function nodeFailure(error: unknown): NodeFailure | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const find = <T>(type: abstract new (...args: never[]) => T): T | undefined => error.walk((e) => e instanceof type) as T | undefined;
  const reason = nodeReason(error);
  const http = find(HttpRequestError);
  if (find(TimeoutError) || (http && !find(RpcRequestError))) {
    const origin = originOf((http ?? find(TimeoutError))?.url);
    return {
      code: "CHAIN_UNREACHABLE",
      reason: `cannot reach the node${origin ? ` at ${origin}` : ""}: ${http?.status ? `HTTP ${http.status}` : (lowLevelReason(http) ?? reason ?? "no answer")}`,
      hint: "Is the node running? Check --rpc-url (or TEEZK_RPC_URL) and that nothing between here and the node refuses the connection.",
    };
  }
  const unmined = find(WaitForTransactionReceiptTimeoutError);
  if (unmined) {
    return {
      code: "CHAIN_TX_NOT_MINED",
      reason: oneLine(unmined.shortMessage),
      hint: "The node accepted the transaction but mined no block with it in time: it may still be mined (check its hash) or be stuck behind a low fee or a nonce gap.",
    };
  }
  const mismatch = find(ChainMismatchError);
  if (mismatch || /chain ?id/i.test(reason ?? "")) {
    return {
      code: "CHAIN_ID_MISMATCH",
      reason: mismatch ? oneLine(mismatch.shortMessage) : reason!,
      hint: "The node serves another chain than the one this key, deployment or signature is for: point --rpc-url at that chain.",
    };
  }
  if (find(InsufficientFundsError) || /insufficient funds|lack of funds|OutOfFunds/i.test(reason ?? "")) {
    return {
      code: "CHAIN_ACCOUNT_UNFUNDED",
      reason: reason ?? "insufficient funds for gas * price + value",
      hint: "The sending account cannot pay for gas: fund it, or use a funded key (an anvil node's dev accounts start with 10,000 ETH).",
    };
  }
  if (find(NonceTooLowError) || find(NonceTooHighError) || /nonce too (low|high)|replacement transaction underpriced|already known/i.test(reason ?? "")) {
    return {
      code: "CHAIN_NONCE_CONFLICT",
      reason: reason ?? "nonce too low",
      hint: "Another transaction from this account was sent at the same time (or the node's pending pool disagrees): send from one process per key, then retry.",
    };
  }
  if (find(MethodNotFoundRpcError) || find(MethodNotSupportedRpcError)) {
    return { code: "CHAIN_METHOD_UNSUPPORTED", reason: reason ?? "method not found", hint: "This node does not offer that JSON-RPC method." };
  }
  return undefined;
}

/**
 * Wraps a viem failure as a TeezkError that reads in one line: a revert as CHAIN_CALL_FAILED with the decoded
 * custom error first in `details` and, when revertHints.ts knows it, what to do about it as a hint; a node's
 * refusal (unreachable, wrong chain, unfunded, nonce) under its own code with the node's reason and a hint;
 * anything else as CHAIN_CALL_FAILED with the node's reason. The CLI, the demo and deploy/ all report these.
 */
export function chainCallError(what: string, cause: unknown): TeezkError {
  if (cause instanceof TeezkError) return cause;
  const reverted = revertReason(cause);
  if (reverted) {
    const hint = revertHint(reverted);
    return new TeezkError("CHAIN_CALL_FAILED", `${what} reverted with ${reverted}`, { cause, details: reverted, ...(hint ? { metaMessages: [hint] } : {}) });
  }
  const failure = nodeFailure(cause);
  if (failure) return new TeezkError(failure.code, `${what}: ${failure.reason}`, { cause, metaMessages: [failure.hint] });
  const reason = nodeReason(cause) ?? (cause instanceof BaseError ? oneLine(cause.shortMessage) : oneLine(cause instanceof Error ? cause.message : String(cause)));
  return new TeezkError("CHAIN_CALL_FAILED", `${what} failed: ${reason}`, { cause, details: reason });
}

/** The node's own message (a JSON-RPC error's), one line and bounded; viem keeps it as the RPC error's details. */
function nodeReason(error: unknown): string | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const rpc = error.walk((e) => e instanceof RpcRequestError) as RpcRequestError | undefined;
  return rpc?.details ? oneLine(rpc.details) : undefined;
}

/** What the socket said (ECONNREFUSED, ENOTFOUND) under fetch's "fetch failed". */
function lowLevelReason(http: HttpRequestError | undefined): string | undefined {
  let current: unknown = http?.cause;
  let last: string | undefined;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    last = typeof code === "string" ? code : oneLine(current.message);
    current = current.cause;
  }
  return last;
}

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function oneLine(text: string): string {
  const line = text.split("\n")[0]!.trim();
  return line.length > MAX_REASON_CHARS ? `${line.slice(0, MAX_REASON_CHARS)}…` : line;
}
