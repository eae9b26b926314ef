import { TeezkError, isTeezkError } from "../../errors/index.js";
import type { TeezkClients } from "../../chain/index.js";
import type { CliIo } from "../io.js";
import type { ChainCommandOutput } from "./chainCommandOutput.js";
import type { ChainFlags, DeploymentContract } from "./chainOptions.js";
import { connectChain } from "./connectChain.js";
import { checkDeploymentChain, resolveDeployment, type ChainDeployment } from "./resolveDeployment.js";

/** What a view command's body gets: the resolved addresses and a public client on their chain. */
export type ChainViewContext = { deployment: ChainDeployment; publicClient: TeezkClients["publicClient"] };
/** What a signing command's body gets: the view context and a wallet client holding the sender's key. */
export type ChainSendContext = ChainViewContext & TeezkClients;

/** Parses a command's own flags, calls the library and returns what to print. */
export type ChainCommandBody<TContext extends ChainViewContext> = (ctx: TContext, flags: ChainFlags) => Promise<ChainCommandOutput>;

export type RunChainCommandParameters<TContext extends ChainViewContext> = {
  name: string;
  flags: ChainFlags;
  contracts: readonly DeploymentContract[];
  signer: boolean;
  io: CliIo;
  body: ChainCommandBody<TContext>;
};

/** Exit codes of the chain commands: 0 done, 1 refused or failed (a TeezkError); commander's usage errors are 2. */
const EXIT_OK = 0;
const EXIT_FAILED = 1;

/**
 * Connects, runs `body` and prints: the readable text, or with --json the command's JSON object. Every failure
 * is a TeezkError printed with its code (and, in JSON, its details and hints) and exit code 1.
 */
export async function runChainCommand<TContext extends ChainViewContext>(parameters: RunChainCommandParameters<TContext>): Promise<number> {
  const { name, flags, contracts, signer, io, body } = parameters;
  try {
    const overrides: Partial<Record<DeploymentContract, string>> = {};
    for (const contract of contracts) {
      const value = flags[contract];
      if (typeof value === "string") overrides[contract] = value;
    }
    const deployment = resolveDeployment({ ...(typeof flags.deployment === "string" ? { file: flags.deployment } : {}), overrides });
    const { chainId, ...clients } = await connectChain({
      ...(typeof flags.rpcUrl === "string" ? { rpcUrl: flags.rpcUrl } : {}),
      ...(typeof flags.privateKeyEnv === "string" ? { privateKeyEnv: flags.privateKeyEnv } : {}),
      signer,
    });
    checkDeploymentChain(deployment, chainId);
    // connectChain made a wallet client exactly when `signer` asked for one, which is what a send body's type says.
    const output = await body({ deployment, ...clients } as TContext, flags);
    io.out(flags.json ? `${JSON.stringify(output.json)}\n` : output.text);
    return EXIT_OK;
  } catch (error) {
    const failure = isTeezkError(error) ? error : new TeezkError("INTERNAL", `${name} failed unexpectedly`, { cause: error, details: error instanceof Error ? error.message : String(error) });
    if (flags.json) {
      io.out(
        `${JSON.stringify({
          ok: false,
          command: name,
          code: failure.code,
          message: failure.shortMessage,
          ...(failure.details ? { details: failure.details } : {}),
          ...(failure.metaMessages.length ? { hints: failure.metaMessages } : {}),
        })}\n`,
      );
    } else {
      io.err(`error: ${failure.message}\n`);
    }
    return EXIT_FAILED;
  }
}
