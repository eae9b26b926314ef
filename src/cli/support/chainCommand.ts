import type { Command } from "commander";
import type { CliIo } from "../io.js";
import { addConnectionOptions, type ChainFlags, type DeploymentContract } from "./chainOptions.js";
import type { ChainCommandBody, ChainSendContext, ChainViewContext } from "./runChainCommand.js";

/** Loads a command's body when it runs, so declaring it loads neither viem nor the contracts' ABIs. */
export type LoadChainCommandBody<TContext extends ChainViewContext> = () => Promise<ChainCommandBody<TContext>>;

export type DeclareChainCommand<TContext extends ChainViewContext> = (
  cmd: Command,
  name: string,
  contracts: readonly DeploymentContract[],
  load: LoadChainCommandBody<TContext>,
) => Command;

/**
 * The two kinds of chain command: `view` (reads only, no key) and `send` (signs transactions). Each adds the
 * connection flags to `cmd` and an action that loads the body and the chain code only when the command runs.
 */
export function chainCommandDeclarers(io: CliIo, setExitCode: (code: number) => void): { view: DeclareChainCommand<ChainViewContext>; send: DeclareChainCommand<ChainSendContext> } {
  const declare =
    <TContext extends ChainViewContext>(signer: boolean): DeclareChainCommand<TContext> =>
    (cmd, name, contracts, load) =>
      addConnectionOptions(cmd, contracts, signer).action(async (flags: ChainFlags) => {
        const [{ runChainCommand }, body] = await Promise.all([import("./runChainCommand.js"), load()]);
        setExitCode(await runChainCommand({ name, flags, contracts, signer, io, body }));
      });
  return { view: declare<ChainViewContext>(false), send: declare<ChainSendContext>(true) };
}
