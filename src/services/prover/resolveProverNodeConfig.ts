import type { Hex } from "viem";
import { TeezkError } from "../../errors/index.js";
import { circuitProgramId } from "../../protocol/index.js";
import { parseContractDomain } from "../../receipts/parseReceipt.js";
import type { ContractDomain } from "../../receipts/types.js";
import {
  DEFAULT_ATTESTATION_TIMEOUT_MS,
  DEFAULT_ATTESTATIONS_PER_SECOND,
  DEFAULT_MAX_NONCES,
  DEFAULT_NONCE_TTL_MS,
  DEFAULT_PROVE_TIMEOUT_MS,
} from "./constants.js";
import type { CreateProverNodeParameters } from "./types.js";

export type ProverNodeConfig = {
  receiptDomain: ContractDomain;
  /** Circuit → programId, lowercase, in the order the circuits were given. */
  programIds: Readonly<Record<string, Hex>>;
  clock: () => Date;
  proveTimeoutMs: number;
  attestationTimeoutMs: number;
  nonceTtlMs: number;
  maxNonces: number;
  attestationsPerSecond: number;
  keyReleaseUrl?: string;
};

const bytes32 = /^0x[0-9a-fA-F]{64}$/;

/** A prover node's options checked and defaulted before anything starts (CONFIG_INVALID, CIRCUIT_NOT_BUILT). */
export function resolveProverNodeConfig(parameters: CreateProverNodeParameters): ProverNodeConfig {
  if (typeof parameters.evidenceSource !== "function") {
    throw new TeezkError("CONFIG_INVALID", "createProverNode needs an evidenceSource function (binding → evidence)");
  }
  const receiptDomain = parseContractDomain(parameters.receiptDomain);
  const circuits = [...(parameters.circuits ?? ["membership"])];
  if (circuits.length === 0) throw new TeezkError("CONFIG_INVALID", "A prover node needs at least one circuit");
  const programIds: Record<string, Hex> = {};
  for (const circuit of circuits) {
    const given = parameters.programIds?.[circuit];
    if (given !== undefined && !bytes32.test(given)) {
      throw new TeezkError("CONFIG_INVALID", `The programId of circuit "${circuit}" must be 32 bytes of 0x-hex`);
    }
    // Resolving the default id also checks that the circuit's artifacts exist (CIRCUIT_NOT_BUILT at start-up).
    const fallback = circuitProgramId({ circuit, ...(parameters.buildDir ? { buildDir: parameters.buildDir } : {}) });
    programIds[circuit] = (given ?? fallback).toLowerCase() as Hex;
  }

  const nonceTtlMs = parameters.nonceTtlMs ?? DEFAULT_NONCE_TTL_MS;
  const maxNonces = parameters.maxNonces ?? DEFAULT_MAX_NONCES;
  const attestationsPerSecond = parameters.attestationsPerSecond ?? DEFAULT_ATTESTATIONS_PER_SECOND;
  // Unauthenticated callers choose the nonces: the table must outlast the rate, or a flood fills it.
  if (Math.ceil(attestationsPerSecond * (nonceTtlMs / 1000 + 1)) > maxNonces) {
    throw new TeezkError("CONFIG_INVALID", `maxNonces (${maxNonces}) must hold ${attestationsPerSecond} attestations per second for a nonce lifetime of ${nonceTtlMs} ms`);
  }
  const keyReleaseUrl = parameters.keyRelease?.url;
  if (keyReleaseUrl !== undefined && (typeof keyReleaseUrl !== "string" || !/^https?:\/\//.test(keyReleaseUrl))) {
    throw new TeezkError("CONFIG_INVALID", "keyRelease.url must be the http(s) URL of a key-release service");
  }
  return {
    receiptDomain,
    programIds,
    clock: parameters.clock ?? (() => new Date()),
    proveTimeoutMs: parameters.proveTimeoutMs ?? DEFAULT_PROVE_TIMEOUT_MS,
    attestationTimeoutMs: parameters.attestationTimeoutMs ?? DEFAULT_ATTESTATION_TIMEOUT_MS,
    nonceTtlMs,
    maxNonces,
    attestationsPerSecond,
    ...(keyReleaseUrl !== undefined ? { keyReleaseUrl } : {}),
  };
}
