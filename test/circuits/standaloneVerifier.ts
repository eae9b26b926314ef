import { readFileSync } from "node:fs";
import path from "node:path";
import solc from "solc";
import { getContract, type Abi, type Hex } from "viem";
import { TeezkError } from "../../src/errors/index.js";
import type { connectWithVerifier } from "./buildVerifierArtifact.js";

/** hardhat.config.ts' settings for contracts/ (legacy pipeline), so the gas and behaviour match a Hardhat build. */
const settings = { optimizer: { enabled: true, runs: 200 }, evmVersion: "prague" } as const;

type Compiled = { abi: Abi; bytecode: Hex };
const compiled = new Map<string, Compiled>();

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
};

/**
 * Compiles a generated verifier that is not under contracts/ (a scaling member's, in its gitignored build
 * folder) with the npm solc that Hardhat uses, in memory: nothing is written to artifacts/ or cache/, so Hardhat
 * never holds a contract whose keys are not in git. The verifiers import nothing, so one source suffices.
 */
export function compileStandaloneVerifier(file: string, contract: string): Compiled {
  const key = `${path.resolve(file)}:${contract}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const name = path.basename(file);
  const input = {
    language: "Solidity",
    sources: { [name]: { content: readFileSync(file, "utf8") } },
    settings: { ...settings, outputSelection: { [name]: { [contract]: ["abi", "evm.bytecode.object"] } } },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input)) as string) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  const artifact = output.contracts?.[name]?.[contract];
  if (errors.length > 0 || !artifact) {
    throw new TeezkError("INTERNAL", `solc could not compile ${contract} from ${file}`, {
      details: errors.map((e) => e.formattedMessage).join("\n").slice(0, 2000) || `no contract ${contract} in ${name}`,
    });
  }
  const result = { abi: artifact.abi, bytecode: `0x${artifact.evm.bytecode.object}` as Hex };
  compiled.set(key, result);
  return result;
}

type NetworkConnection = Awaited<ReturnType<typeof connectWithVerifier>>;

/** compileStandaloneVerifier, then deploys it on `connection`'s chain: a contract with the verifier's ABI. */
export async function deployStandaloneVerifier(connection: NetworkConnection, file: string, contract: string) {
  const { abi, bytecode } = compileStandaloneVerifier(file, contract);
  const [wallet] = await connection.viem.getWalletClients();
  const publicClient = await connection.viem.getPublicClient();
  const hash = await wallet!.deployContract({ abi, bytecode });
  const { contractAddress } = await publicClient.waitForTransactionReceipt({ hash });
  if (!contractAddress) throw new TeezkError("INTERNAL", `${contract} was not deployed`);
  return getContract({ address: contractAddress, abi, client: publicClient });
}
