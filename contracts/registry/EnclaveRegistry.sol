// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "../interfaces/IClaims.sol";
import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {IEnclaveRegistry} from "../interfaces/IEnclaveRegistry.sol";
import {IMeasurementRegistry} from "../interfaces/IMeasurementRegistry.sol";
import {Governed} from "../governance/Governed.sol";

/// @title EnclaveRegistry
/// @notice Turns attested claims into live enclave keys (DESIGN §3–4): proof through a selected
/// IAttestationVerifier route, binding recomputed on-chain, one-time fresh nonce, policy through the
/// MeasurementRegistry, then a registration that lapses after `registrationTtl` unless re-attested.
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

    struct Route {
        IAttestationVerifier verifier;
        bool frozen;
    }

    IMeasurementRegistry private immutable _measurementRegistry;

    uint64 private _registrationTtl = DEFAULT_REGISTRATION_TTL;
    uint256 private _challengeCount;
    mapping(uint8 path => Route) private _routes;
    mapping(address enclave => mapping(bytes32 programId => Enclave)) private _enclaves;
    mapping(address enclave => bool) private _removed;
    mapping(bytes32 challenge => uint64 expiresAt) private _challenges;
    mapping(bytes32 nonce => bool) private _usedNonces;

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
        if (enclave == address(0) || programId == bytes32(0)) revert InvalidEnclave(enclave, programId);
        if (_removed[enclave]) revert EnclaveIsRemoved(enclave);

        Route storage r = _routes[path];
        if (address(r.verifier) == address(0)) revert RouteNotFound(path);
        if (r.frozen) revert RouteIsFrozen(path);
        r.verifier.verifyAttestation(abi.encode(claims), proof);

        bytes32 expected = keccak256(abi.encode(BINDING_TAG, enclave, hpkeKeyHash, nonce));
        if (expected != claims.reportData) revert BindingMismatch(expected, claims.reportData);

        _consumeNonce(nonce);
        _measurementRegistry.checkClaims(programId, claims);

        expiresAt = uint64(block.timestamp) + _registrationTtl;
        _enclaves[enclave][programId] = Enclave({
            teeType: claims.teeType,
            expiresAt: expiresAt,
            registeredAt: uint64(block.timestamp),
            path: path,
            measurement: claims.measurement,
            platformId: claims.platformId,
            hpkeKeyHash: hpkeKeyHash
        });
        emit EnclaveRegistered(enclave, programId, claims.measurement, claims.teeType, path, hpkeKeyHash, expiresAt);
    }

    /// @inheritdoc IEnclaveRegistry
    function issueChallenge() external returns (bytes32 challenge) {
        unchecked {
            ++_challengeCount;
        }
        challenge = keccak256(
            abi.encode(block.chainid, address(this), msg.sender, _challengeCount, blockhash(block.number - 1))
        );
        uint64 expiresAt = uint64(block.timestamp) + CHALLENGE_TTL;
        _challenges[challenge] = expiresAt;
        emit ChallengeIssued(challenge, msg.sender, expiresAt);
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
    }

    // ----------------------------------------------------------------------------------------------- views

    /// @inheritdoc IEnclaveRegistry
    function isLive(address enclave, bytes32 programId) external view returns (bool) {
        Enclave storage e = _enclaves[enclave][programId];
        return e.expiresAt > block.timestamp && !_removed[enclave]
            && _measurementRegistry.isAllowed(programId, e.teeType, e.measurement);
    }

    /// @inheritdoc IEnclaveRegistry
    function enclaveInfo(address enclave, bytes32 programId) external view returns (Enclave memory) {
        return _enclaves[enclave][programId];
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
    function nonceState(bytes32 nonce) external view returns (uint64 challengeExpiresAt, bool used) {
        return (_challenges[nonce], _usedNonces[nonce]);
    }

    // -------------------------------------------------------------------------------------------- internal

    /// @dev A nonce is fresh when the registry issued it as a challenge that has not expired, or when it is one of
    /// the last 256 block hashes (all the EVM can see). Either way it is usable once, so one piece of evidence
    /// registers one key once; re-attestation needs new evidence over a new nonce.
    function _consumeNonce(bytes32 nonce) private {
        if (_usedNonces[nonce]) revert NonceAlreadyUsed(nonce);
        if (!(_challenges[nonce] > block.timestamp || _isRecentBlockHash(nonce))) revert NonceNotFresh(nonce);
        _usedNonces[nonce] = true;
    }

    function _isRecentBlockHash(bytes32 nonce) private view returns (bool) {
        if (nonce == bytes32(0)) return false;
        uint256 current = block.number;
        uint256 oldest = current > 256 ? current - 256 : 0;
        for (uint256 n = current; n > oldest;) {
            unchecked {
                --n;
            }
            if (blockhash(n) == nonce) return true;
        }
        return false;
    }
}
