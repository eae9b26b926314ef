import { TeezkError } from "../../src/errors/index.js";

/** BN254 base field (coordinates) and scalar field (public signals). */
const q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
const r = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** The parts of a snarkjs `verification_key.json` the verifier needs (affine, decimal strings). */
export type Groth16VerificationKey = {
  protocol: string;
  curve: string;
  nPublic: number;
  vk_alpha_1: string[];
  vk_beta_2: string[][];
  vk_gamma_2: string[][];
  vk_delta_2: string[][];
  IC: string[][];
};

export type RenderLeanGroth16VerifierParameters = {
  verificationKey: Groth16VerificationKey;
  contractName: string;
  /** Where the key came from, for the header (e.g. `circuits/membership.circom`). */
  source: string;
};

function field(value: string | undefined, what: string): bigint {
  if (value === undefined || !/^[0-9]{1,78}$/.test(value)) {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `verification key: ${what} is not a decimal field element`);
  }
  const n = BigInt(value);
  if (n >= q) throw new TeezkError("CIRCUIT_NOT_BUILT", `verification key: ${what} is not below the base field order`);
  return n;
}

/**
 * A G2 point in the order the pairing precompile reads it (EIP-197: x imaginary, x real, y imaginary,
 * y real), optionally negated (y → −y in Fp2, i.e. both components).
 */
function g2Words(point: string[][] | undefined, what: string, negate: boolean): bigint[] {
  if (!point || point.length < 2 || point[2]?.[0] !== "1" || point[2]?.[1] !== "0") {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `verification key: ${what} is not an affine G2 point`);
  }
  const [x0, x1] = [field(point[0]?.[0], `${what}.x0`), field(point[0]?.[1], `${what}.x1`)];
  const [y0, y1] = [field(point[1]?.[0], `${what}.y0`), field(point[1]?.[1], `${what}.y1`)];
  const neg = (v: bigint) => (negate ? (q - v) % q : v);
  return [x1, x0, neg(y1), neg(y0)];
}

function g1Words(point: string[] | undefined, what: string): bigint[] {
  if (!point || point[2] !== "1") {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `verification key: ${what} is not an affine G1 point`);
  }
  return [field(point[0], `${what}.x`), field(point[1], `${what}.y`)];
}

const hex = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;

/**
 * Renders a Groth16 verifier with the snarkjs verifier's ABI and verification equation, written to spend as
 * little gas beyond the precompiles as we could make it (see docs/decisions.md, "Lean Groth16 verifier"):
 *
 * - snarkjs checks e(−A, B)·e(α, β)·e(vk_x, γ)·e(C, δ) = 1, negating A at run time. This one checks
 *   e(A, B)·e(α, −β)·e(vk_x, −γ)·e(C, −δ) = 1 — the same equation (the product is the inverse of snarkjs'
 *   product, and is 1 exactly when that one is) with the negations precomputed as constants. A then reaches
 *   the precompile as given, so a non-canonical A.y is rejected instead of being reduced (snarkjs accepts
 *   A.y + k·q − (2^256 mod q) style encodings through its `mod(sub(q, y), q)`).
 * - The pairing input is assembled in place: A and B are copied from calldata in one `calldatacopy`, the
 *   vk_x accumulator lives in its pairing slot, each ecMul writes next to it so ecAdd reads both as one
 *   input; no free-memory-pointer bookkeeping, no helper calls, one branch for the range checks.
 * - Checks: every public signal < r (else `s` and `s + r` would verify as two statements); every proof
 *   coordinate < q (the precompiles check this too, EIP-196/197; stated here so the contract does not rest on
 *   it); every precompile call's success; the pairing result.
 */
