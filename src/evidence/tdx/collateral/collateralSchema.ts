import { z } from "zod";
import { TeezkError } from "../../../errors/index.js";
import { INTEL_TCB_STATUSES } from "./intelTcbStatus.js";
import type { EnclaveTcbLevel, IntelTcbStatus } from "./types.js";

// Zod pieces shared by the TCB info and enclave identity parsers.


export const svn = z.number().int().min(0).max(255);
export const hexOf = (bytes: number) => z.string().regex(new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`), `${bytes} bytes of hex`);
export const date = z.string().refine((text) => !Number.isNaN(Date.parse(text)), "an ISO 8601 date");
export const intelTcbStatusSchema = z.enum(INTEL_TCB_STATUSES);
export const advisoryIds = z.array(z.string().max(64)).max(256).optional();

export const enclaveTcbLevelSchema = z.object({
  tcb: z.object({ isvsvn: z.number().int().min(0).max(0xffff) }),
  tcbDate: date,
  tcbStatus: intelTcbStatusSchema,
  advisoryIDs: advisoryIds,
});

export function toEnclaveTcbLevel(level: z.infer<typeof enclaveTcbLevelSchema>): EnclaveTcbLevel {
  return { isvSvn: level.tcb.isvsvn, tcbDate: level.tcbDate, tcbStatus: level.tcbStatus, advisoryIds: level.advisoryIDs ?? [] };
}

export function check<T extends z.ZodTypeAny>(schema: T, json: unknown, source: string): z.infer<T> {
  const result = schema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TeezkError("COLLATERAL_INVALID", `${source}: the collateral JSON does not match Intel's schema`, {
      details: issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : result.error.message,
    });
  }
  return result.data;
}

export function hex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, "hex"));
}

