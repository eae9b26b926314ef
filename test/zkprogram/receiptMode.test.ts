/**
 * Receipt mode end to end through the binary: `teezk-zk execute --mode receipt` checks an enclave's EIP-712
 * receipt against attested evidence, the witness and the output, and commits abi.encode(Claims, Receipt, bytes32
 * domainSeparator, ReceiptBinding).
 *
 * No real fixture's report data is the binding of a key we hold (that is the point of the binding), so the
 * evidence comes from the simulated TEEs (real formats, signed by the dev PKI) and both sides trust the dev root
 * explicitly: TypeScript through `extraTrustedRoots`, Rust through `--extra-trusted-root`. The journal's rootHash
 * names that root, and the contract accepts it only because this test's registry allows it.
 *
 * Asserted per vendor: the Rust journal equals TypeScript's `buildReceiptJournal` byte for byte;
 * Sp1ReceiptVerifier (with SP1VerifierTestDouble standing in for SP1) decodes the same claims, receipt and binding,
 * refuses the journal of a receipt signed for another chain (the journal commits the EIP-712 domain) and evidence
 * bound to a nonce that is no recent block hash or issued challenge (a quote of any age); a wrong
 * witness, a wrong output, a forged or malleated signature and a foreign HPKE key are refused by the binary
 * (exit 1, typed code on stderr) and by TypeScript with the same code.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hexToBigInt, keccak256, numberToHex, toHex, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeBinding, decodeClaims, encodeClaims, type Claims } from "../../src/claims/index.js";
import { isTeezkError } from "../../src/errors/index.js";
import { verifyEvidence } from "../../src/evidence/verifyEvidence.js";
import { buildReceiptJournal, decodeReceiptJournal, signReceipt, type Receipt } from "../../src/receipts/index.js";
import { getDevRoots, simulateEvidence, type SimulatedVendor } from "../../src/tee/simulated/index.js";
import { ensureHostBinary } from "./hostBinary.js";
import { allowOnMeasurementRegistry, deploySp1TestChain, SP1_TEST_VKEY, testDoubleProof, type Sp1TestChain, type Untyped } from "./sp1TestChain.js";

const PROGRAM = keccak256(toHex("teezk receipt-mode program"));
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const dir = mkdtempSync(join(tmpdir(), "teezk-receipt-mode-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Outcome = { ok: true; journal: Hex } | { ok: false; code: string };

/** Same signature with s' = n - s and the other v: valid secp256k1, refused as malleable by OZ, Rust and TS. */
/** Writes the witness and output files the host reads and returns them with the receipt over their digests. */
function writeReceiptInputs(folder: string, label: string, now: Date): { receipt: Receipt; witness: Uint8Array; output: Uint8Array } {
  const witness = new TextEncoder().encode(`private witness of ${label}`);
  const output = new TextEncoder().encode(`public output of ${label}`);
  writeFileSync(join(folder, "witness.bin"), witness);
  writeFileSync(join(folder, "output.bin"), output);
  const receipt: Receipt = {
    programId: PROGRAM,
    inputDigest: keccak256(witness),
    outputDigest: keccak256(output),
    proofDigest: keccak256(toHex(`proof of ${label}`)),
    issuedAt: BigInt(Math.floor(now.getTime() / 1000)),
    nonce: keccak256(toHex(`request ${label}`)),
  };
  return { receipt, witness, output };
}

function malleate(signature: Hex): Hex {
  const s = hexToBigInt(`0x${signature.slice(66, 130)}`);
  const v = Number.parseInt(signature.slice(130), 16);
  return `${signature.slice(0, 66)}${numberToHex(SECP256K1_N - s, { size: 32 }).slice(2)}${(v === 27 ? 28 : 27).toString(16)}` as Hex;
}

