import type { ReferenceValues } from "../../policy/index.js";

/** One key the service guards: released only to enclaves whose evidence passes this key's own policy. */
export type ReleasableKey = {
  id: string;
  /** The secret. Leaves the service only HPKE-sealed to an attested enclave key. */
  material: Uint8Array;
  referenceValues: ReferenceValues;
};

export type * from "../../protocol/keyReleaseTypes.js";
