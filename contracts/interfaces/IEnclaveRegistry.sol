// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Claims} from "./IClaims.sol";
import {IAttestationVerifier} from "./IAttestationVerifier.sol";
import {IMeasurementRegistry} from "./IMeasurementRegistry.sol";

/// @title IEnclaveRegistry
/// @notice Registers enclave signing keys from attested claims and answers "is this key live for this program".
/// @custom:security-contact security@teezk.invalid
interface IEnclaveRegistry {
    /// @notice What the registry knows of an (enclave, programId) pair. `expiresAt == 0` means never registered.
    /// @dev The registry keeps one storage word per pair (times, TEE type, path, the MeasurementRegistry entry id
    /// and a liveness cache); `measurement` is read back from the MeasurementRegistry through `entryId`. The HPKE
    /// key hash and platform id are attested and emitted in EnclaveRegistered, not stored (docs/decisions.md).
    struct Enclave {
        uint8 teeType;
        uint64 expiresAt;
        uint64 registeredAt;
        uint8 path;
        bytes32 measurement;
        uint32 entryId;
    }

    // ----------------------------------------------------------------------------------------------- errors

    /// @notice Thrown when no attestation route has id `path`.
    error RouteNotFound(uint8 path);
    /// @notice Thrown when adding a route whose id is taken: routes are never replaced.
    error RouteAlreadyExists(uint8 path);
    /// @notice Thrown when registering through, or freezing again, a frozen route.
    error RouteIsFrozen(uint8 path);
    /// @notice Thrown when `claims.reportData` is not the DESIGN §3 binding of (enclave, hpkeKeyHash, nonce).
    error BindingMismatch(bytes32 expected, bytes32 reportData);
    /// @notice Thrown when the nonce is neither one of the last 256 block hashes nor an unexpired challenge issued
    /// for the program being registered.
    error NonceNotFresh(bytes32 nonce);
    /// @notice Thrown when a nonce was already used by a registration for the same program.
    error NonceAlreadyUsed(bytes32 nonce);
    /// @notice Thrown when registering the zero address or a zero program id, or asking a challenge for program 0.
    error InvalidEnclave(address enclave, bytes32 programId);
    /// @notice Thrown when registering or removing an enclave key that was removed (removal is permanent).
    error EnclaveIsRemoved(address enclave);
    /// @notice Thrown when the registration lifetime is outside [MIN_REGISTRATION_TTL, MAX_REGISTRATION_TTL].
    error InvalidRegistrationTtl(uint64 ttl);
    /// @notice Thrown when refreshing the liveness cache of a key that is not live for the program.
    error EnclaveNotLive(address enclave, bytes32 programId);

    // ----------------------------------------------------------------------------------------------- events

    /// @notice Emitted when an enclave is registered or re-attested for a program: the attested record, including
    /// the HPKE key hash clients encrypt to and the platform id, which are not kept in storage.
    event EnclaveRegistered(
        address indexed enclave,
        bytes32 indexed programId,
        bytes32 indexed measurement,
        uint8 teeType,
        uint8 path,
        bytes32 hpkeKeyHash,
        bytes32 platformId,
        uint64 expiresAt
    );
    /// @notice Emitted with EnclaveRegistered for a composite registration: the measurements of the GPUs whose
    /// claims came with the CPU claims (all allowlisted for the program, all answering the enclave's binding).
    event GpuClaimsRegistered(address indexed enclave, bytes32 indexed programId, bytes32[] gpuMeasurements);
    /// @notice Emitted when a key's liveness cache is taken again under the current liveness epoch.
    event LivenessRefreshed(address indexed enclave, bytes32 indexed programId, uint64 liveUntil, uint64 epoch);
    /// @notice Emitted when an enclave key is removed for every program, permanently.
    event EnclaveRemoved(address indexed enclave, address indexed by);
    /// @notice Emitted when the registry issues a one-time challenge nonce, usable only to register for `programId`.
    event ChallengeIssued(
        bytes32 indexed challenge, address indexed requester, bytes32 indexed programId, uint64 expiresAt
    );
    /// @notice Emitted when the governor adds an attestation route.
    event RouteAdded(uint8 indexed path, IAttestationVerifier verifier);
    /// @notice Emitted when the governor freezes an attestation route.
    event RouteFrozen(uint8 indexed path);
    /// @notice Emitted when the governor changes how long a registration lasts.
    event RegistrationTtlSet(uint64 ttl);

    // ------------------------------------------------------------------------------------------- anyone

    /// @notice Registers (or re-attests) `enclave` for `programId` from `claims` proven through route `path`.
    /// @param programId The program whose measurement allowlist applies.
    /// @param claims The claims the proof vouches for; `reportData` must equal
    /// `keccak256(abi.encode("teezk/v1", enclave, hpkeKeyHash, nonce))`.
    /// @param enclave The enclave's signing address.
    /// @param hpkeKeyHash keccak256 of the enclave's HPKE public key.
    /// @param nonce One of the last 256 block hashes or a challenge from issueChallenge(programId); usable once per
    /// program (a copy of this call naming another program cannot use or burn it).
    /// @param path The attestation route id.
    /// @param proof The route-specific proof over `abi.encode(claims)`.
    /// @return expiresAt When this registration lapses unless re-attested.
    function register(
        bytes32 programId,
        Claims calldata claims,
        address enclave,
        bytes32 hpkeKeyHash,
        bytes32 nonce,
        uint8 path,
        bytes calldata proof
    ) external returns (uint64 expiresAt);