export function renderLeanGroth16Verifier(parameters: RenderLeanGroth16VerifierParameters): string {
  const { verificationKey: vk, contractName, source } = parameters;
  if (vk.protocol !== "groth16" || vk.curve !== "bn128") {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `verification key is ${vk.protocol}/${vk.curve}, not groth16/bn128`);
  }
  const n = vk.nPublic;
  if (!Number.isInteger(n) || n < 1 || n > 64 || vk.IC.length !== n + 1) {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `verification key: nPublic ${n} does not match ${vk.IC.length} IC points`);
  }
  if (!/^[A-Z][A-Za-z0-9_]{0,63}$/.test(contractName)) {
    throw new TeezkError("CIRCUIT_NOT_BUILT", `"${contractName}" is not a contract name`);
  }
  const alpha = g1Words(vk.vk_alpha_1, "alpha1");
  const negBeta = g2Words(vk.vk_beta_2, "beta2", true);
  const negGamma = g2Words(vk.vk_gamma_2, "gamma2", true);
  const negDelta = g2Words(vk.vk_delta_2, "delta2", true);
  const ic = vk.IC.map((p, i) => g1Words(p, `IC${i}`));

  // Pairing input: four 192-byte pairs (G1 x, y; G2 x_im, x_re, y_im, y_re).
  // 0x000 (A, B)   0x0c0 (C, −δ)   0x180 (α, −β)   0x240 (vk_x, −γ)
  // While vk_x is accumulated at 0x240, ecMul reads (IC_i, s_i) at 0x280..0x2e0 and writes IC_i·s_i to
  // 0x280, so ecAdd reads vk_x ‖ IC_i·s_i as one 128-byte input at 0x240. −γ overwrites that scratch last.
  const constLines = [
    ["ALPHA_X", alpha[0]!],
    ["ALPHA_Y", alpha[1]!],
    ...(["X_IM", "X_RE", "Y_IM", "Y_RE"] as const).map((s, i) => [`NEG_BETA_${s}`, negBeta[i]!] as const),
    ...(["X_IM", "X_RE", "Y_IM", "Y_RE"] as const).map((s, i) => [`NEG_GAMMA_${s}`, negGamma[i]!] as const),
    ...(["X_IM", "X_RE", "Y_IM", "Y_RE"] as const).map((s, i) => [`NEG_DELTA_${s}`, negDelta[i]!] as const),
    ...ic.flatMap((p, i) => [
      [`IC${i}_X`, p[0]!],
      [`IC${i}_Y`, p[1]!],
    ]),
  ].map(([name, value]) => `    uint256 private constant ${name} = ${hex(value as bigint)};`);

  const signalChecks = Array.from({ length: n }, (_, i) => `            ok := and(ok, lt(calldataload(add(pubSignals, ${i * 32})), r))`);
  const accumulate = ic.slice(1).flatMap((_, k) => {
    const i = k + 1;
    return [
      `            mstore(0x280, IC${i}_X)`,
      `            mstore(0x2a0, IC${i}_Y)`,
      `            mstore(0x2c0, calldataload(add(pubSignals, ${k * 32})))`,
      `            ok := and(ok, staticcall(gas(), 0x07, 0x280, 0x60, 0x280, 0x40))`,
      `            ok := and(ok, staticcall(gas(), 0x06, 0x240, 0x80, 0x240, 0x40))`,
    ];
  });

  return `// SPDX-License-Identifier: Apache-2.0
// GENERATED by scripts/circuits/build.ts (scripts/circuits/leanVerifier.ts) from the verification key of ${source}.
// Do not edit: change the generator and rebuild. The keys come from a DEVELOPMENT ceremony (circuits/README.md).
pragma solidity 0.8.30;

/// @title ${contractName}
/// @notice Groth16 (BN254) verifier for ${source}: same verification key, ABI and pairing equation as the
/// snarkjs-generated verifier, with less overhead around the precompiles (scripts/circuits/leanVerifier.ts says
/// how, docs/decisions.md says why). Returns false for any proof or signal that does not verify.
/// @custom:security-contact security@teezk.invalid
contract ${contractName} {
    /// BN254 scalar field order: every public signal must be below it.
    uint256 private constant R = ${hex(r)};
    /// BN254 base field order: every proof coordinate must be below it.
    uint256 private constant Q = ${hex(q)};

    // Verification key; the G2 points are negated (y → −y) and in the precompile's (imaginary, real) order.
${constLines.join("\n")}

    /// @notice Verifies a Groth16 proof of ${source} over its ${n} public signals.
    /// @param a The proof's A (G1, affine x, y).
    /// @param b The proof's B (G2, affine, each coordinate as [imaginary, real], as snarkjs' calldata gives it).
    /// @param c The proof's C (G1, affine x, y).
    /// @param pubSignals The public signals, in the circuit's order.
    /// @return True when e(A, B) = e(α, β)·e(vk_x, γ)·e(C, δ) for vk_x = IC0 + Σ pubSignals[i]·IC(i+1), every
    /// signal is below r and every coordinate below q.
    function verifyProof(
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c,
        uint256[${n}] calldata pubSignals
    ) external view returns (bool) {
        // Not memory-safe by Solidity's definition (it writes from 0x00 up to 0x300), and it never returns to
        // Solidity code: every path ends in \`return\`.
        assembly {
            // Held on the stack: solc's constant optimiser would otherwise re-read each use from code.
            let r := R
            let q := Q
            let ok := 1
${signalChecks.join("\n")}
            ok := and(ok, and(lt(calldataload(a), q), lt(calldataload(add(a, 0x20)), q)))
            ok := and(ok, and(lt(calldataload(b), q), lt(calldataload(add(b, 0x20)), q)))
            ok := and(ok, and(lt(calldataload(add(b, 0x40)), q), lt(calldataload(add(b, 0x60)), q)))
            ok := and(ok, and(lt(calldataload(c), q), lt(calldataload(add(c, 0x20)), q)))
            if iszero(ok) {
                mstore(0x00, 0)
                return(0x00, 0x20)
            }

            // vk_x = IC0 + Σ s_i·IC_i, accumulated in its pairing slot.
            mstore(0x240, IC0_X)
            mstore(0x260, IC0_Y)
${accumulate.join("\n")}

            // (A, B): a and b are adjacent static arguments, 6 words from \`a\` on.
            calldatacopy(0x000, a, 0xc0)
            // (C, −δ)
            calldatacopy(0x0c0, c, 0x40)
            mstore(0x100, NEG_DELTA_X_IM)
            mstore(0x120, NEG_DELTA_X_RE)
            mstore(0x140, NEG_DELTA_Y_IM)
            mstore(0x160, NEG_DELTA_Y_RE)
            // (α, −β)
            mstore(0x180, ALPHA_X)
            mstore(0x1a0, ALPHA_Y)
            mstore(0x1c0, NEG_BETA_X_IM)
            mstore(0x1e0, NEG_BETA_X_RE)
            mstore(0x200, NEG_BETA_Y_IM)
            mstore(0x220, NEG_BETA_Y_RE)
            // (vk_x, −γ): vk_x is already at 0x240.
            mstore(0x280, NEG_GAMMA_X_IM)
            mstore(0x2a0, NEG_GAMMA_X_RE)
            mstore(0x2c0, NEG_GAMMA_Y_IM)
            mstore(0x2e0, NEG_GAMMA_Y_RE)

            // The precompile writes 1 when the product of the four pairings is 1, 0 otherwise; a failed call
            // (invalid point, out of gas) leaves ok = 0 whatever memory holds.
            ok := and(ok, staticcall(gas(), 0x08, 0x000, 0x300, 0x000, 0x20))
            mstore(0x00, and(ok, mload(0x00)))
            return(0x00, 0x20)
        }
    }
}
`;
}
