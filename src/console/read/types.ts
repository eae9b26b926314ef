import type { Chain, PublicClient, Transport } from "viem";
import type { TeezkAddresses } from "../../chain/types.js";

/** The contracts the console reads: a deployment's addresses (the roots contract is optional, as there). */
export type ConsoleDeployment = TeezkAddresses;

/** What the server tells the page at start: which chain it must be on, which contracts to read, what the archive offers. */
export type ConsoleConfig = {
  /** The chain the deployment was made on; the page refuses to read another. Null when neither the deployment file nor the RPC said. */
  chainId: number | null;
  deployment: ConsoleDeployment;
  /** True when the server was started with --archive (the Decisions page and enclave evidence are then available). */
  archive: boolean;
  /** First block to query events from (a deployment's block on a long chain); 0 by default. */
  fromBlock: string;
};

/** The reader every loader takes: a viem public client on the console's RPC. */
export type ConsoleClient = PublicClient<Transport, Chain | undefined>;

/** The configuration once the page has settled which chain it reads (the RPC's, checked against the deployment's). */
export type ResolvedConsoleConfig = ConsoleConfig & { chainId: number };

/** What every loader takes. */
export type ConsoleReadParameters = { client: ConsoleClient; config: ResolvedConsoleConfig };

/** The chain's clock: the latest block, which is what every contract compares against. */
export type ChainClock = { blockNumber: bigint; timestamp: bigint };