    /// @notice Registers (or re-attests) `enclave` for `programId` as a composite: CPU `claims` that carry the
    /// binding, and the claims of each GPU (type 4) attached to it, whose report data (the GPU's nonce) must equal
    /// `claims.reportData` and whose measurements must be allowlisted under type 4 for the program
    /// (MeasurementRegistry.checkCompositeClaims). The only way to register for a program that requires a GPU.
    /// The key stays live only while the CPU entry and every GPU entry stay allowed.
    /// @param gpus The GPUs' claims, 1 to MAX_GPUS.
    /// @param proof The route-specific proof over `abi.encode(claims, gpus)` (the whole composite).
    /// @dev Other parameters as register.
    function registerComposite(
        bytes32 programId,
        Claims calldata claims,
        Claims[] calldata gpus,
        address enclave,
        bytes32 hpkeKeyHash,
        bytes32 nonce,
        uint8 path,
        bytes calldata proof
    ) external returns (uint64 expiresAt);

    /// @notice Issues a one-time challenge nonce valid for CHALLENGE_TTL seconds, for registrations for `programId`
    /// only.
    function issueChallenge(bytes32 programId) external returns (bytes32 challenge);

    /// @notice Runs the full liveness check of (`enclave`, `programId`) and, when it is live, caches the answer
    /// under the current liveness epoch, so later checks take the fast path again without re-attesting. Anyone may
    /// call it: it stores only what the full check shows now, and reverts with EnclaveNotLive otherwise.
    /// @return liveUntil Until when the cache answers "live" (the earlier of expiry and the window's end).
    function refreshLiveness(address enclave, bytes32 programId) external returns (uint64 liveUntil);

    // -------------------------------------------------------------------------------------------- governed

    /// @notice Adds attestation route `path`. Governor only; routes are never removed or replaced.
    function addRoute(uint8 path, IAttestationVerifier verifier) external;

    /// @notice Freezes route `path` so it can no longer register enclaves. Governor only; irreversible.
    function freezeRoute(uint8 path) external;

    /// @notice Sets how long new registrations last. Governor only.
    function setRegistrationTtl(uint64 ttl) external;

    /// @notice Removes `enclave` for every program, permanently. ENCLAVE_REMOVER_ROLE only. Advances the
    /// MeasurementRegistry's liveness epoch, so this registry needs its LIVENESS_EPOCH_ROLE (without it, removal
    /// reverts rather than leave a cached liveness standing).
    function removeEnclave(address enclave) external;

    // ----------------------------------------------------------------------------------------------- views

    /// @notice True when `enclave` is registered for `programId`, unexpired, not removed, and its measurement is
    /// allowed for the program now (so a revocation takes effect at once).
    function isLive(address enclave, bytes32 programId) external view returns (bool);

    /// @notice The full liveness check of (`enclave`, `programId`), for contracts that cache it (BatchReceipts).
    /// @return liveUntil 0 when not live now; otherwise until when it stays live unless the liveness epoch
    /// advances first (the earlier of expiry and the end of the measurement's window).
    /// @return epoch The MeasurementRegistry's liveness epoch the answer holds under.
    function liveness(address enclave, bytes32 programId) external view returns (uint64 liveUntil, uint64 epoch);

    /// @notice The TEE type of `enclave` when it is live for `programId` (as isLive), otherwise 0.
    function liveTeeType(address enclave, bytes32 programId) external view returns (uint8);

    /// @notice The stored record of (`enclave`, `programId`); all zeros when never registered.
    function enclaveInfo(address enclave, bytes32 programId) external view returns (Enclave memory);

    /// @notice The MeasurementRegistry entries of the GPUs of (`enclave`, `programId`)'s composite registration;
    /// empty when its current registration has no GPUs.
    function gpuEntries(address enclave, bytes32 programId) external view returns (uint32[] memory entryIds);

    /// @notice True when `enclave` was removed.
    function isRemoved(address enclave) external view returns (bool);

    /// @notice The verifier of route `path` and whether it is frozen.
    function route(uint8 path) external view returns (IAttestationVerifier verifier, bool frozen);

    /// @notice The measurement registry that holds the allowlist and policy.
    function measurementRegistry() external view returns (IMeasurementRegistry);

    /// @notice How long a registration lasts, in seconds.
    function registrationTtl() external view returns (uint64);

    /// @notice When a challenge issued for `programId` expires (0 when unknown), and whether a registration for
    /// `programId` has used the nonce.
    function nonceState(bytes32 programId, bytes32 nonce) external view returns (uint64 challengeExpiresAt, bool used);
}
