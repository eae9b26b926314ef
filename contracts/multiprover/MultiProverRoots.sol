// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IMultiProverRoots} from "../interfaces/IMultiProverRoots.sol";
import {IRootProofVerifier} from "../interfaces/IRootProofVerifier.sol";
import {Governed} from "../governance/Governed.sol";
import {TeeVendors} from "./TeeVendors.sol";

/// @title MultiProverRoots
/// @notice Abstract composer: recovers EIP-712 `Root(uint64 epoch,bytes32 root)` signatures (domain
/// "teezk MultiProverRoots", version "1") in strictly ascending signer order, requires each signer live for
/// `programId` and an enclave (never an NVIDIA GPU alone), counts the distinct vendors behind them (TeeVendors:
/// TDX and SGX are both Intel), verifies an optional ZK proof, and asks one policy hook, `_isQuorumSufficient`,
/// whether that suffices.
/// @dev Whether ZK is required is the subclass's choice, fixed in code (see TeeAndZkQuorumRoots): no governance
/// call can turn it off. The contract needs ENCLAVE_REMOVER_ROLE on the EnclaveRegistry to remove conflicting
/// enclaves; a conflict halts even without it. A conflict disputes its epoch: `finalizedRoot` reads zero until a
/// ZK proof settles it. Each conflict is judged once: a removed or already reported key, or a conflict already
/// reported for the same (epoch, root), cannot halt again after a resume.
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
    uint256 internal immutable _minVendors;
    uint64 private immutable _escapeDelay;

    mapping(uint64 epoch => bytes32 root) private _finalized;
    /// @dev The first root reported against the epoch's finalized one; zero when undisputed or settled.
    mapping(uint64 epoch => bytes32 root) private _conflicting;
    /// @dev Conflicts already reported, keyed by _evidenceKey(epoch, root): they never halt or dispute again.
    mapping(bytes32 evidence => bool) private _judged;
    /// @dev Keys named in a conflict report, whether or not the registry let this contract remove them.
    mapping(address enclave => bool) private _reported;
    bool private _halted;
    uint64 private _lastQuorumAt;

    /// @param governor Holder of GOVERNOR_ROLE (resume only).
    /// @param enclaveRegistry_ Where enclaves are live or not.
    /// @param rootProofVerifier_ The ZK root verifier (ZK leg and escape hatch).
    /// @param programId_ The program id enclaves must be live for.
    /// @param minVendors_ k, the least number of distinct vendors per quorum (1..3: Intel, AMD, AWS).
    /// @param escapeDelay_ Seconds without a TEE quorum after which ZK alone finalizes (nonzero).
    constructor(
        address governor,
        IEnclaveRegistry enclaveRegistry_,
        IRootProofVerifier rootProofVerifier_,
        bytes32 programId_,
        uint256 minVendors_,
        uint64 escapeDelay_
    ) Governed(governor) EIP712("teezk MultiProverRoots", "1") {
        if (address(enclaveRegistry_) == address(0)) revert ZeroAddress("enclaveRegistry");
        if (address(rootProofVerifier_) == address(0)) revert ZeroAddress("rootProofVerifier");
        if (programId_ == bytes32(0) || escapeDelay_ == 0) revert InvalidConfiguration();
        if (minVendors_ == 0 || minVendors_ > TeeVendors.ENCLAVE_VENDORS) revert InvalidConfiguration();
        _enclaveRegistry = enclaveRegistry_;
        _rootProofVerifier = rootProofVerifier_;
        _programId = programId_;
        _minVendors = minVendors_;
        _escapeDelay = escapeDelay_;
        _lastQuorumAt = uint64(block.timestamp);
    }

    /// @inheritdoc IMultiProverRoots
    function submitRoot(uint64 epoch, bytes32 root, bytes[] calldata signatures, bytes calldata zkProof)
        external
        returns (uint256 teeTypes)
    {
        if (_halted) revert ContractHalted();
        if (root == bytes32(0)) revert ZeroRoot();
        bytes32 finalized = _finalized[epoch];
        if (finalized != bytes32(0)) {
            if (_conflicting[epoch] != bytes32(0)) revert EpochDisputed(epoch);
            revert EpochAlreadyFinalized(epoch, finalized);
        }
        bytes32 digest = _rootDigest(epoch, root);
        address previous = address(0);
        uint256 vendors = 0;
        uint256 distinct = 0;
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = _recoverAscending(digest, signatures[i], i, previous);
            previous = signer;
            uint8 teeType = _enclaveRegistry.liveTeeType(signer, _programId);
            if (teeType == 0) revert EnclaveNotLive(signer);
            // The registry refuses standalone GPUs; this contract does not rely on that alone.
            uint8 vendor = TeeVendors.enclaveVendorOf(teeType);
            if (vendor == TeeVendors.NONE) revert NotAnEnclave(signer, teeType);
            teeTypes |= uint256(1) << teeType;
            uint256 bit = uint256(1) << vendor;
            if (vendors & bit == 0) {
                vendors |= bit;
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
        if (!_isQuorumSufficient(distinct, zkProven)) revert InsufficientQuorum(distinct, _minVendors, zkProven);
        _finalized[epoch] = root;
        _lastQuorumAt = uint64(block.timestamp);
        emit RootFinalized(epoch, root, teeTypes, zkProven, false);
    }

    /// @inheritdoc IMultiProverRoots
    function submitZkRoot(uint64 epoch, bytes32 root, bytes calldata zkProof) external {
        if (root == bytes32(0)) revert ZeroRoot();
        bytes32 finalized = _finalized[epoch];
        // A disputed epoch has no TEE answer left to wait for: the ZK proof settles it whether or not the hatch is
        // open (the dispute halted the contract, and a resume must not strand the epoch without a root).
        bool disputed = finalized != bytes32(0) && _conflicting[epoch] != bytes32(0);
        if (!disputed) {
            if (!_halted && block.timestamp < _escapeOpensAt()) revert EscapeHatchClosed(_escapeOpensAt());
            if (finalized != bytes32(0)) revert EpochAlreadyFinalized(epoch, finalized);
        }
        if (!_rootProofVerifier.verifyRootProof(_programId, epoch, root, zkProof)) revert InvalidZkProof(epoch, root);
        if (disputed) {
            delete _conflicting[epoch];
            // The proof judged the losing root: its signers are still removed when reported, without a new halt.
            if (root != finalized) _judged[_evidenceKey(epoch, finalized)] = true;
            emit DisputeSettled(epoch, finalized, root);
        }
        _finalized[epoch] = root;
        emit RootFinalized(epoch, root, 0, true, true);
    }

    /// @inheritdoc IMultiProverRoots
    function reportConflict(uint64 epoch, bytes32 root, bytes[] calldata signatures) external {
        bytes32 finalized = _finalized[epoch];
        if (finalized == bytes32(0)) revert EpochNotFinalized(epoch);
        if (root == finalized) revert RootNotConflicting(epoch, root);
        if (signatures.length == 0) revert NoSignatures();
        address[] memory signers = _unpunishedSigners(epoch, root, signatures);
        bytes32 evidence = _evidenceKey(epoch, root);
        // Evidence already judged (this epoch and root were reported before) does not undo a resume; its fresh
        // signers are still removed below.
        if (!_judged[evidence]) {
            _judged[evidence] = true;
            if (_conflicting[epoch] == bytes32(0)) {
                _conflicting[epoch] = root;
                emit RootDisputed(epoch, finalized, root);
            }
            if (!_halted) {
                _halted = true;
                emit Halted(epoch);
            }
        }
        emit ConflictReported(epoch, finalized, root, signers);
        for (uint256 i = 0; i < signers.length; ++i) {
            _reported[signers[i]] = true;
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
        if (_conflicting[epoch] != bytes32(0)) return bytes32(0);
        return _finalized[epoch];
    }

    /// @inheritdoc IMultiProverRoots
    function disputedRoots(uint64 epoch) external view returns (bytes32 finalizedRoot_, bytes32 conflictingRoot) {
        conflictingRoot = _conflicting[epoch];
        if (conflictingRoot != bytes32(0)) finalizedRoot_ = _finalized[epoch];
    }

    /// @inheritdoc IMultiProverRoots
    function conflictJudged(uint64 epoch, bytes32 root) external view returns (bool) {
        return _judged[_evidenceKey(epoch, root)];
    }

    /// @inheritdoc IMultiProverRoots
    function wasReported(address enclave) external view returns (bool) {
        return _reported[enclave];
    }

    /// @inheritdoc IMultiProverRoots
    function vendorOf(uint8 teeType) external pure returns (uint8) {
        return TeeVendors.vendorOf(teeType);
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
    function minVendors() external view returns (uint256) {
        return _minVendors;
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

    /// @dev The policy hook: whether live enclaves of `distinctVendors` vendors, with or without a verified ZK
    /// proof, finalize a root.
    function _isQuorumSufficient(uint256 distinctVendors, bool zkProven) internal view virtual returns (bool);

    /// @dev The signers of a conflict report that are still evidence: registered enclaves (live or not: an expired
    /// key that signs a second root is as much evidence of a broken TEE as a live one) that were neither removed
    /// from the registry nor reported here before. Reverts when none is left, so a punished key never halts.
    function _unpunishedSigners(uint64 epoch, bytes32 root, bytes[] calldata signatures)
        private
        view
        returns (address[] memory signers)
    {
        bytes32 digest = _rootDigest(epoch, root);
        signers = new address[](signatures.length);
        uint256 count = 0;
        address previous = address(0);
        for (uint256 i = 0; i < signatures.length; ++i) {
            address signer = _recoverAscending(digest, signatures[i], i, previous);
            previous = signer;
            IEnclaveRegistry.Enclave memory info = _enclaveRegistry.enclaveInfo(signer, _programId);
            if (info.expiresAt == 0) revert EnclaveNotRegistered(signer);
            // A GPU's nonce is chosen by whoever drives it: its key would let anyone halt.
            if (TeeVendors.enclaveVendorOf(info.teeType) == TeeVendors.NONE) revert NotAnEnclave(signer, info.teeType);
            if (_reported[signer] || _enclaveRegistry.isRemoved(signer)) continue;
            signers[count++] = signer;
        }
        if (count == 0) revert ConflictSignersAlreadyRemoved(epoch, root);
        assembly ("memory-safe") {
            mstore(signers, count)
        }
    }

    function _evidenceKey(uint64 epoch, bytes32 root) private pure returns (bytes32) {
        return keccak256(abi.encode(epoch, root));
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
