import { main } from "../../../src/cli/main.js";

export type RunCliReturnType = { code: number; out: string; err: string };

/** `teezk <argv>` in-process through `main`, with what it prints to stdout and stderr captured. */
export async function runCli(argv: string[]): Promise<RunCliReturnType> {
  let out = "";
  let err = "";
  const code = await main(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}
