import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import type { DelegateCommandOptions } from "./delegateCommand.js";

/** Adds `teezk delegate` to the program. */
export function registerDelegateCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command("delegate")
    .description("Prove privately on an attested prover node: attest, verify, seal the witness, prove remotely, check; optionally submit on-chain")
    .requiredOption("--circuit <name>", "circuit the node proves (membership, …)")
    .requiredOption("--witness <file>", "JSON object of circuit inputs (values above 2^53 as decimal or 0x strings); never leaves unsealed")
    .requiredOption("--prover <url>", "prover node base URL (teezk serve prover)")
    .option("--policy <file>", "reference values JSON: the enclaves the witness may be sealed to")
    .option("--allow-dev-roots", "trust simulated TEEs' dev roots; without --policy, allow their default measurements (NOT FOR PRODUCTION)")
    .option("--gpu", "with --allow-dev-roots and no --policy: require the simulated GPU half too (serve prover --simulate … --gpu)")
    .option("--dev-roots <dir>", "dev PKI folder (default $TEEZK_HOME/dev-roots or ./.teezk/dev-roots)")
    .option("--trust-root <sha256>", "also trust this root fingerprint; repeatable", (value: string, previous: string[] = []) => [...previous, value])
    .option("--collateral <dir>", "your own collateral folder (wins over the node's); repeatable", (value: string, previous: string[] = []) => [...previous, value])
    .option("--fetch-collateral", "verify with your own collateral, fetched from Intel PCS/PCCS or AMD KDS through the collateral cache; the node's only fills in what you lack")
    .option("--offline", "like --fetch-collateral, but only from the collateral cache (no network)")
    .option("--pcs-url <url>", "with --fetch-collateral: Intel PCS v4 or a PCCS (default Intel's)")
    .option("--kds-url <url>", "with --fetch-collateral: AMD KDS (default AMD's)")
    .option("--cache-dir <dir>", "with --fetch-collateral or --offline: the collateral cache (default $TEEZK_CACHE_DIR, $TEEZK_HOME/collateral-cache or ~/.teezk/collateral-cache)")
    .option("--program-id <0x…>", "programId the receipt must carry (default: read from --private-proof-verifier, else the circuit's key hash)")
    .option("--timeout <seconds>", "give up on the remote proof after this long (default 600)")
    .option("--json", "machine-readable output")
    .option("--submit", "submit the proof and receipt to --private-proof-verifier (consumePrivateProof)")
    .option("--rpc-url <url>", "JSON-RPC endpoint (default $TEEZK_RPC_URL)")
    .option("--private-key-env <NAME>", "environment variable holding the sender's private key (default TEEZK_PRIVATE_KEY)")
    .option("--private-proof-verifier <address>", "the circuit's PrivateProofVerifier: its programId and receipt domain are required of the node")
    .action(async (options: DelegateCommandOptions) => {
      const { delegateCommand } = await import("./delegateCommand.js");
      setExitCode(await delegateCommand(options, io));
    });
}
