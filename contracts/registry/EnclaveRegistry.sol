// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "../interfaces/IClaims.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IMeasurementRegistry} from "../interfaces/IMeasurementRegistry.sol";
import {Governed} from "../governance/Governed.sol";
import {Freshness} from "../libraries/Freshness.sol";

/// @title EnclaveRegistry
/// @notice Turns attested claims into live enclave keys (DESIGN §3–4): proof through a selected
/// IAttestationVerifier route, binding recomputed on-chain, one-time fresh nonce, policy through the
/// MeasurementRegistry, then a registration that lapses after `registrationTtl` unless re-attested.
/// @dev One storage word per (enclave, programId). Liveness has a fast path: at registration the record caches
/// `liveUntil` = min(expiry, end of the measurement's window) and the MeasurementRegistry's liveness epoch; while
/// the epoch is unchanged, no revocation, rotation or removal has happened since, so "now < liveUntil" is the
/// full answer. Otherwise the full check runs (removed flag, entry window, revocation). Both paths give the same
/// answer; the fast one reads one word here and one there (docs/decisions.md, "Liveness epoch").
/// @custom:security-contact security@teezk.invalid
contract EnclaveRegistry is Governed, IEnclaveRegistry {
    /// @notice The role that may remove enclave keys (the guardian, and MultiProverRoots on a conflict).
    bytes32 public constant ENCLAVE_REMOVER_ROLE = keccak256("ENCLAVE_REMOVER_ROLE");
    /// @notice Domain tag of the DESIGN §3 binding.
    string public constant BINDING_TAG = "teezk/v1";
    /// @notice Default registration lifetime.
    uint64 public constant DEFAULT_REGISTRATION_TTL = 24 hours;
    /// @notice Bounds of the registration lifetime the governor may set.
    uint64 public constant MIN_REGISTRATION_TTL = 1 hours;
    /// @notice Bounds of the registration lifetime the governor may set.
    uint64 public constant MAX_REGISTRATION_TTL = 30 days;
    /// @notice How long an issued challenge stays usable.
    uint64 public constant CHALLENGE_TTL = 1 hours;
    /// @notice TEE type of the GPU claims a composite registration carries.
    uint8 public constant NVIDIA_GPU = 4;

    struct Route {
        IAttestationVerifier verifier;
        bool frozen;
    }

    /// @dev One storage word. Times are uint40 (seconds until the year 36812); `liveUntil` and `epoch` are the
    /// liveness cache described above.
    struct Record {
        uint40 expiresAt;
        uint40 registeredAt;
        uint40 liveUntil;
        uint8 teeType;
        uint8 path;
        uint32 entryId;
        uint64 epoch;
        uint8 gpuCount;
    }

    /// @dev One word per (programId, nonce): an issued challenge's expiry and whether a registration used the nonce,
    /// so using an issued challenge rewrites a word that is already non-zero. Keyed by program so that a copy of a
    /// pending registration naming another program can neither use the challenge nor burn the nonce (issue 12
    /// item 5; docs/decisions.md, "Nonces are per program").
    struct NonceState {
        uint64 challengeExpiresAt;
        bool used;
    }

    IMeasurementRegistry private immutable _measurementRegistry;

    uint64 private _registrationTtl = DEFAULT_REGISTRATION_TTL;
    uint256 private _challengeCount;
    mapping(uint8 path => Route) private _routes;
    mapping(address enclave => mapping(bytes32 programId => Record)) private _records;
    mapping(address enclave => bool) private _removed;
    mapping(bytes32 programId => mapping(bytes32 nonce => NonceState)) private _nonces;
    /// @dev The GPU entries of a composite registration; read only while the record's gpuCount is non-zero.
    mapping(address enclave => mapping(bytes32 programId => uint32[] entryIds)) private _gpuEntries;

    /// @param measurementRegistry_ The allowlist and policy this registry applies.
    /// @param governor Holder of GOVERNOR_ROLE (a TimelockController in production).
    constructor(IMeasurementRegistry measurementRegistry_, address governor) Governed(governor) {
        if (address(measurementRegistry_) == address(0)) revert ZeroAddress("measurementRegistry");
        _measurementRegistry = measurementRegistry_;
        _setRoleAdmin(ENCLAVE_REMOVER_ROLE, GOVERNOR_ROLE);
    }

    // ---------------------------------------------------------------------------------------------- anyone

    /// @inheritdoc IEnclaveRegistry
    function register(
        bytes32 programId,
        Claims calldata claims,
        address enclave,
        bytes32 hpkeKeyHash,
        bytes32 nonce,
        uint8 path,
        bytes calldata proof
    ) external returns (uint64 expiresAt) {
        // Inline rather than through the helpers registerComposite shares: register's 120k budget is tight.
        if (enclave == address(0) || programId == bytes32(0)) revert InvalidEnclave(enclave, programId);
        if (_removed[enclave]) revert EnclaveIsRemoved(enclave);
        Route storage r = _routes[path];
        if (address(r.verifier) == address(0)) revert RouteNotFound(path);
        if (r.frozen) revert RouteIsFrozen(path);
        r.verifier.verifyAttestation(abi.encode(claims), proof);
        bytes32 expected = keccak256(abi.encode(BINDING_TAG, enclave, hpkeKeyHash, nonce));
        if (expected != claims.reportData) revert BindingMismatch(expected, claims.reportData);
        _consumeNonce(programId, nonce);
        expiresAt = _store(enclave, programId, claims, path, hpkeKeyHash);
    }

    /// @inheritdoc IEnclaveRegistry
    function registerComposite(
        bytes32 programId,
        Claims calldata claims,
        Claims[] calldata gpus,
        address enclave,
        bytes32 hpkeKeyHash,
        bytes32 nonce,
        uint8 path,
        bytes calldata proof
    ) external returns (uint64 expiresAt) {
        _checkKey(enclave, programId);
        _verifyProof(path, abi.encode(claims, gpus), proof);
        _checkBindingAndNonce(programId, enclave, hpkeKeyHash, nonce, claims.reportData);
        expiresAt = _storeComposite(enclave, programId, claims, gpus, path);
        _emitRegistered(enclave, programId, claims, path, hpkeKeyHash, expiresAt);
    }

    /// @inheritdoc IEnclaveRegistry
    function issueChallenge(bytes32 programId) external returns (bytes32 challenge) {
        if (programId == bytes32(0)) revert InvalidEnclave(address(0), programId);
        unchecked {
            ++_challengeCount;
        }
        challenge = Freshness.newChallenge(_challengeCount);
        uint64 expiresAt = uint64(block.timestamp) + CHALLENGE_TTL;
        _nonces[programId][challenge].challengeExpiresAt = expiresAt;
        emit ChallengeIssued(challenge, msg.sender, programId, expiresAt);
    }

    /// @inheritdoc IEnclaveRegistry
    function refreshLiveness(address enclave, bytes32 programId) external returns (uint64 liveUntil) {
        uint64 epoch;
        (liveUntil, epoch) = _fullLiveness(enclave, programId);
        if (liveUntil == 0) revert EnclaveNotLive(enclave, programId);
        Record storage r = _records[enclave][programId];
        r.liveUntil = uint40(liveUntil);
        r.epoch = epoch;
        emit LivenessRefreshed(enclave, programId, liveUntil, epoch);
    }

    // -------------------------------------------------------------------------------------------- governed

    /// @inheritdoc IEnclaveRegistry
    function addRoute(uint8 path, IAttestationVerifier verifier) external onlyRole(GOVERNOR_ROLE) {
        if (address(verifier) == address(0)) revert ZeroAddress("verifier");
        if (address(_routes[path].verifier) != address(0)) revert RouteAlreadyExists(path);
        _routes[path].verifier = verifier;
        emit RouteAdded(path, verifier);
    }

    /// @inheritdoc IEnclaveRegistry
    function freezeRoute(uint8 path) external onlyRole(GOVERNOR_ROLE) {
        Route storage r = _routes[path];
        if (address(r.verifier) == address(0)) revert RouteNotFound(path);
        if (r.frozen) revert RouteIsFrozen(path);
        r.frozen = true;
        emit RouteFrozen(path);
    }

    /// @inheritdoc IEnclaveRegistry
    function setRegistrationTtl(uint64 ttl) external onlyRole(GOVERNOR_ROLE) {
        if (ttl < MIN_REGISTRATION_TTL || ttl > MAX_REGISTRATION_TTL) revert InvalidRegistrationTtl(ttl);
        _registrationTtl = ttl;
        emit RegistrationTtlSet(ttl);
    }

    /// @inheritdoc IEnclaveRegistry
    function removeEnclave(address enclave) external onlyRole(ENCLAVE_REMOVER_ROLE) {
        if (_removed[enclave]) revert EnclaveIsRemoved(enclave);
        _removed[enclave] = true;
        emit EnclaveRemoved(enclave, msg.sender);
        // Records of this key cached their liveness under the current epoch; this ends that cache for them (and,
        // conservatively, for every key until it re-attests).
        _measurementRegistry.advanceLivenessEpoch();
    }

    // ----------------------------------------------------------------------------------------------- views

    /// @inheritdoc IEnclaveRegistry
    function isLive(address enclave, bytes32 programId) external view returns (bool) {
        return _liveTeeType(enclave, programId) != 0;
    }

    /// @inheritdoc IEnclaveRegistry
    function liveness(address enclave, bytes32 programId) external view returns (uint64 liveUntil, uint64 epoch) {
        return _fullLiveness(enclave, programId);
    }

    /// @inheritdoc IEnclaveRegistry
    function liveTeeType(address enclave, bytes32 programId) external view returns (uint8) {
        return _liveTeeType(enclave, programId);
    }

    /// @inheritdoc IEnclaveRegistry
    function enclaveInfo(address enclave, bytes32 programId) external view returns (Enclave memory info) {
        Record memory r = _records[enclave][programId];
        if (r.expiresAt == 0) return info;
        return Enclave({
            teeType: r.teeType,
            expiresAt: r.expiresAt,
            registeredAt: r.registeredAt,
            path: r.path,
            measurement: _measurementRegistry.entryMeasurement(r.entryId),
            entryId: r.entryId
        });
    }

    /// @inheritdoc IEnclaveRegistry
    function gpuEntries(address enclave, bytes32 programId) external view returns (uint32[] memory entryIds) {
        if (_records[enclave][programId].gpuCount != 0) entryIds = _gpuEntries[enclave][programId];
    }

    /// @inheritdoc IEnclaveRegistry
    function isRemoved(address enclave) external view returns (bool) {
        return _removed[enclave];
    }

    /// @inheritdoc IEnclaveRegistry
    function route(uint8 path) external view returns (IAttestationVerifier verifier, bool frozen) {
        Route storage r = _routes[path];
        return (r.verifier, r.frozen);
    }

    /// @inheritdoc IEnclaveRegistry
    function measurementRegistry() external view returns (IMeasurementRegistry) {
        return _measurementRegistry;
    }

    /// @inheritdoc IEnclaveRegistry
    function registrationTtl() external view returns (uint64) {
        return _registrationTtl;
    }

    /// @inheritdoc IEnclaveRegistry
    function nonceState(bytes32 programId, bytes32 nonce) external view returns (uint64 challengeExpiresAt, bool used) {
        NonceState storage n = _nonces[programId][nonce];
        return (n.challengeExpiresAt, n.used);
    }

    // -------------------------------------------------------------------------------------------- internal

    function _checkKey(address enclave, bytes32 programId) private view {
        if (enclave == address(0) || programId == bytes32(0)) revert InvalidEnclave(enclave, programId);
        if (_removed[enclave]) revert EnclaveIsRemoved(enclave);
    }

    /// @dev The route's proof over the encoded claims (one Claims, or a composite's (Claims, Claims[])).
    function _verifyProof(uint8 path, bytes memory encodedClaims, bytes calldata proof) private view {
        Route storage r = _routes[path];
        if (address(r.verifier) == address(0)) revert RouteNotFound(path);
        if (r.frozen) revert RouteIsFrozen(path);
        r.verifier.verifyAttestation(encodedClaims, proof);
    }

    /// @dev The DESIGN §3 binding recomputed, then the nonce consumed.
    function _checkBindingAndNonce(
        bytes32 programId,
        address enclave,
        bytes32 hpkeKeyHash,
        bytes32 nonce,
        bytes32 reportData
    ) private {
        bytes32 expected = keccak256(abi.encode(BINDING_TAG, enclave, hpkeKeyHash, nonce));
        if (expected != reportData) revert BindingMismatch(expected, reportData);
        _consumeNonce(programId, nonce);
    }

    /// @dev The composite's policy (MeasurementRegistry.checkCompositeClaims), then its GPU entries stored and
    /// announced. Other GPUs than the live record's (or GPUs where it had none) bring other windows, which may end
    /// before what was cached for the key, so the epoch advances as for another entry (_mayEndSooner, which _store
    /// applies to the CPU entry and expiry). Dropping GPUs only removes constraints.
    function _admitComposite(address enclave, bytes32 programId, Claims calldata claims, Claims[] calldata gpus)
        private
        returns (uint32 entryId, uint64 validUntil, uint64 epoch, uint8 gpuCount)
    {
        uint32[] memory gpuEntryIds;
        (entryId, validUntil, epoch, gpuEntryIds) = _measurementRegistry.checkCompositeClaims(programId, claims, gpus);
        gpuCount = uint8(gpuEntryIds.length); // at most MAX_GPUS (8)
        if (_records[enclave][programId].expiresAt > block.timestamp && !_sameGpuEntries(enclave, programId, gpuEntryIds)) {
            _measurementRegistry.advanceLivenessEpoch();
            epoch = _measurementRegistry.livenessEpoch();
        }
        _gpuEntries[enclave][programId] = gpuEntryIds;
        bytes32[] memory gpuMeasurements = new bytes32[](gpus.length);
        for (uint256 i; i < gpus.length; ++i) {
            gpuMeasurements[i] = gpus[i].measurement;
        }
        emit GpuClaimsRegistered(enclave, programId, gpuMeasurements);
    }

    /// @dev 0 when not live, else the TEE type (never 0 for a registered record: the MeasurementRegistry only
    /// holds types 1..5). Fast path: the cache taken at registration is exact while the liveness epoch has not
    /// moved, because every event that can end liveness before `liveUntil` (revocation, rotation, removal)
    /// advances it. Slow path: the full check.
    function _liveTeeType(address enclave, bytes32 programId) private view returns (uint8) {
        Record memory r = _records[enclave][programId];
        if (r.expiresAt <= block.timestamp) return 0;
        if (block.timestamp < r.liveUntil && r.epoch == _measurementRegistry.livenessEpoch()) return r.teeType;
        if (
            _removed[enclave]
                || _measurementRegistry.entryAllowedUntil(programId, r.teeType, r.entryId, r.registeredAt) == 0
        ) {
            return 0;
        }
        if (r.gpuCount != 0 && _gpusAllowedUntil(enclave, programId, r.registeredAt) == 0) return 0;
        return r.teeType;
    }

    /// @dev The earliest window end of a composite's GPU entries, or 0 when one is no longer allowed (revoked,
    /// rotated away, its type's rules tightened since registration).
    function _gpusAllowedUntil(address enclave, bytes32 programId, uint64 registeredAt)
        private
        view
        returns (uint64 until)
    {
        uint32[] storage ids = _gpuEntries[enclave][programId];
        until = type(uint64).max;
        for (uint256 i; i < ids.length; ++i) {
            uint64 end = _measurementRegistry.entryAllowedUntil(programId, NVIDIA_GPU, ids[i], registeredAt);
            if (end < until) until = end;
        }
    }

    function _sameGpuEntries(address enclave, bytes32 programId, uint32[] memory entryIds)
        private
        view
        returns (bool)
    {
        if (_records[enclave][programId].gpuCount != entryIds.length) return false;
        uint32[] storage previous = _gpuEntries[enclave][programId];
        for (uint256 i; i < entryIds.length; ++i) {
            if (previous[i] != entryIds[i]) return false;
        }
        return true;
    }

    /// @dev The full check, as a cacheable answer: live now, and nothing can end it before `liveUntil` without
    /// advancing the epoch returned with it (expiry and the window's end are the only deadlines that pass by
    /// themselves). (0, epoch) when not live.
    function _fullLiveness(address enclave, bytes32 programId) private view returns (uint64 liveUntil, uint64 epoch) {
        epoch = _measurementRegistry.livenessEpoch();
        Record storage r = _records[enclave][programId];
        uint64 expiresAt = r.expiresAt;
        if (expiresAt <= block.timestamp || _removed[enclave]) return (0, epoch);
        uint64 windowEnd = _measurementRegistry.entryAllowedUntil(programId, r.teeType, r.entryId, r.registeredAt);
        if (r.gpuCount != 0) {
            uint64 gpusEnd = _gpusAllowedUntil(enclave, programId, r.registeredAt);
            if (gpusEnd < windowEnd) windowEnd = gpusEnd;
        }
        if (windowEnd == 0) return (0, epoch);
        liveUntil = windowEnd < expiresAt ? windowEnd : expiresAt;
    }

    /// @dev A composite's admission and record: the record as any, then its GPU count.
    function _storeComposite(
        address enclave,
        bytes32 programId,
        Claims calldata claims,
        Claims[] calldata gpus,
        uint8 path
    ) private returns (uint64 expiresAt) {
        (uint32 entryId, uint64 validUntil, uint64 epoch, uint8 gpuCount) =
            _admitComposite(enclave, programId, claims, gpus);
        expiresAt = _writeRecord(enclave, programId, claims.teeType, path, entryId, validUntil, epoch);
        _records[enclave][programId].gpuCount = gpuCount;
    }

    /// @dev Applies the standalone policy (reverting with the MeasurementRegistry's error), writes the record word,
    /// emits.
    function _store(address enclave, bytes32 programId, Claims calldata claims, uint8 path, bytes32 hpkeKeyHash)
        private
        returns (uint64 expiresAt)
    {
        (uint32 entryId, uint64 validUntil, uint64 epoch) = _measurementRegistry.checkClaimsEntry(programId, claims);
        expiresAt = _writeRecord(enclave, programId, claims.teeType, path, entryId, validUntil, epoch);
        emit EnclaveRegistered(
            enclave, programId, claims.measurement, claims.teeType, path, hpkeKeyHash, claims.platformId, expiresAt
        );
    }

    function _emitRegistered(
        address enclave,
        bytes32 programId,
        Claims calldata claims,
        uint8 path,
        bytes32 hpkeKeyHash,
        uint64 expiresAt
    ) private {
        emit EnclaveRegistered(
            enclave, programId, claims.measurement, claims.teeType, path, hpkeKeyHash, claims.platformId, expiresAt
        );
    }

    /// @dev The record word (no GPUs; a composite sets its count after), with the epoch advanced first when the new
    /// record may end sooner than what was cached for the key.
    function _writeRecord(
        address enclave,
        bytes32 programId,
        uint8 teeType,
        uint8 path,
        uint32 entryId,
        uint64 validUntil,
        uint64 epoch
    ) private returns (uint64 expiresAt) {
        expiresAt = uint64(block.timestamp) + _registrationTtl;
        if (_mayEndSooner(enclave, programId, entryId, expiresAt)) {
            _measurementRegistry.advanceLivenessEpoch();
            epoch = _measurementRegistry.livenessEpoch();
        }
        // uint40 holds times until the year 36812; validUntil may be "no end" (2^64 - 1), so it is capped first.
        _records[enclave][programId] = Record({
            expiresAt: uint40(expiresAt),
            registeredAt: uint40(block.timestamp),
            liveUntil: uint40(validUntil < expiresAt ? validUntil : expiresAt),
            teeType: teeType,
            path: path,
            entryId: entryId,
            epoch: epoch,
            gpuCount: 0
        });
    }

    /// @dev Re-attesting under the same entry with the same lifetime only lengthens liveness. Under another entry
    /// (another measurement, another window), or after the governor lowered the lifetime (issue 12 item 16), the
    /// new record may end before what contracts cached for this key (BatchReceipts caches per batch), so the caller
    /// ends every cache taken before, and the new record caches the advanced epoch.
    function _mayEndSooner(address enclave, bytes32 programId, uint32 entryId, uint64 expiresAt)
        private
        view
        returns (bool)
    {
        Record storage previous = _records[enclave][programId];
        uint64 previousExpiresAt = previous.expiresAt;
        return previousExpiresAt > block.timestamp && (previous.entryId != entryId || expiresAt < previousExpiresAt);
    }

    /// @dev A nonce is fresh when the registry issued it as a challenge for this program that has not expired, or
    /// when it is one of the last 256 block hashes (all the EVM can see). Either way it is usable once per program,
    /// so one piece of evidence registers one key once for a program; re-attestation needs new evidence over a new
    /// nonce. Per program, not global: otherwise anyone could copy a pending registration under another program
    /// whose allowlist admits the measurement and burn the nonce, and the honest one would revert for good.
    function _consumeNonce(bytes32 programId, bytes32 nonce) private {
        NonceState storage n = _nonces[programId][nonce];
        if (n.used) revert NonceAlreadyUsed(nonce);
        if (!(n.challengeExpiresAt > block.timestamp || Freshness.isRecentBlockHash(nonce))) revert NonceNotFresh(nonce);
        n.used = true;
    }
}
