import type { SnpProduct } from "./types.js";

/**
 * Product from the report's CPUID_FAM_ID / CPUID_MOD_ID (combined extended family and model):
 * family 19h models 00h–0Fh Milan; 10h–1Fh and A0h–AFh Genoa (Genoa, Bergamo, Siena share the Genoa ARK);
 * family 1Ah models 00h–1Fh Turin. Anything else is unknown rather than guessed.
 */
export function snpProductFromCpuid(family: number, model: number): SnpProduct | undefined {
  if (family === 0x19) {
    if (model <= 0x0f) return "Milan";
    if ((model >= 0x10 && model <= 0x1f) || (model >= 0xa0 && model <= 0xaf)) return "Genoa";
  }
  if (family === 0x1a && model <= 0x1f) return "Turin";
  return undefined;
}

/** Product from a VCEK productName extension ("Milan-B0", "Genoa") or an AMD CN ("SEV-Milan", "ARK-Genoa", "SEV-VLEK-Turin"). */
export function snpProductFromName(name: string | undefined): SnpProduct | undefined {
  if (!name) return undefined;
  const match = /(?:^|-)(Milan|Genoa|Turin)(?:-|$)/.exec(name);
  return match ? (match[1] as SnpProduct) : undefined;
}
