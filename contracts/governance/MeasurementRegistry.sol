// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "../interfaces/IClaims.sol";
import {IMeasurementRegistry} from "../interfaces/IMeasurementRegistry.sol";
import {ILivenessEpochSink} from "../interfaces/ILivenessEpochSink.sol";
import {Governed} from "./Governed.sol";

/// @title MeasurementRegistry
/// @notice Governed allowlist of launch measurements and per-TEE-type evidence policy (DESIGN §4).
/// @dev The governor (a TimelockController) adds and rotates; the guardian can only revoke, at once.
/// Revocation is keyed by (teeType, measurement), not by program: a measurement found vulnerable is
/// vulnerable for every program that runs it, and it can never be allowed again.
/// The liveness epoch lets registries cache "allowed until T" per enclave key and still honour a revocation at
/// once: every change that can end an allowance before its recorded window end advances the epoch, and a cache
/// is trusted only under the epoch it was taken in (docs/decisions.md, "Liveness epoch"). Liveness sinks
/// (BatchReceipts) receive every epoch as it advances, so their hottest check reads a local copy instead of
/// calling here (docs/decisions.md, "Batch liveness mirror").
/// @custom:security-contact security@teezk.invalid
contract MeasurementRegistry is Governed, IMeasurementRegistry {
    /// @notice The role that may revoke measurements, and do nothing else.
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice The role that may advance the liveness epoch (the EnclaveRegistry, when it removes a key). It can
    /// only make cached liveness be checked again in full, never make anything live.
    bytes32 public constant LIVENESS_EPOCH_ROLE = keccak256("LIVENESS_EPOCH_ROLE");
    /// @notice Longest grace period a rotation may give the old measurement.
    uint64 public constant MAX_GRACE_PERIOD = 30 days;
    /// @notice How far evidence time may run ahead of block time (clocks and block times drift).
    uint64 public constant MAX_CLOCK_SKEW = 5 minutes;
    /// @notice Most liveness sinks: every advance (the guardian's revocation included) calls each one.
    uint256 public constant MAX_LIVENESS_SINKS = 4;
    /// @notice What a removed sink is told: no epoch ever equals it, so it stops trusting its copy.
    uint64 public constant NOT_MIRRORED = type(uint64).max;
    /// @notice Gas a removed sink gets to take NOT_MIRRORED (BatchReceipts needs at most about 25k).
    uint256 public constant SINK_NOTICE_GAS = 50_000;
    /// @notice TEE type of NVIDIA GPU claims: only ever the second half of a composite, never an enclave alone.
    uint8 public constant NVIDIA_GPU = 4;
    /// @notice Most GPUs one composite registration carries (an 8-GPU HGX board).
    uint256 public constant MAX_GPUS = 8;

    mapping(bytes32 programId => mapping(uint8 teeType => mapping(bytes32 measurement => MeasurementEntry))) private
        _entries;
    mapping(uint8 teeType => mapping(bytes32 measurement => bool)) private _revoked;
    mapping(uint8 teeType => TeePolicy) private _policies;
    /// @dev One word per root: the allowance and the root's SVN minimum are read by the same SLOAD.
    struct RootEntry {
        bool allowed;
        uint48 minSvn;
    }

    mapping(uint8 teeType => mapping(bytes32 rootHash => RootEntry)) private _rootHashes;
    mapping(uint32 entryId => bytes32 measurement) private _entryMeasurements;
    uint32 private _entryCount;
    uint64 private _livenessEpoch;
    address[] private _livenessSinks;
    /// @dev Keys of a TEE type admitted at or before this time were admitted under rules since tightened.
    mapping(uint8 teeType => uint64) private _policyTightenedAt;
    mapping(bytes32 programId => bool) private _programRequiresGpu;
    mapping(bytes32 programId => bool) private _programHasEntries;

    /// @param governor Holder of GOVERNOR_ROLE (a TimelockController in production).
    /// @param guardian Holder of GUARDIAN_ROLE; may be zero to appoint one later through the governor.
    constructor(address governor, address guardian) Governed(governor) {
        _setRoleAdmin(GUARDIAN_ROLE, GOVERNOR_ROLE);
        _setRoleAdmin(LIVENESS_EPOCH_ROLE, GOVERNOR_ROLE);
        if (guardian != address(0)) _grantRole(GUARDIAN_ROLE, guardian);
    }

    // -------------------------------------------------------------------------------------------- governor

    /// @inheritdoc IMeasurementRegistry
    function addMeasurement(bytes32 programId, uint8 teeType, bytes32 measurement, uint64 validFrom, uint64 validUntil)
        external
        onlyRole(GOVERNOR_ROLE)
    {
        if (validFrom == 0) validFrom = uint64(block.timestamp);
        if (validUntil == 0) validUntil = type(uint64).max;
        if (validUntil <= validFrom || validUntil <= block.timestamp) {
            revert InvalidValidityWindow(validFrom, validUntil);
        }
        _add(programId, teeType, measurement, validFrom, validUntil);
    }

    /// @inheritdoc IMeasurementRegistry
    function rotateMeasurement(
        bytes32 programId,
        uint8 teeType,
        bytes32 oldMeasurement,
        bytes32 newMeasurement,
        uint64 gracePeriod
    ) external onlyRole(GOVERNOR_ROLE) {
        if (!_isAllowed(programId, teeType, oldMeasurement)) {
            revert MeasurementNotAllowed(programId, teeType, oldMeasurement);
        }
        if (gracePeriod > MAX_GRACE_PERIOD) revert GracePeriodTooLong(gracePeriod, MAX_GRACE_PERIOD);
        _add(programId, teeType, newMeasurement, uint64(block.timestamp), type(uint64).max);

        MeasurementEntry storage old = _entries[programId][teeType][oldMeasurement];
        uint64 oldExpiresAt = uint64(block.timestamp) + gracePeriod;
        // A rotation only shortens the old window: it never extends a measurement the governor had already bounded.
        if (old.validUntil > oldExpiresAt) old.validUntil = oldExpiresAt;
        emit MeasurementRotated(programId, teeType, oldMeasurement, newMeasurement, old.validUntil);
        // Keys registered under the old window cached its former end.
        _advanceLivenessEpoch();
    }

    /// @inheritdoc IMeasurementRegistry
    function setTeePolicy(uint8 teeType, TeePolicy calldata policy) external onlyRole(GOVERNOR_ROLE) {
        _requireTeeType(teeType);
        if (policy.acceptedTcbStatuses == 0 || policy.maxEvidenceAge == 0) revert InvalidTeePolicy(teeType);
        bool tightens = _tightens(_policies[teeType], policy);
        _policies[teeType] = policy;
        emit TeePolicySet(teeType, policy.acceptedTcbStatuses, policy.minSvn, policy.maxEvidenceAge);
        if (tightens) _tighten(teeType);
    }

    /// @inheritdoc IMeasurementRegistry
    function setProgramRequiresGpu(bytes32 programId, bool required) external onlyRole(GOVERNOR_ROLE) {
        if (programId == bytes32(0)) revert ZeroIdentifier();
        // Each entry copies the flag when added, so a registration reads it from the entry word it reads anyway
        // (no extra storage read on the ≤ 120k register path); it is therefore fixed before the first entry.
        if (_programHasEntries[programId]) revert ProgramHasMeasurements(programId);
        _programRequiresGpu[programId] = required;
        emit ProgramGpuRequirementSet(programId, required);
    }

    /// @inheritdoc IMeasurementRegistry
    function setRootHashAllowed(uint8 teeType, bytes32 rootHash, bool allowed) external onlyRole(GOVERNOR_ROLE) {
        _requireTeeType(teeType);
        if (rootHash == bytes32(0)) revert ZeroIdentifier();
        RootEntry storage root = _rootHashes[teeType][rootHash];
        if (root.allowed == allowed) revert RootHashUnchanged(teeType, rootHash, allowed);
        root.allowed = allowed;
        emit RootHashSet(teeType, rootHash, allowed);
        if (!allowed) _tighten(teeType);
    }

    /// @inheritdoc IMeasurementRegistry
    function setRootMinSvn(uint8 teeType, bytes32 rootHash, uint48 minSvn) external onlyRole(GOVERNOR_ROLE) {
        _requireTeeType(teeType);
        if (rootHash == bytes32(0)) revert ZeroIdentifier();
        RootEntry storage root = _rootHashes[teeType][rootHash];
        // A lane raised: keys admitted under the lower minimum may no longer pass (issue 12 item 10).
        bool tightens = !_svnAtLeast(root.minSvn, minSvn, 0);
        root.minSvn = minSvn;
        emit RootMinSvnSet(teeType, rootHash, minSvn);
        if (tightens) _tighten(teeType);
    }

    // -------------------------------------------------------------------------------------------- guardian

    /// @inheritdoc IMeasurementRegistry
    function revokeMeasurement(uint8 teeType, bytes32 measurement) external onlyRole(GUARDIAN_ROLE) {
        _requireTeeType(teeType);
        if (measurement == bytes32(0)) revert ZeroIdentifier();
        if (_revoked[teeType][measurement]) revert MeasurementIsRevoked(teeType, measurement);
        _revoked[teeType][measurement] = true;
        emit MeasurementRevoked(teeType, measurement, msg.sender);
        _advanceLivenessEpoch();
    }

    // ------------------------------------------------------------------------------------ liveness epoch

    /// @inheritdoc IMeasurementRegistry
    function advanceLivenessEpoch() external onlyRole(LIVENESS_EPOCH_ROLE) {
        _advanceLivenessEpoch();
    }

    /// @inheritdoc IMeasurementRegistry
    function addLivenessSink(address sink) external onlyRole(GOVERNOR_ROLE) {
        if (sink == address(0)) revert ZeroAddress("sink");
        uint256 count = _livenessSinks.length;
        for (uint256 i; i < count; ++i) {
            if (_livenessSinks[i] == sink) revert LivenessSinkAlreadyAdded(sink);
        }
        if (count == MAX_LIVENESS_SINKS) revert TooManyLivenessSinks(MAX_LIVENESS_SINKS);
        address source = address(ILivenessEpochSink(sink).livenessEpochSource());
        if (source != address(this)) revert LivenessSinkSourceMismatch(sink, source);
        _livenessSinks.push(sink);
        uint64 epoch = _livenessEpoch;
        // Also proves, before any revocation depends on it, that the sink accepts this registry's pushes.
        ILivenessEpochSink(sink).mirrorLivenessEpoch(epoch);
        emit LivenessSinkAdded(sink, epoch);
    }

    /// @inheritdoc IMeasurementRegistry
    function removeLivenessSink(address sink) external {
        // The guardian may remove too: a sink whose pushes revert blocks every revocation until it is gone, and
        // removing one only sends its checks back to the registry (it cannot make anything live).
        if (!hasRole(GOVERNOR_ROLE, msg.sender) && !hasRole(GUARDIAN_ROLE, msg.sender)) {
            revert AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE);
        }
        uint256 count = _livenessSinks.length;
        for (uint256 i; i < count; ++i) {
            if (_livenessSinks[i] != sink) continue;
            _livenessSinks[i] = _livenessSinks[count - 1];
            _livenessSinks.pop();
            // Told, it stops trusting a copy that no longer follows revocations. A broken sink that cannot be told
            // is removed all the same: the guardian's revocations matter more than its cache. The notice gets a
            // fixed allowance the caller must be able to pay (plus the 1/64 the EVM withholds, the cold access to
            // the sink and the call setup), so it can only fail because of the sink: otherwise whoever executes
            // the removal could starve it and leave a working sink trusting its copy.
            if (gasleft() < SINK_NOTICE_GAS + SINK_NOTICE_GAS / 63 + 5_000) {
                revert NotEnoughGasForSinkNotice(SINK_NOTICE_GAS);
            }
            bool notified;
            try ILivenessEpochSink(sink).mirrorLivenessEpoch{gas: SINK_NOTICE_GAS}(NOT_MIRRORED) {
                notified = true;
            } catch {}
            emit LivenessSinkRemoved(sink, notified);
            return;
        }
        revert LivenessSinkNotFound(sink);
    }

    // ----------------------------------------------------------------------------------------------- views

    /// @inheritdoc IMeasurementRegistry
    function livenessSinks() external view returns (address[] memory) {
        return _livenessSinks;
    }

    /// @inheritdoc IMeasurementRegistry
    function isAllowed(bytes32 programId, uint8 teeType, bytes32 measurement) external view returns (bool) {
        return _isAllowed(programId, teeType, measurement);
    }

    /// @inheritdoc IMeasurementRegistry
    function isRevoked(uint8 teeType, bytes32 measurement) external view returns (bool) {
        return _revoked[teeType][measurement];
    }

    /// @inheritdoc IMeasurementRegistry
    function livenessEpoch() external view returns (uint64) {
        return _livenessEpoch;
    }

    /// @inheritdoc IMeasurementRegistry
    function entryMeasurement(uint32 entryId) external view returns (bytes32) {
        return _entryMeasurements[entryId];
    }

    /// @inheritdoc IMeasurementRegistry
    function entryAllowedUntil(bytes32 programId, uint8 teeType, uint32 entryId, uint64 admittedAt)
        external
        view
        returns (uint64)
    {
        bytes32 measurement = _entryMeasurements[entryId];
        MeasurementEntry storage entry = _entries[programId][teeType][measurement];
        // The id check makes the answer about exactly this entry: (programId, teeType) of another entry with the
        // same measurement, or an unknown id (measurement 0, never an entry), give 0. "At or before": a key
        // admitted in the block of the change may have been admitted before it.
        if (entry.id != entryId || admittedAt <= _policyTightenedAt[teeType]) return 0;
        if (!_isAllowedEntry(entry, teeType, measurement)) return 0;
        return entry.validUntil;
    }

    /// @inheritdoc IMeasurementRegistry
    function policyTightenedAt(uint8 teeType) external view returns (uint64) {
        return _policyTightenedAt[teeType];
    }

    /// @inheritdoc IMeasurementRegistry
    function measurementEntry(bytes32 programId, uint8 teeType, bytes32 measurement)
        external
        view
        returns (MeasurementEntry memory)
    {
        return _entries[programId][teeType][measurement];
    }

    /// @inheritdoc IMeasurementRegistry
    function teePolicy(uint8 teeType) external view returns (TeePolicy memory) {
        return _policies[teeType];
    }

    /// @inheritdoc IMeasurementRegistry
    function isRootHashAllowed(uint8 teeType, bytes32 rootHash) external view returns (bool) {
        return _rootHashes[teeType][rootHash].allowed;
    }

    /// @inheritdoc IMeasurementRegistry
    function rootMinSvn(uint8 teeType, bytes32 rootHash) external view returns (uint48) {
        return _rootHashes[teeType][rootHash].minSvn;
    }

    /// @inheritdoc IMeasurementRegistry
    function programRequiresGpu(bytes32 programId) external view returns (bool) {
        return _programRequiresGpu[programId];
    }

    /// @inheritdoc IMeasurementRegistry
    function checkClaims(bytes32 programId, Claims calldata claims) external view {
        _checkStandalone(programId, claims);
    }

    /// @inheritdoc IMeasurementRegistry
    function checkClaimsEntry(bytes32 programId, Claims calldata claims)
        external
        view
        returns (uint32 entryId, uint64 validUntil, uint64 epoch)
    {
        // Inline (not _checkStandalone): register's 120k budget is tight.
        if (claims.teeType == NVIDIA_GPU) revert GpuClaimsNotStandalone(NVIDIA_GPU);
        MeasurementEntry storage entry = _checkClaims(programId, claims);
        if (entry.requiresGpu) revert GpuEvidenceRequired(programId);
        return (entry.id, entry.validUntil, _livenessEpoch);
    }

    /// @inheritdoc IMeasurementRegistry
    function checkCompositeClaims(bytes32 programId, Claims calldata claims, Claims[] calldata gpus)
        external
        view
        returns (uint32 entryId, uint64 validUntil, uint64 epoch, uint32[] memory gpuEntryIds)
    {
        if (claims.teeType == NVIDIA_GPU) revert GpuClaimsNotStandalone(NVIDIA_GPU);
        MeasurementEntry storage entry = _checkClaims(programId, claims);
        if (gpus.length == 0) revert GpuEvidenceRequired(programId);
        if (gpus.length > MAX_GPUS) revert TooManyGpus(gpus.length, MAX_GPUS);
        (entryId, validUntil, epoch) = (entry.id, entry.validUntil, _livenessEpoch);
        gpuEntryIds = new uint32[](gpus.length);
        for (uint256 i; i < gpus.length; ++i) {
            Claims calldata gpu = gpus[i];
            if (gpu.teeType != NVIDIA_GPU) revert NotGpuClaims(i, gpu.teeType);
            // The GPU's nonce is the CPU claims' binding: this GPU answered this enclave's challenge.
            if (gpu.reportData != claims.reportData) revert GpuBindingMismatch(i, claims.reportData, gpu.reportData);
            MeasurementEntry storage gpuEntry = _checkClaims(programId, gpu);
            gpuEntryIds[i] = gpuEntry.id;
            if (gpuEntry.validUntil < validUntil) validUntil = gpuEntry.validUntil;
        }
    }

    // -------------------------------------------------------------------------------------------- internal

    /// @dev The claims of an enclave registered on its own: never a GPU's (issue 12 item 2), and not for a program
    /// whose measurements must come with GPU evidence (issue 12 item 6).
    function _checkStandalone(bytes32 programId, Claims calldata claims)
        private
        view
        returns (MeasurementEntry storage entry)
    {
        // A GPU report proves the GPU's firmware, not the CPU code holding the enclave key.
        if (claims.teeType == NVIDIA_GPU) revert GpuClaimsNotStandalone(NVIDIA_GPU);
        entry = _checkClaims(programId, claims);
        if (entry.requiresGpu) revert GpuEvidenceRequired(programId);
    }

    /// @dev Returns the entry the claims were admitted under (allowed now, so present).
    function _checkClaims(bytes32 programId, Claims calldata claims)
        private
        view
        returns (MeasurementEntry storage entry)
    {
        uint8 teeType = claims.teeType;
        entry = _entries[programId][teeType][claims.measurement];
        if (!_isAllowedEntry(entry, teeType, claims.measurement)) {
            revert MeasurementNotAllowed(programId, teeType, claims.measurement);
        }
        TeePolicy storage policy = _policies[teeType];
        if (policy.maxEvidenceAge == 0) revert TeePolicyNotSet(teeType);
        if (policy.acceptedTcbStatuses & (uint256(1) << claims.tcbStatus) == 0) {
            revert TcbStatusNotAccepted(teeType, claims.tcbStatus);
        }
        if (claims.timestamp > block.timestamp + MAX_CLOCK_SKEW) {
            revert EvidenceFromFuture(claims.timestamp, block.timestamp);
        }
        if (claims.timestamp + uint256(policy.maxEvidenceAge) < block.timestamp) {
            revert EvidenceTooOld(claims.timestamp, policy.maxEvidenceAge, block.timestamp);
        }
        // One SLOAD: the allowance and the root's (the product's) minimum share a word.
        RootEntry memory root = _rootHashes[teeType][claims.rootHash];
        if (!root.allowed) revert RootHashNotAllowed(teeType, claims.rootHash);
        uint48 svn = claims.svn;
        if (!_svnAtLeast(svn, policy.minSvn, root.minSvn)) {
            revert SvnTooLow(teeType, svn, _svnAtLeast(svn, policy.minSvn, 0) ? root.minSvn : policy.minSvn);
        }
        if (claims.debug) revert DebugNotAllowed(teeType);
    }

    /// @dev Every 8-bit lane of `svn` is at least the same lane of `minA` and of `minB` (DESIGN §2): one packed
    /// comparison let a high bootloader SVN hide a zero microcode SVN. SWAR borrow test (Hacker's Delight §2-18):
    /// with the lane high bits forced, `(svn | H) - (min & ~H)` never borrows across lanes, and a lane borrows out
    /// of the real subtraction exactly when its bit 7 of `(~svn & min) | (~(svn ^ min) & ~diff)` is set. Assembly
    /// and one call for both minimums keep the register path within its 120k target.
    function _svnAtLeast(uint48 svn, uint48 minA, uint48 minB) private pure returns (bool atLeast) {
        assembly ("memory-safe") {
            let h := 0x808080808080
            let high := or(svn, h)
            let low := not(h)
            let borrowA := or(and(not(svn), minA), and(not(xor(svn, minA)), not(sub(high, and(minA, low)))))
            let borrowB := or(and(not(svn), minB), and(not(xor(svn, minB)), not(sub(high, and(minB, low)))))
            atLeast := iszero(and(or(borrowA, borrowB), h))
        }
    }

    function _add(bytes32 programId, uint8 teeType, bytes32 measurement, uint64 validFrom, uint64 validUntil)
        private
    {
        _requireTeeType(teeType);
        if (programId == bytes32(0) || measurement == bytes32(0)) revert ZeroIdentifier();
        if (_revoked[teeType][measurement]) revert MeasurementIsRevoked(teeType, measurement);
        MeasurementEntry storage entry = _entries[programId][teeType][measurement];
        // Present entries (even expired ones) are never overwritten, so a window the governor closed through a
        // rotation cannot be silently reopened; a new window needs a new measurement.
        if (entry.validFrom != 0) revert MeasurementAlreadyAdded(programId, teeType, measurement);
        // Checked arithmetic: the 2^32-th entry reverts rather than reusing an id.
        uint32 id = ++_entryCount;
        entry.validFrom = validFrom;
        entry.validUntil = validUntil;
        entry.id = id;
        if (teeType != NVIDIA_GPU && _programRequiresGpu[programId]) entry.requiresGpu = true;
        if (!_programHasEntries[programId]) _programHasEntries[programId] = true;
        _entryMeasurements[id] = measurement;
        emit MeasurementAdded(programId, teeType, measurement, validFrom, validUntil);
    }

    /// @dev Records do not keep the evidence's root, TCB status or SVN (one word each), so a key whose evidence may
    /// no longer pass cannot be told from one whose evidence still does: every key of the type admitted so far stops
    /// being live at once and re-attests under the new rules (issue 12 item 10; docs/decisions.md, "Policy
    /// tightening ends live keys"). The epoch advance ends every cached answer, here and in the sinks.
    function _tighten(uint8 teeType) private {
        _policyTightenedAt[teeType] = uint64(block.timestamp);
        emit TeePolicyTightened(teeType, uint64(block.timestamp));
        _advanceLivenessEpoch();
    }

    /// @dev Tightening: a TCB status accepted before is no longer, or a lane of the SVN minimum rises (lanes compare
    /// on their own, DESIGN §2: lowering one while raising another still tightens). The evidence-age limit
    /// is judged at registration only (a key's lifetime is the registration's, not its evidence's), so lowering it
    /// ends nothing. An unset policy admitted nothing, so setting the first one ends nothing either.
    function _tightens(TeePolicy storage previous, TeePolicy calldata next) private view returns (bool) {
        if (previous.maxEvidenceAge == 0) return false;
        return previous.acceptedTcbStatuses & ~next.acceptedTcbStatuses != 0
            || !_svnAtLeast(previous.minSvn, next.minSvn, 0);
    }

    function _isAllowed(bytes32 programId, uint8 teeType, bytes32 measurement) private view returns (bool) {
        return _isAllowedEntry(_entries[programId][teeType][measurement], teeType, measurement);
    }

    function _isAllowedEntry(MeasurementEntry storage entry, uint8 teeType, bytes32 measurement)
        private
        view
        returns (bool)
    {
        return entry.validFrom != 0 && entry.validFrom <= block.timestamp && block.timestamp < entry.validUntil
            && !_revoked[teeType][measurement];
    }

    /// @dev A sink that reverts reverts the whole change (never skipped): a revocation that a sink missed would
    /// leave that sink trusting keys it should refuse.
    function _advanceLivenessEpoch() private {
        uint64 epoch = ++_livenessEpoch;
        emit LivenessEpochAdvanced(epoch, msg.sender);
        uint256 count = _livenessSinks.length;
        for (uint256 i; i < count; ++i) {
            ILivenessEpochSink(_livenessSinks[i]).mirrorLivenessEpoch(epoch);
        }
    }

    function _requireTeeType(uint8 teeType) private pure {
        if (teeType == 0 || teeType > 5) revert InvalidTeeType(teeType);
    }
}
