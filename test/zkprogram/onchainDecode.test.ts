/**
 * On-chain parity: the journal the real Rust program (`teezk-zk execute`) commits for real evidence is what the
 * contracts accept and decode. Sp1AttestationVerifier checks the attest-mode journal; Sp1ReceiptVerifier decodes
 * the receipt-mode journal (the same Claims bytes followed by abi.encode(Receipt), its domain separator and the binding
 * inputs) into the very fields TypeScript verification produced, applies the MeasurementRegistry policy and the
 * binding nonce's freshness, consumes it once and refuses the replay.
 * The SP1 proof itself is the SP1VerifierTestDouble's stand-in (keccak256(abi.encode(vkey, publicValues))):
 * real SP1 proofs cannot be produced on these machines.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { concatHex, encodeAbiParameters, keccak256, sliceHex, type Hex } from "viem";
import { beforeAll, describe, expect, it } from "vitest";
import { decodeClaims, type Claims } from "../../src/claims/index.js";
import { parseNitroDocument, verifyNitroDocument } from "../../src/evidence/nitro/index.js";
import { loadDcapCollateral } from "../../src/evidence/tdx/collateral/index.js";
import { verifyDcapQuote } from "../../src/evidence/tdx/index.js";
import { fixturePath } from "../../src/fixtures/fixturesDir.js";
import { encodeReceiptJournal, receiptAbiParameter, receiptBindingAbiParameter } from "../../src/receipts/index.js";
import { decodeEvidenceInput } from "../../src/util/bytes.js";
import { allowOnMeasurementRegistry, deploySp1TestChain, SP1_TEST_VKEY, testDoubleProof, type Sp1TestChain, type Untyped } from "./sp1TestChain.js";

const workspace = join(dirname(fileURLToPath(import.meta.url)), "../../zkprogram");
// Same binary logic as parity.test.ts: TEEZK_ZK_BIN, else the release build (a no-op cargo build when current).
const binary = process.env.TEEZK_ZK_BIN ?? join(workspace, "target/release/teezk-zk");
if (!process.env.TEEZK_ZK_BIN) {
  spawnSync("cargo", ["build", "--release", "--locked", "-p", "teezk-zk-host"], {
    cwd: workspace,
    stdio: "inherit",
    env: { ...process.env, CARGO_BUILD_JOBS: process.env.CARGO_BUILD_JOBS ?? "1" },
  });
}
const noBinary = !existsSync(binary);
const MAX_BYTES = 256 * 1024;
const PROGRAM = keccak256(new TextEncoder().encode("teezk onchain parity program"));


function attestJournal(args: string[]): Hex {
  const result = spawnSync(binary, ["execute", "--mode", "attest", ...args], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`teezk-zk failed: ${result.stderr}`);
  return result.stdout.trim() as Hex;
}

type Sample = { name: string; journal: () => Hex; claims: () => Claims };

// evervault-beta is a production enclave; evervault-ga's PCRs are all zero (debug), so the policy must refuse it.
const nitroSample = "nitro/evervault-beta-2022-10/attestation-doc.cbor";
const nitroDebugSample = "nitro/evervault-ga-2023-09/attestation-doc.b64";
const tdxFolder = "tdx/dcapqvl-v4-b0c06f";
const tdxAt = "2025-06-20T12:00:00Z";
function nitro(sample: string): Sample {
  const bytes = () => decodeEvidenceInput(readFileSync(fixturePath(sample)), MAX_BYTES).bytes;
  const at = () => new Date(parseNitroDocument(bytes()).timestamp);
  return {
    name: `${sample} at its document time`,
    journal: () => attestJournal(["--type", "nitro", "--evidence", fixturePath(sample), "--at", at().toISOString()]),
    claims: () => verifyNitroDocument({ evidence: bytes(), now: at() }).claims,
  };
}

const samples: Sample[] = [
  nitro(nitroSample),
  {
    name: `${tdxFolder} with its collateral at ${tdxAt}`,
    journal: () =>
      attestJournal(["--type", "tdx", "--evidence", fixturePath(`${tdxFolder}/quote.bin`), "--at", tdxAt, "--collateral", fixturePath(tdxFolder)]),
    claims: () =>
      verifyDcapQuote({
        evidence: decodeEvidenceInput(readFileSync(fixturePath(`${tdxFolder}/quote.bin`)), MAX_BYTES).bytes,
        now: new Date(tdxAt),
        collateral: loadDcapCollateral(fixturePath(tdxFolder)),
      }).claims,
  },
];

describe.skipIf(noBinary)(`on-chain decode of the Rust journal${noBinary ? ` (skipped: ${binary} missing and cargo build failed)` : ""}`, () => {
  let chain: Sp1TestChain;
  let attestation: Untyped;
  let receipts: Untyped;

  beforeAll(async () => {
    chain = await deploySp1TestChain();
    attestation = await chain.viem.deployContract("Sp1AttestationVerifier", [chain.sp1.address, SP1_TEST_VKEY]);
    receipts = await chain.viem.deployContract("Sp1ReceiptVerifier", [chain.sp1.address, SP1_TEST_VKEY, chain.measurements.address]);
  });

  /** Policy admitting exactly this evidence but for debug (the verifiers still refuse debug evidence). */
  const allow = (claims: Claims) => allowOnMeasurementRegistry(chain, PROGRAM, claims);

  /** Binding inputs whose nonce is a recent block hash (the latest block's parent: a call runs in the latest block). */
  async function freshBinding() {
    const block = await (await chain.viem.getPublicClient()).getBlock();
    return { enclave: "0x00000000000000000000000000000000000000E5" as const, hpkeKeyHash: keccak256("0x04"), nonce: block.parentHash };
  }

  async function receiptFor(journal: Hex) {
    const block = await (await chain.viem.getPublicClient()).getBlock();
    return {
      programId: PROGRAM,
      inputDigest: keccak256("0x01"),
      outputDigest: keccak256("0x02"),
      proofDigest: keccak256("0x03"),
      issuedAt: block.timestamp,
      nonce: keccak256(journal),
    };
  }

  for (const sample of samples) {
    it(`${sample.name}: contracts accept the journal and decode TypeScript's fields; consumed once, replay refused`, async () => {
      const journal = sample.journal();
      const expected = sample.claims();
      expect(journal.length).toBe(2 + 2 * 288);
      expect(decodeClaims(journal)).toEqual(expected);
      expect(expected.debug).toBe(false);
      await allow(expected);

      await attestation.read.verifyAttestation([journal, testDoubleProof(journal)]);
      const tampered = concatHex([sliceHex(journal, 0, 287), journal.endsWith("00") ? "0x01" : "0x00"]);
      await expect(attestation.read.verifyAttestation([tampered, testDoubleProof(journal)])).rejects.toThrow(/InvalidProof/);

      const receipt = await receiptFor(journal);
      // Rust commits (claims, receipt, domainSeparator, binding).abi_encode_params(): static tuples, i.e. the attest
      // journal followed by the receipt, the contract's EIP-712 domain separator and the binding inputs. (The real
      // report data binds no key of ours; the program, not the contract, proves that binding.)
      const domainSeparator = await receipts.read.receiptDomainSeparator();
      const binding = await freshBinding();
      const receiptJournal = encodeReceiptJournal({ claims: decodeClaims(journal), receipt, domainSeparator, binding });
      const receiptWords = encodeAbiParameters([receiptAbiParameter], [receipt]);
      expect(receiptJournal).toBe(concatHex([journal, receiptWords, domainSeparator, encodeAbiParameters([receiptBindingAbiParameter], [binding])]));
      const proof = testDoubleProof(receiptJournal);

      const [claims, decodedReceipt, digest, decodedBinding] = await receipts.read.verify([receiptJournal, proof]);
      expect(claims).toEqual(expected);
      expect(decodedReceipt).toEqual(receipt);
      expect(digest).toBe(await receipts.read.receiptDigest([receipt]));
      expect(decodedBinding).toEqual(binding);
      const stale = encodeReceiptJournal({ claims: decodeClaims(journal), receipt, domainSeparator, binding: { ...binding, nonce: keccak256("0x05") } });
      await expect(receipts.read.verify([stale, testDoubleProof(stale)])).rejects.toThrow(/BindingNonceNotFresh/);

      const hash = await receipts.write.verifyAndConsume([receiptJournal, proof]);
      const events = await receipts.getEvents.Sp1ReceiptConsumed({}, { blockHash: (await chain.wait(hash)).blockHash });
      expect(events).toHaveLength(1);
      expect(events[0].args).toMatchObject({ programId: PROGRAM, measurement: expected.measurement, digest, enclave: binding.enclave });
      await expect(receipts.write.verifyAndConsume([receiptJournal, proof])).rejects.toThrow(/ReceiptAlreadyConsumed/);
    });
  }

  it(`${nitroDebugSample}: the real debug enclave's journal is refused by the policy (DebugNotAllowed)`, async () => {
    const sample = nitro(nitroDebugSample);
    const journal = sample.journal();
    const expected = sample.claims();
    expect(decodeClaims(journal)).toEqual(expected);
    expect(expected.debug).toBe(true);
    await allow(expected);
    const receiptJournal = encodeReceiptJournal({
      claims: expected,
      receipt: await receiptFor(journal),
      domainSeparator: await receipts.read.receiptDomainSeparator(),
      binding: await freshBinding(),
    });
    // The registry's error bubbles up; its selector is in IMeasurementRegistry's ABI, not this contract's.
    await expect(receipts.write.verifyAndConsume([receiptJournal, testDoubleProof(receiptJournal)])).rejects.toThrow(/DebugNotAllowed\(3\)/);
  });
  // Receipt-mode journals produced by teezk-zk itself need reportData == binding(enclave, hpke, nonce), which no
  // real fixture's report data satisfies: receiptMode.test.ts covers them with simulated evidence.
});
