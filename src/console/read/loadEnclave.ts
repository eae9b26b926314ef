import { decodeFunctionData, getAddress, type Address, type Hex } from "viem";
import { enclaveRegistryAbi } from "../../chain/contractAbis.js";
import { claimsHash } from "../../claims/encodeClaims.js";
import type { Claims } from "../../claims/types.js";
import { loadEnclaves, type EnclaveRow } from "./loadEnclaves.js";
import type { ChainClock, ConsoleReadParameters } from "./types.js";

export type EnclaveRegistration = EnclaveRow & {
  /** The claims the registration carried, decoded from its transaction (they are not kept in storage). */
  claims?: Claims;
  gpuClaims?: Claims[];
  claimsHash?: Hex;
  nonce?: Hex;
  /** The contract's own answer, to set beside the page's reading of the events. */
  isLive: boolean;
  liveUntil: bigint;
  registeredAt: bigint;
};

export type EnclaveDetail = { clock: ChainClock; enclave: Address; registrations: EnclaveRegistration[] };

/**
 * One enclave's page: its registrations (one per program) with the claims decoded from each registration's
 * transaction, and the registry's own isLive/liveness/enclaveInfo answers, so the page never shows only its own
 * inference. The list query is the same indexed one as the Enclaves page; the per-registration reads are a handful.
 */
export async function loadEnclave(parameters: ConsoleReadParameters & { enclave: Address }): Promise<EnclaveDetail> {
  const { client, config } = parameters;
  const enclave = getAddress(parameters.enclave);
  const { clock, enclaves } = await loadEnclaves({ client, config, enclave });
  const rows = enclaves.filter((row) => row.enclave === enclave);
  const registry = config.deployment.enclaveRegistry;
  const registrations = await Promise.all(
    rows.map(async (row): Promise<EnclaveRegistration> => {
      const [isLive, [liveUntil], info, transaction] = await Promise.all([
        client.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "isLive", args: [enclave, row.programId] }),
        client.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "liveness", args: [enclave, row.programId] }),
        client.readContract({ address: registry, abi: enclaveRegistryAbi, functionName: "enclaveInfo", args: [enclave, row.programId] }),
        client.getTransaction({ hash: row.registeredTx }).catch(() => undefined),
      ]);
      const decoded = transaction ? decodeRegistration(transaction.input) : undefined;
      return { ...row, ...decoded, isLive, liveUntil: BigInt(liveUntil), registeredAt: BigInt(info.registeredAt) };
    }),
  );
  return { clock, enclave, registrations };
}

type DecodedRegistration = { claims: Claims; gpuClaims?: Claims[]; claimsHash: Hex; nonce: Hex };

/** The claims of a register/registerComposite call; undefined when the registration came through another contract. */
function decodeRegistration(input: Hex): DecodedRegistration | undefined {
  try {
    const call = decodeFunctionData({ abi: enclaveRegistryAbi, data: input });
    if (call.functionName === "register") {
      const claims = normalize(call.args[1]);
      return { claims, claimsHash: claimsHash(claims), nonce: call.args[4] };
    }
    if (call.functionName === "registerComposite") {
      const claims = normalize(call.args[1]);
      return { claims, gpuClaims: call.args[2].map(normalize), claimsHash: claimsHash(claims), nonce: call.args[5] };
    }
  } catch {
    // Not a direct registry call (a relayer contract): the claims are then not in this transaction's input.
  }
  return undefined;
}

function normalize(raw: { teeType: number; measurement: Hex; reportData: Hex; platformId: Hex; rootHash: Hex; timestamp: bigint; tcbStatus: number; svn: number | bigint; debug: boolean }): Claims {
  return { ...raw, teeType: raw.teeType as Claims["teeType"], tcbStatus: raw.tcbStatus as Claims["tcbStatus"], svn: Number(raw.svn) };
}
