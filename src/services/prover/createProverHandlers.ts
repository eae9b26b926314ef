import type { Address, Hex } from "viem";
import { openSealedMessage, type HpkeKeyPair } from "../../channel/index.js";
import { computeBinding } from "../../claims/index.js";
import { TeezkError } from "../../errors/index.js";
import { encodeAttestationResponse, encodeContractDomain, type AttestationResponseBody, type ProveResponseBody, type ProverHealthBody } from "../../protocol/index.js";
import type { ContractDomain } from "../../receipts/types.js";
import { decryptStoredWitness } from "../keys/decryptStoredWitness.js";
import { requestKeyRelease } from "../keys/requestKeyRelease.js";
import { collectEvidence } from "./collectEvidence.js";
import type { NonceTable } from "./createNonceTable.js";
import type { ProverRouteHandlers } from "./createProverApp.js";
import { parseProveRequest } from "./parseProveRequest.js";
import { parseProveStoredRequest } from "./parseProveStoredRequest.js";
import type { ProveAndSign } from "./proveAndSign.js";
import type { EvidenceSource, ProverNodeStats } from "./types.js";

export type CreateProverHandlersParameters = {
  enclaveAddress: Address;
  keyPair: HpkeKeyPair;
  receiptDomain: ContractDomain;
  programIds: Readonly<Record<string, Hex>>;
  evidenceSource: EvidenceSource;
  nonces: NonceTable;
  stats: ProverNodeStats;
  proveAndSign: ProveAndSign;
  clock: () => Date;
  attestationTimeoutMs: number;
  /** The key-release service behind `POST /v1/prove-stored`; without it that route is CONFIG_INVALID. */
  keyReleaseUrl?: string;
};

const bytes32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * What each prover route does between reading its request and answering (DESIGN §5): attest a client's nonce,
 * open a sealed witness under it, or fetch a stored witness's key from the key-release service; the last two
 * end in `proveAndSign`.
 */
export function createProverHandlers(parameters: CreateProverHandlersParameters): ProverRouteHandlers {
  const { enclaveAddress, keyPair, receiptDomain, programIds, evidenceSource, nonces, stats, proveAndSign, clock, keyReleaseUrl } = parameters;
  const hpkePublicKey = keyPair.publicKey;

  function programIdFor(circuit: string): Hex {
    const programId = programIds[circuit];
    if (!programId) {
      throw new TeezkError("REQUEST_INVALID", `This node does not prove circuit "${circuit}"`, { details: `it proves: ${Object.keys(programIds).join(", ")}` });
    }
    return programId;
  }

  const proved = (answer: ProveResponseBody): ProveResponseBody => {
    stats.proofs += 1;
    return answer;
  };

  return {
    health: (): ProverHealthBody => ({ ok: true, service: "prover", enclaveAddress, hpkePublicKey, receiptDomain: encodeContractDomain(receiptDomain), programIds: { ...programIds } }),

    /** Evidence whose report data is computeBinding(enclaveAddress, keccak256(hpkePublicKey), nonce). */
    async attest(nonceParameter): Promise<AttestationResponseBody> {
      if (typeof nonceParameter !== "string" || !bytes32.test(nonceParameter)) {
        throw new TeezkError("REQUEST_INVALID", "nonce must be 32 bytes of 0x-hex (GET /v1/attestation?nonce=0x…)");
      }
      const nonce = nonceParameter.toLowerCase() as Hex;
      const binding = computeBinding({ enclaveAddress, hpkePublicKey, nonce });
      nonces.issue(nonce, binding, clock().getTime());
      let collected;
      try {
        collected = await collectEvidence(evidenceSource, { binding, nonce });
      } catch (error) {
        nonces.forget(nonce);
        throw error;
      }
      stats.attestations += 1;
      return encodeAttestationResponse({ ...collected, enclaveAddress, hpkePublicKey, nonce, binding, receiptDomain, programIds });
    },

    /** `POST /v1/prove`: one prove per attested nonce (NONCE_REPLAYED otherwise). */
    async prove(readBody): Promise<ProveResponseBody> {
      const started = performance.now();
      const request = parseProveRequest(await readBody());
      const programId = programIdFor(request.circuit);
      const binding = nonces.peek(request.nonce, clock().getTime());
      // Opened before the nonce is used up, so garbage sent under someone's nonce does not burn it.
      const opened = await openSealedMessage({ keyPair, binding, circuitId: request.circuit, sealed: request.sealed });
      try {
        nonces.consume(request.nonce, clock().getTime());
      } catch (error) {
        opened.plaintext.fill(0);
        throw error;
      }
      return proved(await proveAndSign({ circuit: request.circuit, programId, plaintext: opened.plaintext, nonce: request.nonce, requestId: opened.requestId, started }));
    },

    /**
     * `POST /v1/prove-stored`: the witness was encrypted by its owner under a key the key-release service holds.
     * The node attests to computeBinding(enclaveAddress, keccak256(hpkePublicKey), challenge nonce) with its own
     * evidence source; the key comes back sealed to this boot's HPKE key, opens only here, decrypts the witness
     * and is zeroed. A refusal (KEY_RELEASE_REFUSED) leaves the node without key or plaintext. The receipt's
     * nonce is the key-release challenge, which the service's archive ties to this node's evidence.
     */
    async proveStored(readBody): Promise<ProveResponseBody> {
      const started = performance.now();
      const request = parseProveStoredRequest(await readBody());
      if (keyReleaseUrl === undefined) {
        throw new TeezkError("CONFIG_INVALID", "This node has no key-release service configured (createProverNode keyRelease.url)");
      }
      const programId = programIdFor(request.circuit);
      const released = await requestKeyRelease(keyReleaseUrl, {
        keyId: request.keyId,
        enclaveAddress,
        keyPair,
        timeoutMs: parameters.attestationTimeoutMs,
        attest: async (binding, nonce) => {
          const collected = await collectEvidence(evidenceSource, { binding, nonce });
          return { evidence: collected.evidence, kind: collected.kind, ...(collected.gpuEvidence ? { gpuEvidence: collected.gpuEvidence } : {}) };
        },
      });
      stats.keysReleased += 1;
      let plaintext: Uint8Array;
      try {
        plaintext = decryptStoredWitness({ key: released.key, keyId: request.keyId, circuit: request.circuit, encryptedWitness: request.encryptedWitness });
      } finally {
        released.key.fill(0);
      }
      return proved(await proveAndSign({ circuit: request.circuit, programId, plaintext, nonce: released.nonce, requestId: released.nonce, started }));
    },
  };
}
