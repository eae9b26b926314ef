/** The TEE types set in a bitmap where bit t stands for TEE type t (MultiProverRoots' RootFinalized `teeTypes`). */
export function teeTypesOfBitmap(bits: bigint): number[] {
  const types: number[] = [];
  for (let t = 0; t < 256 && bits >> BigInt(t) !== 0n; t++) if ((bits >> BigInt(t)) & 1n) types.push(t);
  return types;
}
