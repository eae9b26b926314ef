import type { Command } from "commander";
import type { CliIo } from "../../io.js";
import { chainCommandDeclarers } from "../../support/chainCommand.js";
import { repeat } from "../../support/chainOptions.js";

/** The bodies (flag parsing and the library calls) load only when one of these commands runs. */
const bodies = () => import("./registryCommandBodies.js");

/** Adds `teezk registry …`: MeasurementRegistry allowlist governance, revocation, challenges and registration. */
export function registerRegistryCommands(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const { view, send } = chainCommandDeclarers(io, setExitCode);
  const registry = program.command("registry").description("MeasurementRegistry / EnclaveRegistry: allowlist governance, revocation, challenges, registration");
  send(
    registry
      .command("schedule-allow")
      .description("Propose allowing a measurement (and optionally its TEE policy and roots) as a timelock batch; run `registry execute` after the delay")
      .requiredOption("--program-id <hex32>", "program the measurement is allowed for")
      .requiredOption("--tee <type>", "tdx, sevsnp, nitro, nvidia, sgx (or 1..5)")
      .requiredOption("--measurement <hex32>", "Claims.measurement (DESIGN §2 digest)")
      .option("--valid-from <seconds>", "start of the validity window (default: execution time)")
      .option("--valid-until <seconds>", "end of the validity window (default: none)")
      .option("--accept-tcb <statuses>", "also set the TEE policy: accepted TCB statuses, comma-separated (UP_TO_DATE,NOT_APPLICABLE,…)")
      .option("--min-svn <n>", "TEE policy minimum SVN (default 0)")
      .option("--max-evidence-age <seconds>", "TEE policy maximum evidence age")
      .option("--allow-root <sha256>", "also allow this root certificate hash for the TEE type; repeatable", repeat)
      .option("--require-gpu", "first mark the program as requiring a GPU (only before its first measurement): its enclaves then register only with --gpu composites")
      .option("--delay <seconds>", "timelock delay (default: the timelock's minimum)")
      .option("--salt <hex32>", "operation salt (default: random)")
      .requiredOption("--save <file>", "write the operation (calls, salt) here for `registry execute --operation`; must not exist"),
    "registry schedule-allow",
    ["timelock", "measurementRegistry"],
    async () => (await bodies()).scheduleAllow,
  );
  send(
    registry
      .command("execute")
      .description("Execute a scheduled timelock operation once its delay has passed")
      .requiredOption("--operation <file>", "the file `registry schedule-allow --save` wrote"),
    "registry execute",
    ["timelock"],
    async () => (await bodies()).execute,
  );
  send(
    registry
      .command("revoke")
      .description("Guardian: revoke a measurement at once and for good (no timelock); its enclaves stop being live")
      .requiredOption("--tee <type>", "tdx, sevsnp, nitro, nvidia, sgx (or 1..5)")
      .requiredOption("--measurement <hex32>", "the measurement to revoke"),
    "registry revoke",
    ["measurementRegistry"],
    async () => (await bodies()).revoke,
  );
  view(
    registry
      .command("status")
      .description("Registry views: a measurement (--tee --measurement [--program-id]), a TEE policy (--tee), an enclave (--enclave --program-id), or governance settings")
      .option("--program-id <hex32>", "program id")
      .option("--tee <type>", "tdx, sevsnp, nitro, nvidia, sgx (or 1..5)")
      .option("--measurement <hex32>", "measurement")
      .option("--enclave <address>", "enclave signing address")
      .option("--root-hash <sha256>", "report whether this root hash is allowed for --tee; repeatable", repeat),
    "registry status",
    ["measurementRegistry", "enclaveRegistry", "committee", "timelock"],
    async () => (await bodies()).status,
  );
  send(
    registry
      .command("refresh-liveness")
      .description("Re-run the full liveness check of a live enclave key after a revocation, rotation or removal, so its checks take the cheap cached path again (anyone may send it)")
      .requiredOption("--enclave <address>", "enclave signing address")
      .requiredOption("--program-id <hex32>", "program the key is registered for"),
    "registry refresh-liveness",
    ["enclaveRegistry"],
    async () => (await bodies()).refreshLiveness,
  );
  send(
    registry
      .command("challenge")
      .description("Issue a one-time registration nonce for an enclave to bind into its evidence, usable only to register for one program")
      .requiredOption("--program-id <hex32>", "program the registration will name"),
    "registry challenge",
    ["enclaveRegistry"],
    async () => (await bodies()).challenge,
  );
  send(
    registry
      .command("register")
      .description("Register an enclave key: through the committee route with verifier-node verdicts over its evidence, or (--route dcap) with its raw quote verified on-chain")
      .requiredOption("--program-id <hex32>", "program to register for")
      .requiredOption("--enclave <address>", "the enclave's signing address")
      .requiredOption("--nonce <hex32>", "the challenge (registry challenge) or block hash bound into the evidence")
      .option("--evidence <file>", "the enclave's evidence, sent to every --verifier node")
      .option("--gpu <file>", "with --evidence: the GPU half of composite CPU+GPU evidence; the nodes sign over the whole composite and it registers through registerComposite (needed when the program requires a GPU)")
      .option("--verifier <url>", "verifier node (teezk serve verifier) to ask for a verdict; repeat per committee member", repeat)
      .option("--verdicts <file>", "instead of --evidence/--verifier: collected verdicts (verifier-node answers as a JSON array, or { encodedClaims, verdicts })")
      .option("--hpke-key-hash <hex32>", "keccak256 of the enclave's HPKE public key")
      .option("--hpke-public-key <hex>", "the enclave's HPKE public key (hashed here), instead of --hpke-key-hash")
      .option("--route <route>", "committee (default: verdicts from verifier nodes) or dcap (the raw TDX/SGX --evidence quote verified entirely on-chain; needs --dcap-verifier)"),
    "registry register",
    ["enclaveRegistry", "committee", "dcapVerifier"],
    async () => (await bodies()).register,
  );
}
