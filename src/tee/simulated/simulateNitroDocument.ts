import { generateKeyPairSync, sign } from "node:crypto";
import { encode } from "cbor2";
import type { Hex } from "../../util/bytes.js";
import { issueDevCertificate } from "./issueDevCertificate.js";
import { bindingBytes, resolveRegisters, type RegisterSpec } from "./resolveRegisters.js";
import { SIMULATED_PLATFORM } from "./simulatedDefaults.js";
import type { DevRoots } from "./types.js";

export type SimulateNitroDocumentParameters = {
  binding: Hex;
  devRoots: DevRoots;
  now: Date;
  /** PCR overrides by name (`pcr0` … `pcr15`, 48 bytes each). */
  registers?: Readonly<Record<string, Hex>>;
  /** A debug-mode enclave: the hypervisor reports every PCR as zero. */
  debug?: boolean;
  /** Optional `public_key` and `nonce` fields of the document. */
  publicKey?: Uint8Array;
  nonce?: Uint8Array;
};

/** PCR0–2 and PCR8 hold image, kernel, application and signing-certificate hashes; the rest are zero at launch. */
export const NITRO_REGISTERS: Readonly<Record<string, RegisterSpec>> = Object.freeze(
  Object.fromEntries(
    Array.from({ length: 16 }, (_, index) => [`pcr${index}`, { length: 48, zero: ![0, 1, 2, 8].includes(index) }]),
  ),
);

/** How long AWS's per-document signing certificate lives. */
const LEAF_LIFETIME_MS = 3 * 60 * 60 * 1000;
const COSE_ALG_ES384 = -35;

/**
 * A Nitro attestation document as the NSM returns it: untagged COSE_Sign1 over the CBOR document of the AWS
 * CDDL, ES384 in the protected header, `user_data` = binding, a fresh signing certificate (P-384, three
 * hours, like AWS's) issued by the dev intermediate, and `cabundle` = [dev root, dev intermediate].
 */
export function simulateNitroDocument(parameters: SimulateNitroDocumentParameters): Uint8Array {
  const { devRoots, now } = parameters;
  const userData = bindingBytes(parameters.binding);
  const registers = resolveRegisters("nitro", NITRO_REGISTERS, parameters.registers);
  const pcrs = new Map<number, Uint8Array>();
  for (let index = 0; index < 16; index++) pcrs.set(index, parameters.debug ? new Uint8Array(48) : registers[`pcr${index}`]!);

  const leafKeys = generateKeyPairSync("ec", { namedCurve: "P-384" });
  const leaf = issueDevCertificate({
    commonName: `${SIMULATED_PLATFORM.nitroModuleId}.teezk-dev.nitro-enclaves`,
    publicKey: leafKeys.publicKey,
    issuer: devRoots.nitro.intermediate,
    ca: false,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + LEAF_LIFETIME_MS),
  });
  const document = new Map<string, unknown>([
    ["module_id", SIMULATED_PLATFORM.nitroModuleId],
    ["digest", "SHA384"],
    ["timestamp", now.getTime()],
    ["pcrs", pcrs],
    ["certificate", new Uint8Array(leaf.raw)],
    ["cabundle", [new Uint8Array(devRoots.nitro.root.certificate.raw), new Uint8Array(devRoots.nitro.intermediate.certificate.raw)]],
    ["public_key", parameters.publicKey ? new Uint8Array(parameters.publicKey) : null],
    ["user_data", userData],
    ["nonce", parameters.nonce ? new Uint8Array(parameters.nonce) : null],
  ]);
  const payload = encode(document);
  const protectedHeader = encode(new Map([[1, COSE_ALG_ES384]]));
  const sigStructure = encode(["Signature1", protectedHeader, new Uint8Array(0), payload]);
  const signature = new Uint8Array(sign("sha384", sigStructure, { key: leafKeys.privateKey, dsaEncoding: "ieee-p1363" }));
  return encode([protectedHeader, new Map(), payload, signature]);
}
