// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IEnclaveRegistry} from "./IEnclaveRegistry.sol";
import {IRootProofVerifier} from "./IRootProofVerifier.sol";

/// @title IMultiProverRoots
/// @notice Epoch roots finalized by live enclaves of at least k distinct vendors (DESIGN §2: Intel for TDX and SGX,
/// AMD, AWS; an NVIDIA GPU is never an enclave) plus ZK where the deployment requires it; a conflicting root halts
/// and disputes its epoch; a ZK proof alone finalizes while halted or after `escapeDelay`, and settles a dispute.
/// @custom:security-contact security@teezk.invalid
interface IMultiProverRoots {
    // ----------------------------------------------------------------------------------------------- errors

    /// @notice Thrown when the TEE path is used while the contract is halted.
    error ContractHalted();
    /// @notice Thrown when resuming a contract that is not halted.
    error NotHalted();
    /// @notice Thrown when a root is zero.
    error ZeroRoot();
    /// @notice Thrown when finalizing an epoch that already has a root.
    error EpochAlreadyFinalized(uint64 epoch, bytes32 finalizedRoot);
    /// @notice Thrown when reporting a conflict for an epoch without a finalized root.
    error EpochNotFinalized(uint64 epoch);
    /// @notice Thrown when a reported root equals the finalized one.
    error RootNotConflicting(uint64 epoch, bytes32 root);
    /// @notice Thrown when a signature does not recover to an address.
    error InvalidRootSignature(uint256 index);
    /// @notice Thrown when signers are not strictly ascending by address (this also rejects duplicates).
    error SignersNotAscending(address previous, address signer);
    /// @notice Thrown when a signer is not a live enclave for the program.
    error EnclaveNotLive(address signer);
    /// @notice Thrown when a conflict signer was never registered for the program.
    error EnclaveNotRegistered(address signer);
    /// @notice Thrown when no signatures are given to a conflict report.
    error NoSignatures();
    /// @notice Thrown when a ZK proof is given and the verifier rejects it.
    error InvalidZkProof(uint64 epoch, bytes32 root);
    /// @notice Thrown when the policy hook finds the signers' distinct vendors (and ZK proof) insufficient.
    error InsufficientQuorum(uint256 distinctVendors, uint256 minVendors, bool zkProven);
    /// @notice Thrown when the ZK-only path is used while not halted and before the escape delay has passed.
    error EscapeHatchClosed(uint256 opensAt);
    /// @notice Thrown when a deployment parameter is out of range.
    error InvalidConfiguration();
    /// @notice Thrown when a conflict report has too little gas left to give the next removal REMOVAL_GAS.
    error NotEnoughGasForRemoval(uint256 removalGas);
    /// @notice Thrown when a signer's TEE type is not an enclave of a counted vendor (an NVIDIA GPU, TEE type 4,
    /// or an unknown type): it can neither finalize nor report a root.
    error NotAnEnclave(address signer, uint8 teeType);
    /// @notice Thrown when every signer of a conflict report was already removed or reported: a punished key
    /// cannot halt again.
    error ConflictSignersAlreadyRemoved(uint64 epoch, bytes32 root);
    /// @notice Thrown when the TEE path targets an epoch whose root is disputed: only a ZK proof settles it.
    error EpochDisputed(uint64 epoch);

    // ----------------------------------------------------------------------------------------------- events

    /// @notice Emitted when an epoch's root finalizes. `teeTypes` has bit t set for each TEE type t that signed;
    /// `zkProven` says a ZK proof verified; `escape` says it finalized through the ZK-only path.
    event RootFinalized(uint64 indexed epoch, bytes32 indexed root, uint256 teeTypes, bool zkProven, bool escape);
    /// @notice Emitted when a conflicting root is reported; `signers` (those not removed or reported before) are
    /// removed from the enclave registry.
    event ConflictReported(uint64 indexed epoch, bytes32 finalizedRoot, bytes32 conflictingRoot, address[] signers);
    /// @notice Emitted when a first conflict disputes an epoch: `finalizedRoot` reads zero until a ZK proof settles.
    event RootDisputed(uint64 indexed epoch, bytes32 finalizedRoot, bytes32 conflictingRoot);
    /// @notice Emitted when a ZK proof settles a disputed epoch on `root` (RootFinalized follows).
    event DisputeSettled(uint64 indexed epoch, bytes32 disputedRoot, bytes32 root);
    /// @notice Emitted when the contract halts on a conflict.
    event Halted(uint64 indexed epoch);
    /// @notice Emitted when the enclave registry refused to remove a conflicting enclave (wiring); the halt stands.
    event EnclaveRemovalFailed(address indexed enclave);
    /// @notice Emitted when the governor resumes the contract.
    event Resumed(address indexed by);