describe("receipt mode through teezk-zk, TypeScript and Sp1ReceiptVerifier", () => {
  let binary: string;
  let chain: Sp1TestChain;
  let receipts: Untyped;
  let domain: { chainId: number; verifyingContract: Hex };

  beforeAll(async () => {
    binary = ensureHostBinary();
    chain = await deploySp1TestChain();
    receipts = await chain.viem.deployContract("Sp1ReceiptVerifier", [chain.sp1.address, SP1_TEST_VKEY, chain.measurements.address]);
    domain = { chainId: await (await chain.viem.getPublicClient()).getChainId(), verifyingContract: receipts.address };
  }, 30 * 60_000);

  /** A challenge from Sp1ReceiptVerifier.issueChallenge, read back from its ChallengeIssued event. */
  async function issueChallenge(): Promise<Hex> {
    const { blockHash } = await chain.wait(await receipts.write.issueChallenge());
    const [event] = await receipts.getEvents.ChallengeIssued({}, { blockHash });
    return event.args.challenge as Hex;
  }

  /** The registry admits exactly these claims (dev root included). */
  const allow = (claims: Claims) => allowOnMeasurementRegistry(chain, PROGRAM, claims);

  // Not NVIDIA: a GPU alone is no enclave, so no receipt rests on its report (the case below).
  const vendors: SimulatedVendor[] = ["nitro", "tdx", "sgx", "sevsnp"];
  for (const vendor of vendors) {
    it(`${vendor}: Rust journal = TypeScript journal = what Sp1ReceiptVerifier decodes; mismatches refused alike`, async () => {
      const folder = join(dir, vendor);
      mkdirSync(folder);
      const enclave = privateKeyToAccount(generatePrivateKey());
      const hpkePublicKey = toHex(new Uint8Array([4, ...new Array<number>(64).fill(0x42)]));
      // A challenge the contract issued: the evidence is fresh for CHALLENGE_TTL.
      const bindingNonce = await issueChallenge();
      // A minute in the past: claims.timestamp must not be ahead of the chain's block time.
      const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
      const devRoots = getDevRoots({ dir: join(dir, "dev-roots") });
      const sim = simulateEvidence({ vendor, binding: computeBinding({ enclaveAddress: enclave.address, hpkePublicKey, nonce: bindingNonce }), now, devRoots });
      const evidencePath = join(folder, "evidence.bin");
      writeFileSync(evidencePath, sim.evidence);
      const collateralDir = join(folder, "collateral");
      mkdirSync(collateralDir);
      for (const [name, text] of Object.entries(sim.collateralFiles ?? {})) writeFileSync(join(collateralDir, name), text);
      const trustedRoot = `0x${sim.trustedRoot.sha256}` as Hex;

      const { receipt, witness, output } = writeReceiptInputs(folder, vendor, now);
      const signature = await signReceipt({ account: enclave, receipt, domain });

      const claims = verifyEvidence({ evidence: sim.evidence, now, kind: vendor, collateralDir, extraTrustedRoots: [sim.trustedRoot] }).evidence.claims;
      const base = { claims, receipt, signature, witness, output, enclaveAddress: enclave.address, hpkePublicKey, bindingNonce, domain };

      type Variant = { signature?: Hex; witness?: Uint8Array; output?: Uint8Array; hpkePublicKey?: Hex; chainId?: number; domain?: typeof domain };
      const rust = (variant: Variant = {}): Outcome => {
        const receiptPath = join(folder, "receipt.json");
        writeFileSync(
          receiptPath,
          JSON.stringify({
            ...receipt,
            issuedAt: receipt.issuedAt.toString(),
            signature: variant.signature ?? signature,
            enclaveAddress: enclave.address,
            hpkePublicKey: variant.hpkePublicKey ?? hpkePublicKey,
            bindingNonce,
            chainId: variant.chainId ?? domain.chainId,
            verifyingContract: domain.verifyingContract,
          }),
        );
        writeFileSync(join(folder, "witness.bin"), variant.witness ?? witness);
        writeFileSync(join(folder, "output.bin"), variant.output ?? output);
        const args = ["execute", "--mode", "receipt", "--type", vendor, "--evidence", evidencePath, "--at", now.toISOString()];
        if (sim.collateralFiles) args.push("--collateral", collateralDir);
        args.push("--extra-trusted-root", trustedRoot, "--witness", join(folder, "witness.bin"), "--output", join(folder, "output.bin"), "--receipt", receiptPath);
        const run = spawnSync(binary, args, { encoding: "utf8" });
        if (run.status === 0) return { ok: true, journal: run.stdout.trim() as Hex };
        expect(run.status).toBe(1);
        const line = JSON.parse(run.stderr.trim().split("\n").pop() ?? "{}") as { code?: string };
        return { ok: false, code: line.code ?? `no code in ${run.stderr}` };
      };
      const typescript = async (variant: Variant = {}): Promise<Outcome> => {
        try {
          const { chainId: _rustOnly, ...tsVariant } = variant;
          return { ok: true, journal: await buildReceiptJournal({ ...base, ...tsVariant }) };
        } catch (error) {
          if (isTeezkError(error)) return { ok: false, code: error.code };
          throw error;
        }
      };

      const expected = await typescript();
      expect(expected.ok).toBe(true);
      const journal = (expected as { journal: Hex }).journal;
      expect(rust()).toEqual(expected);
      expect(journal.slice(0, 2 + 64 * 9)).toBe(encodeClaims(claims));
      const binding = { enclave: enclave.address, hpkeKeyHash: keccak256(hpkePublicKey), nonce: bindingNonce };
      expect(decodeReceiptJournal(journal)).toEqual({ claims, receipt, domainSeparator: await receipts.read.receiptDomainSeparator(), binding });
      expect(decodeClaims(journal.slice(0, 2 + 64 * 9) as Hex).rootHash).toBe(trustedRoot);

      await allow(claims);
      const proof = testDoubleProof(journal);
      const [onchainClaims, onchainReceipt, digest, onchainBinding] = await receipts.read.verify([journal, proof]);
      expect(onchainClaims).toEqual(claims);
      expect(onchainReceipt).toEqual(receipt);
      expect(onchainBinding).toEqual(binding);
      expect(digest).toBe(await receipts.read.receiptDigest([receipt]));

      // Issue 12 item 12: evidence bound to a nonce nobody issued (a quote of any age; its claims.timestamp is the
      // prover's clock) still makes a journal the program would prove, and the contract refuses it.
      const staleNonce = keccak256(toHex(`a year-old nonce for ${vendor}`));
      const stale = simulateEvidence({ vendor, binding: computeBinding({ enclaveAddress: enclave.address, hpkePublicKey, nonce: staleNonce }), now, devRoots });
      const staleCollateral = join(folder, "stale-collateral");
      mkdirSync(staleCollateral);
      for (const [name, text] of Object.entries(stale.collateralFiles ?? {})) writeFileSync(join(staleCollateral, name), text);
      const staleClaims = verifyEvidence({ evidence: stale.evidence, now, kind: vendor, collateralDir: staleCollateral, extraTrustedRoots: [stale.trustedRoot] }).evidence.claims;
      // Freshness is checked before the policy, so no policy change is needed for these claims.
      const staleJournal = await buildReceiptJournal({ ...base, claims: staleClaims, bindingNonce: staleNonce });
      await expect(receipts.read.verify([staleJournal, testDoubleProof(staleJournal)])).rejects.toThrow(/BindingNonceNotFresh/);

      // The enclave signed the same receipt for this contract's address on another chain: the program proves
      // that signature just as well, but the journal names the other domain and the contract refuses it.
      const foreignDomain = { ...domain, chainId: domain.chainId + 1 };
      const foreignSignature = await signReceipt({ account: enclave, receipt, domain: foreignDomain });
      const foreign = rust({ signature: foreignSignature, chainId: foreignDomain.chainId });
      expect(foreign).toEqual(await typescript({ signature: foreignSignature, domain: foreignDomain }));
      const foreignJournal = (foreign as { journal: Hex }).journal;
      // Only word 15, the domain separator, differs.
      const domainWord = [2 + 64 * 15, 2 + 64 * 16] as const;
      expect(foreignJournal.slice(0, domainWord[0]) + foreignJournal.slice(domainWord[1])).toBe(journal.slice(0, domainWord[0]) + journal.slice(domainWord[1]));
      expect(foreignJournal.slice(...domainWord)).not.toBe(journal.slice(...domainWord));
      const foreignProof = testDoubleProof(foreignJournal);
      await expect(receipts.read.verify([foreignJournal, foreignProof])).rejects.toThrow(/ReceiptDomainMismatch/);
      // Under this contract's domain, the other chain's signature is not the enclave's.
      expect(rust({ signature: foreignSignature })).toEqual({ ok: false, code: "SIGNATURE_INVALID" });

      const other = privateKeyToAccount(generatePrivateKey());
      const forged = await signReceipt({ account: other, receipt, domain });
      const flipped = `${signature.slice(0, 40)}${signature[40] === "0" ? "1" : "0"}${signature.slice(41)}` as Hex;
      const cases: [string, Variant, string][] = [
        ["wrong witness", { witness: new TextEncoder().encode(`another witness of ${vendor}`) }, "RECEIPT_MISMATCH"],
        ["wrong output", { output: new TextEncoder().encode(`another output of ${vendor}`) }, "RECEIPT_MISMATCH"],
        ["receipt signed by another key", { signature: forged }, "SIGNATURE_INVALID"],
        ["signature with a flipped r bit", { signature: flipped }, "SIGNATURE_INVALID"],
        ["malleated (high-s) signature of the enclave", { signature: malleate(signature) }, "SIGNATURE_INVALID"],
        ["another HPKE key than the evidence binds", { hpkePublicKey: toHex(new Uint8Array(65).fill(7)) }, "BINDING_MISMATCH"],
      ];
      for (const [name, variant, code] of cases) {
        const ts = await typescript(variant);
        expect(ts, `TypeScript, ${name}`).toEqual({ ok: false, code });
        expect(rust(variant), `teezk-zk, ${name}`).toEqual(ts);
      }

      // Without the explicit dev-root trust, both refuse the simulated evidence at the root.
      const attestArgs = ["execute", "--mode", "attest", "--type", vendor, "--evidence", evidencePath, "--at", now.toISOString()];
      if (sim.collateralFiles) attestArgs.push("--collateral", collateralDir);
      const untrusted = spawnSync(binary, attestArgs, { encoding: "utf8" });
      expect(untrusted.status).toBe(1);
      let tsCode = "accepted";
      try {
        verifyEvidence({ evidence: sim.evidence, now, kind: vendor, collateralDir });
      } catch (error) {
        tsCode = isTeezkError(error) ? error.code : String(error);
      }
      expect(tsCode).toBe("ROOT_NOT_TRUSTED");
      expect(JSON.parse(untrusted.stderr.trim()).code).toBe(tsCode);
    });
  }

  it("nvidia alone: a receipt signed by the key the GPU's host chose is refused by the program and TypeScript (GPU_NOT_AN_ENCLAVE)", async () => {
    const folder = join(dir, "nvidia-alone");
    mkdirSync(folder);
    const host = privateKeyToAccount(generatePrivateKey());
    const hpkePublicKey = toHex(new Uint8Array([4, ...new Array<number>(64).fill(0x42)]));
    const bindingNonce = keccak256(toHex("nonce for a GPU alone"));
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    // The host drives the GPU and asks it to sign its own key's binding as the SPDM nonce.
    const sim = simulateEvidence({ vendor: "nvidia", binding: computeBinding({ enclaveAddress: host.address, hpkePublicKey, nonce: bindingNonce }), now, devRoots: getDevRoots({ dir: join(dir, "dev-roots") }), gpuFormat: "json" });
    const evidencePath = join(folder, "evidence.json");
    writeFileSync(evidencePath, sim.evidence);
    const { receipt } = writeReceiptInputs(folder, "a GPU alone", now);
    const signature = await signReceipt({ account: host, receipt, domain });
    writeFileSync(
      join(folder, "receipt.json"),
      JSON.stringify({ ...receipt, issuedAt: receipt.issuedAt.toString(), signature, enclaveAddress: host.address, hpkePublicKey, bindingNonce, ...domain }),
    );
    const run = spawnSync(
      binary,
      ["execute", "--mode", "receipt", "--type", "nvidia", "--evidence", evidencePath, "--at", now.toISOString(), "--extra-trusted-root", `0x${sim.trustedRoot.sha256}`,
        "--witness", join(folder, "witness.bin"), "--output", join(folder, "output.bin"), "--receipt", join(folder, "receipt.json")],
      { encoding: "utf8" },
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stderr.trim().split("\n").pop() ?? "{}")).toMatchObject({ code: "GPU_NOT_AN_ENCLAVE" });
    expect(() => verifyEvidence({ evidence: sim.evidence, now, kind: "nvidia", extraTrustedRoots: [sim.trustedRoot] })).toThrow(/GPU_NOT_AN_ENCLAVE/);
  });
});
