// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IMultiProverRoots} from "../interfaces/IMultiProverRoots.sol";
import {IRootProofVerifier} from "../interfaces/IRootProofVerifier.sol";
import {Governed} from "../governance/Governed.sol";

/// @title MultiProverRoots
/// @notice Abstract composer: recovers EIP-712 `Root(uint64 epoch,bytes32 root)` signatures (domain
/// "teezk MultiProverRoots", version "1") in strictly ascending signer order, requires each signer live for
/// `programId`, collects the distinct TEE types, verifies an optional ZK proof, and asks one policy hook,
/// `_isQuorumSufficient`, whether that suffices.
/// @dev Whether ZK is required is the subclass's choice, fixed in code (see TeeAndZkQuorumRoots): no governance
/// call can turn it off. The contract needs ENCLAVE_REMOVER_ROLE on the EnclaveRegistry to remove conflicting
/// enclaves; a conflict halts even without it.
/// @custom:security-contact security@teezk.invalid
abstract contract MultiProverRoots is Governed, EIP712, IMultiProverRoots {
    /// @notice The EIP-712 type string enclaves sign.
    string public constant ROOT_TYPE = "Root(uint64 epoch,bytes32 root)";
    /// @notice keccak256(ROOT_TYPE).
    bytes32 public constant ROOT_TYPEHASH = keccak256(bytes(ROOT_TYPE));
    /// @notice Gas each conflicting enclave's removal is given (a registry removal that pushes the new liveness
    /// epoch to the MeasurementRegistry's maximum of 4 sinks needs about 145k at worst).
    uint256 public constant REMOVAL_GAS = 200_000;

    IEnclaveRegistry private immutable _enclaveRegistry;
    IRootProofVerifier private immutable _rootProofVerifier;
    bytes32 private immutable _programId;
    uint256 internal immutable _minTeeTypes;
    uint64 private immutable _escapeDelay;

    mapping(uint64 epoch => bytes32 root) private _finalized;
    bool private _halted;
    uint64 private _lastQuorumAt;

    /// @param governor Holder of GOVERNOR_ROLE (resume only).
    /// @param enclaveRegistry_ Where enclaves are live or not.
    /// @param rootProofVerifier_ The ZK root verifier (ZK leg and escape hatch).
    /// @param programId_ The program id enclaves must be live for.
    /// @param minTeeTypes_ k, the least number of distinct TEE types per quorum (1..5).
    /// @param escapeDelay_ Seconds without a TEE quorum after which ZK alone finalizes (nonzero).
    constructor(
        address governor,
        IEnclaveRegistry enclaveRegistry_,
        IRootProofVerifier rootProofVerifier_,
        bytes32 programId_,
        uint256 minTeeTypes_,
        uint64 escapeDelay_
    ) Governed(governor) EIP712("teezk MultiProverRoots", "1") {
        if (address(enclaveRegistry_) == address(0)) revert ZeroAddress("enclaveRegistry");
        if (address(rootProofVerifier_) == address(0)) revert ZeroAddress("rootProofVerifier");
        if (programId_ == bytes32(0) || minTeeTypes_ == 0 || minTeeTypes_ > 5 || escapeDelay_ == 0) {
            revert InvalidConfiguration();
        }
        _enclaveRegistry = enclaveRegistry_;
        _rootProofVerifier = rootProofVerifier_;
        _programId = programId_;
        _minTeeTypes = minTeeTypes_;
        _escapeDelay = escapeDelay_;
        _lastQuorumAt = uint64(block.timestamp);
    }

    /// @inheritdoc IMultiProverRoots
    function submitRoot(uint64 epoch, bytes32 root, bytes[] calldata signatures, bytes calldata zkProof)
        external
        returns (uint256 teeTypes)
    {
        if (_halted) revert ContractHalted();
        _requireOpenEpoch(epoch, root);
        bytes32 digest = _rootDigest(epoch, root);
        address previous = address(0);
        uint256 distinct = 0;
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = _recoverAscending(digest, signatures[i], i, previous);
            previous = signer;
            uint8 teeType = _enclaveRegistry.liveTeeType(signer, _programId);
            if (teeType == 0) revert EnclaveNotLive(signer);
            uint256 bit = uint256(1) << teeType;
            if (teeTypes & bit == 0) {
                teeTypes |= bit;
                ++distinct;
            }
        }
        bool zkProven = false;
        if (zkProof.length != 0) {
            if (!_rootProofVerifier.verifyRootProof(_programId, epoch, root, zkProof)) {
                revert InvalidZkProof(epoch, root);
            }
            zkProven = true;
        }
        if (!_isQuorumSufficient(distinct, zkProven)) revert InsufficientQuorum(distinct, _minTeeTypes, zkProven);
        _finalized[epoch] = root;
        _lastQuorumAt = uint64(block.timestamp);
        emit RootFinalized(epoch, root, teeTypes, zkProven, false);
    }

    /// @inheritdoc IMultiProverRoots
    function submitZkRoot(uint64 epoch, bytes32 root, bytes calldata zkProof) external {
        if (!_halted && block.timestamp < _escapeOpensAt()) revert EscapeHatchClosed(_escapeOpensAt());
        _requireOpenEpoch(epoch, root);
        if (!_rootProofVerifier.verifyRootProof(_programId, epoch, root, zkProof)) revert InvalidZkProof(epoch, root);
        _finalized[epoch] = root;
        emit RootFinalized(epoch, root, 0, true, true);
    }

    /// @inheritdoc IMultiProverRoots
    function reportConflict(uint64 epoch, bytes32 root, bytes[] calldata signatures) external {
        bytes32 finalized = _finalized[epoch];
        if (finalized == bytes32(0)) revert EpochNotFinalized(epoch);
        if (root == finalized) revert RootNotConflicting(epoch, root);
        if (signatures.length == 0) revert NoSignatures();
        bytes32 digest = _rootDigest(epoch, root);
        address[] memory signers = new address[](signatures.length);
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = _recoverAscending(digest, signatures[i], i, previous);
            previous = signer;
            // Any enclave ever registered for the program counts, live or not: an expired key that signs a
            // second root is as much evidence of a broken TEE as a live one.
            if (_enclaveRegistry.enclaveInfo(signer, _programId).expiresAt == 0) revert EnclaveNotRegistered(signer);
            signers[i] = signer;
        }
        if (!_halted) {
            _halted = true;
            emit Halted(epoch);
        }
        emit ConflictReported(epoch, finalized, root, signers);
        for (uint256 i = 0; i < signers.length; ++i) {
            if (_enclaveRegistry.isRemoved(signers[i])) continue;
            // The halt must not depend on the registry wiring, so a refused removal is recorded, not fatal. Each
            // removal gets a fixed allowance the reporter must be able to pay (the 1/64 the EVM withholds, a cold
            // registry and the call setup on top), so a refusal is the registry's: a reporter colluding with the
            // enclave cannot halt while starving the removal.
            if (gasleft() < REMOVAL_GAS + REMOVAL_GAS / 63 + 10_000) revert NotEnoughGasForRemoval(REMOVAL_GAS);
            try _enclaveRegistry.removeEnclave{gas: REMOVAL_GAS}(signers[i]) {}
            catch {
                emit EnclaveRemovalFailed(signers[i]);
            }
        }
    }

    /// @inheritdoc IMultiProverRoots
    function resume() external onlyRole(GOVERNOR_ROLE) {
        if (!_halted) revert NotHalted();
        _halted = false;
        // The escape clock restarts so the ZK-only path does not stay open merely because of the halt.
        _lastQuorumAt = uint64(block.timestamp);
        emit Resumed(msg.sender);
    }

    /// @inheritdoc IMultiProverRoots
    function finalizedRoot(uint64 epoch) external view returns (bytes32) {
        return _finalized[epoch];
    }

    /// @inheritdoc IMultiProverRoots
    function halted() external view returns (bool) {
        return _halted;
    }

    /// @inheritdoc IMultiProverRoots
    function lastQuorumAt() external view returns (uint64) {
        return _lastQuorumAt;
    }

    /// @inheritdoc IMultiProverRoots
    function escapeOpensAt() external view returns (uint256) {
        return _escapeOpensAt();
    }

    /// @inheritdoc IMultiProverRoots
    function rootDigest(uint64 epoch, bytes32 root) external view returns (bytes32) {
        return _rootDigest(epoch, root);
    }

    /// @inheritdoc IMultiProverRoots
    function minTeeTypes() external view returns (uint256) {
        return _minTeeTypes;
    }

    /// @inheritdoc IMultiProverRoots
    function escapeDelay() external view returns (uint64) {
        return _escapeDelay;
    }

    /// @inheritdoc IMultiProverRoots
    function programId() external view returns (bytes32) {
        return _programId;
    }

    /// @inheritdoc IMultiProverRoots
    function enclaveRegistry() external view returns (IEnclaveRegistry) {
        return _enclaveRegistry;
    }

    /// @inheritdoc IMultiProverRoots
    function rootProofVerifier() external view returns (IRootProofVerifier) {
        return _rootProofVerifier;
    }

    /// @dev The policy hook: whether `distinctTeeTypes` live TEE types, with or without a verified ZK proof,
    /// finalize a root.
    function _isQuorumSufficient(uint256 distinctTeeTypes, bool zkProven) internal view virtual returns (bool);

    function _requireOpenEpoch(uint64 epoch, bytes32 root) private view {
        if (root == bytes32(0)) revert ZeroRoot();
        bytes32 finalized = _finalized[epoch];
        if (finalized != bytes32(0)) revert EpochAlreadyFinalized(epoch, finalized);
    }

    function _recoverAscending(bytes32 digest, bytes calldata signature, uint256 index, address previous)
        private
        pure
        returns (address signer)
    {
        ECDSA.RecoverError err;
        (signer, err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError) revert InvalidRootSignature(index);
        if (signer <= previous) revert SignersNotAscending(previous, signer);
    }

    function _rootDigest(uint64 epoch, bytes32 root) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ROOT_TYPEHASH, epoch, root)));
    }

    function _escapeOpensAt() private view returns (uint256) {
        return uint256(_lastQuorumAt) + _escapeDelay;
    }
}
