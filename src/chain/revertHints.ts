import { roleNameOf } from "./roleAndRouteIds.js";

/**
 * What a user does about each contract error a teezk command, the demo or a deployment can meet, by custom error
 * name. The decoded error says what failed; the hint says which command or key fixes it. chainCallError adds it
 * to every revert it decodes, so no caller keeps a table of its own.
 */
const HINTS: Record<string, (args: string[]) => string> = {
  AccessControlUnauthorizedAccount: ([account, role]) => {
    const name = roleNameOf(role ?? "") ?? role;
    const why =
      name === "GOVERNOR_ROLE"
        ? " Governance runs through the timelock: use `registry schedule-allow` and then `registry execute`."
        : name === "GUARDIAN_ROLE"
          ? " Revocation needs the guardian's key (TEEZK_GUARDIAN at deployment)."
          : name === "PROPOSER_ROLE"
            ? " Scheduling needs a timelock proposer's key (TEEZK_PROPOSERS at deployment)."
            : "";
    return `The sending account ${account} lacks ${name}: set the variable named by --private-key-env (TEEZK_PRIVATE_KEY for deploy/deploy.ts) to the key of an account that holds it.${why}`;
  },
  TimelockUnexpectedOperationState: () => "The timelock operation is not in the state this call needs: never scheduled, still inside its delay, or already executed (see its readyAt).",
  TimelockInsufficientDelay: ([delay, min]) => `--delay ${delay} is below the timelock's minimum ${min}; omit --delay to use the minimum.`,
  MeasurementAlreadyAdded: () => "The measurement is already on the allowlist for this program and TEE type; `registry status` shows its window.",
  MeasurementIsRevoked: () => "Revocation is permanent: allow a new measurement (a rebuilt image) instead.",
  MeasurementNotAllowed: () => "Allow the measurement first: `registry schedule-allow`, then `registry execute` after the timelock delay.",
  TeePolicyNotSet: () => "Set the TEE type's policy with `registry schedule-allow --accept-tcb … --max-evidence-age …`.",
  RootHashNotAllowed: () => "Allow the evidence's root certificate with `registry schedule-allow --allow-root <sha256>`.",
  TcbStatusNotAccepted: () => "The platform's TCB status is not accepted by the TEE type's policy: update the platform or the policy (--accept-tcb).",
  EvidenceTooOld: () => "The evidence is older than the policy's maximum age: attest again and collect fresh verdicts.",
  NotEnoughVerdicts: ([given, threshold]) => `${given} verdict(s) given, the committee needs ${threshold}: collect verdicts from more committee nodes.`,
  NotCommitteeMember: ([signer]) => `${signer} is not a committee member: use verdicts from the deployment's verifier nodes.`,
  InvalidVerdictSignature: ([index]) => `Verdict ${index} is not over these claims for this committee: the claims or the verifier node's committee address differ.`,
  BindingMismatch: () => "The evidence's report data is not the binding of --enclave, the HPKE key and --nonce: attest again with that binding.",
  NonceNotFresh: () => "The nonce is neither a block hash of the last 256 blocks nor a live challenge for this program: run `registry challenge --program-id` and attest again.",
  NonceAlreadyUsed: () => "Each challenge registers once per program: run `registry challenge` for a new one.",
  EnclaveIsRemoved: () => "This enclave key was removed (a conflicting root): it can never register again; generate a new key.",
  EnclaveNotLive: () => "The signer is not a live enclave for the program: register or re-attest it (`registry register`), and check `registry status --enclave`.",
  InvalidReceiptSignature: () => "The signature is not over this receipt for this ReceiptVerifier (wrong contract, chain or field).",
  ReceiptFromFuture: () => "The receipt's issuedAt is ahead of the chain's clock by more than the allowed skew.",
  ReceiptAlreadyConsumed: () => "This account already consumed this receipt: receipts are one-time per consumer.",
  InvalidBatchSignature: () => "The batch signature is not over this root, count and --issued-at for this BatchReceipts.",
  BatchFromFuture: () => "--issued-at is ahead of the chain's clock.",
  BatchAlreadySubmitted: ([, signer]) =>
    `This root is already recorded under signer ${signer} (perhaps someone relayed the same signature first): verify inclusions with --signer ${signer}.`,
  BatchNotFound: ([, signer]) =>
    `${signer} never submitted a batch with this root: run \`receipts batch submit\` first, or pass the --signer that did (BatchSubmitted names it).`,
  LivenessEpochNotMirrored: () =>
    "This BatchReceipts is not a liveness sink of its MeasurementRegistry, so it caches nothing and every inclusion takes the full check (correct, only dearer); the governor wires it with MeasurementRegistry.addLivenessSink.",
  ReceiptNotInBatch: () => "The proof does not lead from this receipt to the root: rebuild it from the batch's receipts file.",
  InsufficientQuorum: ([vendors, min]) =>
    `Signatures span ${vendors} vendor(s); ${min} distinct vendors are required (\`roots status\`): add signatures from enclaves of other vendors (TDX and SGX are both Intel).`,
  NotAnEnclave: ([signer, teeType]) =>
    `${signer} has TEE type ${teeType}, which is no enclave's: an NVIDIA GPU only counts as the second half of a CPU enclave's composite evidence.`,
  GpuEvidenceRequired: () => "The program requires a GPU: register with composite evidence (`registry register --evidence <cpu> --gpu <gpu>`).",
  ProgramHasMeasurements: () => "A program's GPU requirement is set before its first measurement (entries copy it): use a new program id for GPU enclaves.",
  GpuBindingMismatch: ([index]) => `GPU ${index}'s nonce is not the enclave's binding: the GPU must attest with the CPU evidence's report data as its nonce.`,
  NotGpuClaims: ([index, teeType]) => `Composite part ${index} has TEE type ${teeType}: only NVIDIA GPU claims (type 4) go with the CPU claims.`,
  TooManyGpus: ([count, max]) => `${count} GPUs in one composite; a registration carries at most ${max}.`,
  CompositeNotSupported: () => "This attestation route vouches only for one Claims record (the SP1 program commits no composite journal): register a composite through the committee route.",
  ConflictSignersAlreadyRemoved: () => "Every signer was already removed or reported: a punished key cannot halt the contract again.",
  EpochDisputed: () => "A conflict disputes this epoch: only a ZK proof settles it (`roots submit-zk`); `roots status --epoch` shows both roots.",
  ContractHalted: () => "MultiProverRoots is halted after a conflict: only `roots submit-zk` finalizes until governance resumes it.",
  EscapeHatchClosed: ([opensAt]) => `The ZK escape hatch opens at ${opensAt ? new Date(Number(opensAt) * 1000).toISOString() : "a later time"}, or at once when the contract halts.`,
  EpochAlreadyFinalized: () => "This epoch is final; a different root for it is a conflict (`roots report-conflict`).",
  NotEnoughGasForRemoval: ([removalGas]) =>
    `Each conflicting signer's removal must be given ${removalGas ?? "200000"} gas: send the report with a higher gas limit (about 230k per signer on top of the signature checks).`,
  EpochNotFinalized: () => "A conflict can only be reported against a finalized epoch (`roots status --epoch`).",
  RootNotConflicting: () => "This root equals the finalized one: there is no conflict to report.",
  InvalidRootSignature: ([index]) => `Signature ${index} is not over (epoch, root) for this MultiProverRoots.`,
  EnclaveNotRegistered: ([signer]) => `${signer} never registered: register the enclave first (\`registry register\`).`,
  InvalidZkProof: () => "The ZK proof does not verify for (programId, epoch, root) with the deployment's root proof verifier.",
};

/** The hint for a decoded revert (`Name(arg, …)`, as revertReason gives it), when one is known. */
export function revertHint(decodedRevert: string): string | undefined {
  const match = /^(\w+)\((.*)\)$/.exec(decodedRevert);
  if (!match || !Object.hasOwn(HINTS, match[1]!)) return undefined;
  return HINTS[match[1]!]!(match[2] ? match[2].split(", ") : []);
}