    // ------------------------------------------------------------------------------------------- functions

    /// @notice Finalizes `root` for `epoch` from EIP-712 `Root(uint64 epoch,bytes32 root)` signatures of live
    /// enclaves, ascending by signer address, plus an optional ZK proof (empty: none). The quorum counts distinct
    /// vendors (`vendorOf`), not TEE types; a signer whose TEE type is no enclave's (an NVIDIA GPU) is refused.
    /// @return teeTypes Bit t set for each TEE type t that signed.
    function submitRoot(uint64 epoch, bytes32 root, bytes[] calldata signatures, bytes calldata zkProof)
        external
        returns (uint256 teeTypes);

    /// @notice Finalizes `root` for `epoch` from a ZK proof alone: while halted, once no TEE quorum has finalized for
    /// `escapeDelay` seconds, or at any time for a disputed epoch (which it settles).
    function submitZkRoot(uint64 epoch, bytes32 root, bytes calldata zkProof) external;

    /// @notice Reports signatures of registered enclaves (live or not) over a root that differs from `epoch`'s
    /// finalized root: removes the signers from the enclave registry and, unless this (epoch, root) was reported
    /// before, halts the contract and disputes the epoch. Signers already removed or reported are skipped; reverts
    /// when none is left.
    function reportConflict(uint64 epoch, bytes32 root, bytes[] calldata signatures) external;

    /// @notice Lifts a halt. Governor only.
    function resume() external;

    /// @notice The finalized root of `epoch`; zero when none or while disputed.
    function finalizedRoot(uint64 epoch) external view returns (bytes32);

    /// @notice While `epoch` is disputed, the root it had finalized and the first conflicting root; zeros otherwise.
    function disputedRoots(uint64 epoch) external view returns (bytes32 finalizedRoot_, bytes32 conflictingRoot);

    /// @notice Whether a conflict over (`epoch`, `root`) was reported (or a ZK settlement judged that root): it
    /// never halts or disputes again.
    function conflictJudged(uint64 epoch, bytes32 root) external view returns (bool);

    /// @notice Whether `enclave` was named in a conflict report (even where the registry refused its removal).
    function wasReported(address enclave) external view returns (bool);

    /// @notice The vendor behind a TEE type: 1 Intel (TDX, SGX), 2 AMD, 3 AWS, 4 NVIDIA (never an enclave), 0 none.
    function vendorOf(uint8 teeType) external pure returns (uint8);

    /// @notice True while halted.
    function halted() external view returns (bool);

    /// @notice When a TEE quorum last finalized a root (or the deployment or last resume time).
    function lastQuorumAt() external view returns (uint64);

    /// @notice When the ZK-only path opens if not halted.
    function escapeOpensAt() external view returns (uint256);

    /// @notice The EIP-712 digest enclaves sign for (`epoch`, `root`).
    function rootDigest(uint64 epoch, bytes32 root) external view returns (bytes32);

    /// @notice Whether this deployment requires a ZK proof beside the TEE quorum (fixed by its contract type).
    function zkRequired() external pure returns (bool);

    /// @notice The least number of distinct vendors a quorum needs (1..3).
    function minVendors() external view returns (uint256);

    /// @notice Seconds without a TEE quorum after which a ZK proof alone finalizes.
    function escapeDelay() external view returns (uint64);

    /// @notice The program id enclaves must be live for.
    function programId() external view returns (bytes32);

    /// @notice The enclave registry.
    function enclaveRegistry() external view returns (IEnclaveRegistry);

    /// @notice The ZK root verifier.
    function rootProofVerifier() external view returns (IRootProofVerifier);
}
