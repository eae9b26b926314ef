import { execFileSync } from "node:child_process";
import { TeezkError } from "../errors/index.js";
import { fromHex, toHex, type Hex } from "../util/bytes.js";
import { collectConfigfsTsm, type ConfigfsOperations } from "./collectConfigfsTsm.js";

export type CollectEvidenceParameters = {
  kind: "tdx" | "sevsnp" | "nitro" | "nvidia";
  /** The 32-byte binding (DESIGN §3); becomes the first half of TDX/SNP report data, Nitro user_data, the GPU nonce. */
  binding: Hex;
  /** TDX/SNP: the second 32 bytes of report data (reserved for the composite GPU link). */
  reportDataHigh?: Hex;
  root?: string;
  fs?: ConfigfsOperations;
  /** Command runner for the Nitro and NVIDIA helpers; defaults to execFileSync. */
  runCommand?: (command: string, args: string[]) => Uint8Array;
  env?: NodeJS.ProcessEnv;
};

export type CollectEvidenceReturnType = { kind: CollectEvidenceParameters["kind"]; evidence: Uint8Array; auxiliary?: Uint8Array };

const PROVIDERS = { tdx: "tdx_guest", sevsnp: "sev_guest" } as const;

/**
 * Obtains fresh evidence on real hardware. TDX and SNP go through configfs-tsm; Nitro and NVIDIA need a
 * device ioctl or vendor tooling Node cannot reach, so they run a helper command named by an environment
 * variable (TEEZK_NITRO_ATTEST_CMD, TEEZK_NVIDIA_ATTEST_CMD) that prints the evidence as hex or raw bytes.
 */
export function collectEvidence(parameters: CollectEvidenceParameters): CollectEvidenceReturnType {
  const binding = fromHex(parameters.binding);
  if (binding.length !== 32) throw new TeezkError("CONFIG_INVALID", "The binding must be 32 bytes");
  const env = parameters.env ?? process.env;
  const run = parameters.runCommand ?? ((command, args) => new Uint8Array(execFileSync(command, args, { maxBuffer: 4 * 1024 * 1024 })));
  switch (parameters.kind) {
    case "tdx":
    case "sevsnp": {
      const high = parameters.reportDataHigh ? fromHex(parameters.reportDataHigh) : new Uint8Array(32);
      if (high.length !== 32) throw new TeezkError("CONFIG_INVALID", "reportDataHigh must be 32 bytes");
      const reportData = new Uint8Array(64);
      reportData.set(binding, 0);
      reportData.set(high, 32);
      const result = collectConfigfsTsm({
        reportData,
        ...(parameters.root ? { root: parameters.root } : {}),
        ...(parameters.fs ? { fs: parameters.fs } : {}),
      });
      const expected = PROVIDERS[parameters.kind];
      if (result.provider !== expected) {
        throw new TeezkError("TEE_UNAVAILABLE", `configfs-tsm is served by ${result.provider}, not ${expected}`, {
          metaMessages: [`This machine is not a ${parameters.kind} guest; run teezk tee detect.`],
        });
      }
      return { kind: parameters.kind, evidence: result.outblob, ...(result.auxblob ? { auxiliary: result.auxblob } : {}) };
    }
    case "nitro":
    case "nvidia": {
      const variable = parameters.kind === "nitro" ? "TEEZK_NITRO_ATTEST_CMD" : "TEEZK_NVIDIA_ATTEST_CMD";
      const command = env[variable];
      if (!command) {
        throw new TeezkError("TEE_UNAVAILABLE", `No ${parameters.kind} attestation helper is configured`, {
          metaMessages: [
            `Set ${variable} to a program that takes the hex nonce as its only argument and prints the evidence.`,
            parameters.kind === "nitro"
              ? "Inside an enclave, a small binary built on aws-nitro-enclaves-nsm-api (Request::Attestation with user_data = nonce) does this."
              : "On a confidential-computing H100, NVIDIA's nvtrust local GPU verifier tooling produces the SPDM report.",
          ],
        });
      }
      let output: Uint8Array;
      try {
        output = run(command, [toHex(binding)]);
      } catch (error) {
        throw new TeezkError("TEE_UNAVAILABLE", `The ${parameters.kind} attestation helper ${command} failed`, { cause: error });
      }
      if (output.length === 0) throw new TeezkError("TEE_UNAVAILABLE", `The ${parameters.kind} attestation helper printed nothing`);
      return { kind: parameters.kind, evidence: output };
    }
  }
}
