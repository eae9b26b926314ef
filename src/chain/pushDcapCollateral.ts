import { toHex, type Address, type Hex } from "viem";
import { dcapCollateralStoreAbi } from "./contractAbis.js";
import { sendContractTransaction } from "./sendContractTransaction.js";
import type { TeezkClients } from "./types.js";

/**
 * One item for DcapCollateralStore, with what the store keys it by (to tell whether it is missing or older).
 * Made from Intel's collateral by src/collateral/dcapCollateralUploads.ts: this layer only sends them.
 */
export type DcapUpload =
  | { kind: "certificate"; name: string; der: Uint8Array; subjectNameHash: Hex; certificateHash: Hex; notBefore: bigint }
  | { kind: "crl"; name: string; der: Uint8Array; issuerNameHash: Hex; thisUpdate: bigint }
  | { kind: "tcbInfo" | "qeIdentity"; name: string; json: Uint8Array; signature: Uint8Array; signerNameHash: Hex; tee: 0 | 1; fmspc?: Hex; issueDate: bigint };

export type PushDcapCollateralParameters = { clients: TeezkClients; store: Address; uploads: readonly DcapUpload[] };
export type PushDcapCollateralReturnType = {
  sent: Array<{ name: string; gasUsed: bigint }>;
  /** Items the store already holds, or holds a newer version of. */
  skipped: string[];
};

/**
 * Sends to DcapCollateralStore only what it lacks or holds an older version of (certificates by hash and issue
 * time, CRLs by thisUpdate, TCB info and QE identity by issueDate); each upload is one transaction.
 */
export async function pushDcapCollateral({ clients, store, uploads }: PushDcapCollateralParameters): Promise<PushDcapCollateralReturnType> {
  const out: PushDcapCollateralReturnType = { sent: [], skipped: [] };
  for (const upload of uploads) {
    if (await isCurrent(clients, store, upload)) {
      out.skipped.push(upload.name);
      continue;
    }
    const send = (functionName: "addCertificate" | "addCrl" | "addTcbInfo" | "addQeIdentity", args: readonly unknown[]) =>
      sendContractTransaction(clients, { address: store, abi: dcapCollateralStoreAbi, functionName, args: args as never });
    const result =
      upload.kind === "certificate"
        ? await send("addCertificate", [toHex(upload.der)])
        : upload.kind === "crl"
          ? await send("addCrl", [toHex(upload.der)])
          : await send(upload.kind === "tcbInfo" ? "addTcbInfo" : "addQeIdentity", [toHex(upload.json), toHex(upload.signature), upload.signerNameHash]);
    out.sent.push({ name: upload.name, gasUsed: result.gasUsed });
  }
  return out;
}

async function isCurrent({ publicClient }: TeezkClients, store: Address, upload: DcapUpload): Promise<boolean> {
  const read = (functionName: string, args: readonly unknown[]) =>
    publicClient.readContract({ address: store, abi: dcapCollateralStoreAbi, functionName: functionName as never, args: args as never }) as Promise<unknown>;
  if (upload.kind === "certificate") {
    const stored = (await read("certificate", [upload.subjectNameHash])) as { certificateHash: Hex; notBefore: bigint };
    return stored.certificateHash === upload.certificateHash || stored.notBefore >= upload.notBefore;
  }
  if (upload.kind === "crl") {
    const [thisUpdate] = (await read("revocation", [upload.issuerNameHash, `0x${"00".repeat(32)}`])) as [bigint, bigint, boolean];
    return thisUpdate >= upload.thisUpdate;
  }
  const pointer = (await (upload.kind === "tcbInfo" ? read("tcbInfoPointer", [upload.tee, `0x${upload.fmspc!.slice(2, 14)}`]) : read("qeIdentityPointer", [upload.tee]))) as Address;
  if (/^0x0+$/.test(pointer)) return false;
  const code = await publicClient.getCode({ address: pointer });
  // Code = STOP ‖ signer name hash (32) ‖ compact item, whose first 8 bytes are its issueDate.
  const issueDate = code ? BigInt(`0x${code.slice(2 + 2 * 33, 2 + 2 * 41)}`) : 0n;
  return issueDate >= upload.issueDate;
}
