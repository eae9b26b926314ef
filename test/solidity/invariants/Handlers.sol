// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";
import {Vm} from "../utils/Vm.sol";
import {Claims} from "../../../contracts/interfaces/IClaims.sol";
import {MeasurementRegistry} from "../../../contracts/governance/MeasurementRegistry.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";
import {EnclaveRegistry} from "../../../contracts/registry/EnclaveRegistry.sol";
import {CommitteeAttestationVerifier} from "../../../contracts/attestation/CommitteeAttestationVerifier.sol";
import {ReceiptVerifier} from "../../../contracts/receipts/ReceiptVerifier.sol";
import {BatchReceipts} from "../../../contracts/receipts/BatchReceipts.sol";
import {Batch, Receipt, ReceiptTypes} from "../../../contracts/receipts/Receipt.sol";
import {MultiProverRoots} from "../../../contracts/multiprover/MultiProverRoots.sol";
import {RootProofVerifierTestDouble} from "../doubles/RootProofVerifierTestDouble.sol";

/// @notice What handlers share: cheatcodes, the deployment, and an independent model of which enclave keys
/// should be live (registration time, TEE type, revocations, rotations, removals) kept from the handler's own
/// actions. The model knows nothing of the registry's liveness cache, so comparing it with isLive after every
/// step checks that the cached fast path and the full check never disagree.
abstract contract HandlerBase {
    Vm internal constant vm = Vm(0x7109709ECfa91a80626fF3989D68f67F5b1DD12D);
    bytes32 internal constant PROGRAM = keccak256("teezk test program");
    bytes32 internal constant ROOT_HASH = keccak256("vendor root");

    MeasurementRegistry internal immutable measurements;
    EnclaveRegistry internal immutable enclaves;
    CommitteeAttestationVerifier internal immutable committee;
    address internal immutable governor;
    address internal immutable guardian;
    uint256[2] internal nodeKeys;

    /// @dev Keys 0..3 can register (TEE types below: TDX and SGX, both Intel, then SEV-SNP and Nitro); key 4, a
    /// GPU, never registers.
    uint256[5] internal keys = [uint256(0xE1), 0xE2, 0xE3, 0xE4, 0xBAD];
    uint8[5] internal types = [uint8(1), 5, 2, 3, 4];
    mapping(uint256 keyIndex => uint256) public modelExpiry;
    mapping(uint8 teeType => bool) public modelRevoked;
    mapping(uint256 keyIndex => bool) public modelRemoved;
    /// @dev End of the window of measurementOf(teeType) for PROGRAM (rotations shorten it); 0 means no end.
    mapping(uint8 teeType => uint256) public modelWindowEnd;
    uint256 internal rotations;

    /// @notice Count of outcomes the model says must never happen.
    uint256 public violations;
    string public lastViolation;

    constructor(
        MeasurementRegistry m,
        EnclaveRegistry e,
        CommitteeAttestationVerifier c,
        address governor_,
        address guardian_,
        uint256[2] memory nodeKeys_
    ) {
        (measurements, enclaves, committee, governor, guardian, nodeKeys) = (m, e, c, governor_, guardian_, nodeKeys_);
    }

    function _violation(string memory what) internal {
        ++violations;
        lastViolation = what;
    }

    function _sign(uint256 key, bytes32 digest) internal pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        return abi.encodePacked(r, s, v);
    }

    function _modelAllowed(uint8 t) internal view returns (bool) {
        uint256 end = modelWindowEnd[t];
        return !modelRevoked[t] && (end == 0 || block.timestamp < end);
    }

    function _modelLive(uint256 i) internal view returns (bool) {
        return i < 4 && modelExpiry[i] > block.timestamp && _modelAllowed(types[i]) && !modelRemoved[i];
    }

    /// @notice 0 when isLive agrees with the model for every key, else 1 + the first key index that disagrees.
    function livenessMismatch() public view returns (uint256) {
        for (uint256 i = 0; i < 5; ++i) {
            if (enclaves.isLive(vm.addr(keys[i]), PROGRAM) != _modelLive(i)) return i + 1;
            uint8 liveType = enclaves.liveTeeType(vm.addr(keys[i]), PROGRAM);
            if (liveType != (_modelLive(i) ? types[i] : 0)) return i + 1;
        }
        return 0;
    }

    function measurementOf(uint8 teeType) public pure returns (bytes32) {
        return keccak256(abi.encode("measurement", teeType));
    }

    /// @notice Fuzzed action: (re-)register enclave key `seed % 4` through the committee route.
    function register(uint256 seed) public {
        uint256 i = seed % 4;
        address enclave = vm.addr(keys[i]);
        bytes32 nonce = enclaves.issueChallenge(PROGRAM);
        Claims memory claims = Claims({
            teeType: types[i],
            measurement: measurementOf(types[i]),
            reportData: keccak256(abi.encode("teezk/v1", enclave, bytes32(0), nonce)),
            platformId: bytes32(0),
            rootHash: ROOT_HASH,
            timestamp: uint64(block.timestamp),
            tcbStatus: 0,
            svn: 3,
            debug: false
        });
        bytes32 digest = committee.verdictDigest(keccak256(abi.encode(claims)));
        (uint256 k0, uint256 k1) = (nodeKeys[0], nodeKeys[1]);
        if (vm.addr(k0) > vm.addr(k1)) (k0, k1) = (k1, k0);
        bytes[] memory sigs = new bytes[](2);
        (sigs[0], sigs[1]) = (_sign(k0, digest), _sign(k1, digest));
        try enclaves.register(PROGRAM, claims, enclave, bytes32(0), nonce, 1, abi.encode(sigs)) returns (uint64 exp) {
            if (!_modelAllowed(types[i]) || modelRemoved[i]) {
                _violation("registered a removed enclave or a measurement not allowed now");
            }
            modelExpiry[i] = exp;
        } catch {}
    }

    /// @notice Fuzzed action: the governor rotates a TEE type's measurement away, with a grace period of up to
    /// 12 hours (rarely).
    function rotate(uint256 seed, uint256 grace) public {
        if (seed % 6 != 0) return;
        uint8 t = types[seed % 4];
        grace = grace % 12 hours;
        bytes32 next = keccak256(abi.encode("rotated", t, ++rotations));
        vm.prank(governor);
        try measurements.rotateMeasurement(PROGRAM, t, measurementOf(t), next, uint64(grace)) {
            if (!_modelAllowed(t)) _violation("rotated away a measurement that was not allowed");
            uint256 end = block.timestamp + grace;
            if (modelWindowEnd[t] == 0 || end < modelWindowEnd[t]) modelWindowEnd[t] = end;
        } catch {}
    }

    /// @notice Fuzzed action: anyone refreshes a key's liveness cache; it succeeds exactly when the key is live.
    function refresh(uint256 seed) public {
        uint256 i = seed % 5;
        bool live = _modelLive(i);
        try enclaves.refreshLiveness(vm.addr(keys[i]), PROGRAM) {
            if (!live) _violation("refreshed the liveness of a key that is not live");
        } catch {
            if (live) _violation("could not refresh a live key");
        }
    }

    /// @notice Fuzzed action: the guardian removes an enclave key (rarely).
    function remove(uint256 seed) public {
        if (seed % 10 != 0) return;
        uint256 i = seed % 5;
        vm.prank(guardian);
        try enclaves.removeEnclave(vm.addr(keys[i])) {
            modelRemoved[i] = true;
        } catch {}
    }

    /// @notice Fuzzed action: let time pass (up to 8 hours).
    function warp(uint256 dt) public {
        vm.warp(block.timestamp + (dt % 8 hours));
        vm.roll(block.number + 1);
    }

    /// @notice Fuzzed action: the guardian revokes a TEE type's measurement (rarely).
    function revoke(uint256 seed) public {
        if (seed % 8 != 0) return;
        uint8 t = types[seed % 4];
        vm.prank(guardian);
        try measurements.revokeMeasurement(t, measurementOf(t)) {
            modelRevoked[t] = true;
        } catch {}
    }

    /// @notice Fuzzed action: someone other than the governor (including the guardian) tries every governor-only
    /// change; any success is a violation. The governor itself also adds through its own key.
    function tryGovern(uint256 actorSeed, bytes32 m) public {
        address actor = actorSeed % 3 == 0 ? guardian : address(uint160(uint256(keccak256(abi.encode(actorSeed)))));
        if (actor == governor || m == bytes32(0)) return;
        vm.prank(actor);
        try measurements.addMeasurement(PROGRAM, 1, m, 0, 0) {
            _violation("non-governor added a measurement");
        } catch {}
        vm.prank(actor);
        try measurements.setTeePolicy(1, IMeasurementRegistry.TeePolicy(type(uint256).max, 0, 365 days)) {
            _violation("non-governor set a policy");
        } catch {}
        vm.prank(actor);
        try measurements.setRootHashAllowed(1, m, true) {
            _violation("non-governor allowed a root");
        } catch {}
        vm.prank(actor);
        try measurements.rotateMeasurement(PROGRAM, 1, measurementOf(1), m, 0) {
            _violation("non-governor rotated");
        } catch {}
        if (actor != guardian) {
            vm.prank(actor);
            try measurements.revokeMeasurement(5, m) {
                _violation("non-guardian revoked");
            } catch {}
        }
    }
}

/// @notice Invariant (1): no receipt, single or batched, is accepted from a signer that is unregistered, expired,
/// removed, or whose measurement is revoked or past its window for the program.
contract ReceiptsHandler is HandlerBase {
    ReceiptVerifier internal immutable receipts;
    BatchReceipts internal immutable batches;
    uint256 public accepted;
    uint256 public acceptedIncluded;
    /// @dev The handler's own record of which keys submitted which roots, independent of BatchReceipts' storage.
    mapping(bytes32 root => mapping(uint256 keyIndex => bool)) internal submitted;
    /// @dev The handler's own record of successful batch consumptions, per consumer and receipt.
    mapping(address consumer => mapping(bytes32 leaf => uint256)) public batchConsumptions;
    /// @notice How many batch consumptions found the same (consumer, receipt) already consumed: must stay 0.
    uint256 public doubleConsumptions;

    constructor(
        MeasurementRegistry m,
        EnclaveRegistry e,
        CommitteeAttestationVerifier c,
        address governor_,
        address guardian_,
        uint256[2] memory nodeKeys_,
        ReceiptVerifier r,
        BatchReceipts b
    ) HandlerBase(m, e, c, governor_, guardian_, nodeKeys_) {
        (receipts, batches) = (r, b);
    }

    /// @notice Fuzzed action: key `seed % 5` signs a one-receipt batch (root = leaf) over one of a few receipts that
    /// every key may sign, so live, expired, removed and unregistered keys all submit the same roots; then the
    /// receipt's inclusion is checked naming key `named % 5` as the signer, now and whenever the same receipt comes
    /// up again after other actions (expiry, revocation, rotation, removal).
    function checkIncluded(uint256 seed, uint8 variant, uint8 named) public {
        uint256 i = seed % 5;
        bytes32 programId = seed % 7 == 0 ? keccak256("other program") : PROGRAM;
        Receipt memory r = Receipt(programId, keccak256(abi.encode(variant % 3)), bytes32(0), bytes32(0), 0, bytes32(0));
        bytes32 root = batches.leafOf(r);
        if (!submitted[root][i]) {
            Batch memory b = Batch(root, 1, uint64(block.timestamp));
            try batches.submitBatch(b, programId, _sign(keys[i], batches.batchDigest(b))) {
                submitted[root][i] = true;
                if (programId != PROGRAM || !_modelLive(i)) _violation("recorded a batch from a non-live signer");
            } catch {
                // Batches are keyed by (root, signer): no earlier submission of this root, by anyone, may stop it.
                if (programId == PROGRAM && _modelLive(i)) _violation("refused a live signer's batch");
            }
        }
        uint256 n = named % 5;
        try batches.verifyIncluded(r, root, vm.addr(keys[n]), new bytes32[](0)) {
            ++acceptedIncluded;
            if (!submitted[root][n]) _violation("included under a signer that never submitted the root");
            if (programId != PROGRAM || !_modelLive(n)) _violation("included a receipt from a non-live signer");
        } catch {}
    }

    /// @notice Fuzzed action: anyone refreshes a batch's liveness cache; it succeeds exactly when the named key
    /// submitted that root and is live for the program (so the cache can never be refreshed into a lie).
    function refreshBatch(uint256 seed, uint8 variant) public {
        uint256 i = seed % 5;
        bytes32 programId = seed % 7 == 0 ? keccak256("other program") : PROGRAM;
        Receipt memory r = Receipt(programId, keccak256(abi.encode(variant % 3)), bytes32(0), bytes32(0), 0, bytes32(0));
        bytes32 root = batches.leafOf(r);
        bool expected = submitted[root][i] && programId == PROGRAM && _modelLive(i);
        try batches.refreshBatchLiveness(root, vm.addr(keys[i]), programId) {
            if (!expected) _violation("refreshed a batch cache the full check refuses");
        } catch {
            if (expected) _violation("could not refresh a live signer's batch cache");
        }
    }

    /// @notice Whether BatchReceipts' copy of the liveness epoch follows the registry's.
    function mirrorFollowsRegistry() public view returns (bool) {
        return batches.mirroredLivenessEpoch() == measurements.livenessEpoch();
    }

    /// @notice Fuzzed action: key `seed % 5` batches one of a few receipts with a sibling picked by `sibling`, so
    /// the same receipt rides in many batches (roots) under several signers; consumer `who % 2` consumes it
    /// through that batch. Any second success for the same (consumer, receipt) is a double consumption.
    function consumeBatched(uint256 seed, uint8 variant, uint8 sibling, uint8 who) public {
        uint256 i = seed % 5;
        Receipt memory r = Receipt(PROGRAM, keccak256(abi.encode(variant % 3)), bytes32(0), bytes32(0), 0, bytes32(0));
        bytes32 leaf = batches.leafOf(r);
        bytes32[] memory proof = new bytes32[](1);
        proof[0] = keccak256(abi.encode("sibling", sibling % 8));
        bytes32 root = Hashes.commutativeKeccak256(leaf, proof[0]);
        if (!submitted[root][i]) {
            Batch memory b = Batch(root, 2, uint64(block.timestamp));
            try batches.submitBatch(b, PROGRAM, _sign(keys[i], batches.batchDigest(b))) {
                submitted[root][i] = true;
            } catch {}
        }
        address consumer = address(uint160(0xC0C0 + who % 2));
        vm.prank(consumer);
        try batches.consumeIncluded(r, root, vm.addr(keys[i]), proof) {
            if (++batchConsumptions[consumer][leaf] > 1) ++doubleConsumptions;
        } catch {}
    }

    /// @notice Fuzzed action: key `seed % 5` signs a receipt for PROGRAM (or another program) and it is consumed.
    function consume(uint256 seed, bytes32 input) public {
        uint256 i = seed % 5;
        bytes32 programId = seed % 7 == 0 ? keccak256("other program") : PROGRAM;
        Receipt memory r = Receipt(programId, input, bytes32(0), bytes32(0), uint64(block.timestamp), bytes32(seed));
        bytes memory sig = _sign(keys[i], receipts.receiptDigest(r));
        try receipts.consumeReceipt(r, sig) {
            ++accepted;
            if (programId != PROGRAM || !_modelLive(i)) _violation("accepted a receipt from a non-live signer");
        } catch {}
    }
}

/// @notice Invariants (2) and (3): no TEE-path root with fewer than k distinct vendors; a new conflict always
/// halts and disputes its epoch, while a removed or reported key, or evidence already judged, never halts.
contract RootsHandler is HandlerBase {
    MultiProverRoots internal immutable roots;
    RootProofVerifierTestDouble internal immutable zk;
    uint256 public finalizedByTee;
    uint256 public conflicts;
    bool public conflictSinceResume;
    /// @dev The handler's own record of each epoch's root (as stored, disputed or not) and of disputes, judged
    /// (epoch, root) pairs and reported keys, kept from its actions alone.
    mapping(uint64 epoch => bytes32) internal modelRoot;
    mapping(uint64 epoch => bool) internal modelDisputed;
    mapping(uint64 epoch => mapping(bytes32 root => bool)) internal modelJudged;
    mapping(uint256 keyIndex => bool) internal modelReported;

    constructor(
        MeasurementRegistry m,
        EnclaveRegistry e,
        CommitteeAttestationVerifier c,
        address governor_,
        address guardian_,
        uint256[2] memory nodeKeys_,
        MultiProverRoots roots_,
        RootProofVerifierTestDouble zk_
    ) HandlerBase(m, e, c, governor_, guardian_, nodeKeys_) {
        (roots, zk) = (roots_, zk_);
    }

    function _sortedSigs(uint64 epoch, bytes32 root, uint256 mask) internal view returns (bytes[] memory, uint256) {
        uint256[] memory idx = new uint256[](5);
        uint256 n;
        for (uint256 i = 0; i < 5; ++i) if (mask & (1 << i) != 0) idx[n++] = i;
        for (uint256 a = 1; a < n; ++a) {
            for (uint256 b = a; b > 0 && vm.addr(keys[idx[b - 1]]) > vm.addr(keys[idx[b]]); --b) {
                (idx[b - 1], idx[b]) = (idx[b], idx[b - 1]);
            }
        }
        bytes32 digest = roots.rootDigest(epoch, root);
        bytes[] memory sigs = new bytes[](n);
        uint256 typesMask;
        for (uint256 i = 0; i < n; ++i) {
            sigs[i] = _sign(keys[idx[i]], digest);
            typesMask |= 1 << types[idx[i]];
        }
        return (sigs, typesMask);
    }

    /// @notice Fuzzed action: a subset of enclaves signs a root for a small epoch, with or without a ZK proof.
    function submit(uint8 epochSeed, uint8 rootSeed, uint8 mask, bool withZk) public {
        uint64 epoch = epochSeed % 8;
        bytes32 root = keccak256(abi.encode(rootSeed % 3));
        (bytes[] memory sigs,) = _sortedSigs(epoch, root, mask % 32);
        uint256 liveVendors;
        uint256 distinct;
        for (uint256 i = 0; i < 5; ++i) {
            if ((mask % 32) & (1 << i) == 0) continue;
            uint8 vendor = _modelEnclaveVendor(types[i]);
            if (_modelLive(i) && vendor != 0 && liveVendors & (1 << vendor) == 0) {
                liveVendors |= 1 << vendor;
                ++distinct;
            }
        }
        bytes memory proof = withZk ? zk.validProof(PROGRAM, epoch, root) : bytes("");
        try roots.submitRoot(epoch, root, sigs, proof) {
            ++finalizedByTee;
            modelRoot[epoch] = root;
            if (distinct < roots.minVendors()) _violation("TEE root finalized below k distinct live vendors");
        } catch {}
    }

    /// @dev DESIGN §2, written out independently of TeeVendors: TDX and SGX are Intel; a GPU is no enclave.
    function _modelEnclaveVendor(uint8 teeType) internal pure returns (uint8) {
        if (teeType == 1 || teeType == 5) return 1;
        if (teeType == 2 || teeType == 3) return teeType;
        return 0;
    }

    /// @notice 0 when finalizedRoot agrees with the model for every epoch (zero while disputed), else 1 + the
    /// first epoch that disagrees.
    function finalizedMismatch() public view returns (uint256) {
        for (uint64 e = 0; e < 8; ++e) {
            if (roots.finalizedRoot(e) != (modelDisputed[e] ? bytes32(0) : modelRoot[e])) return e + 1;
        }
        return 0;
    }

    /// @notice Fuzzed action: enclaves sign another root for an epoch and report it.
    function report(uint8 epochSeed, uint8 rootSeed, uint8 mask) public {
        // Mostly aimed at a finalized epoch and a root other than its own, so reports land often enough for
        // the same keys and roots to come back after a resume.
        uint64 epoch = epochSeed % 8;
        for (uint64 k = 0; k < 8 && modelRoot[epoch] == bytes32(0) && epochSeed % 5 != 0; ++k) {
            epoch = (epoch + 1) % 8;
        }
        bytes32 root = keccak256(abi.encode(rootSeed % 3));
        if (root == modelRoot[epoch] && rootSeed % 5 != 0) root = keccak256(abi.encode((rootSeed + 1) % 3));
        (bytes[] memory sigs,) = _sortedSigs(epoch, root, mask % 32);
        bool fresh = false;
        for (uint256 i = 0; i < 5; ++i) {
            bool unpunished = modelExpiry[i] != 0 && !modelRemoved[i] && !modelReported[i];
            if ((mask % 32) & (1 << i) != 0 && unpunished) fresh = true;
        }
        bool wasHalted = roots.halted();
        bool judged = modelJudged[epoch][root];
        try roots.reportConflict(epoch, root, sigs) {
            ++conflicts;
            if (!fresh) _violation("a removed or reported key reported a conflict");
            if (!wasHalted && roots.halted() && (judged || !fresh)) {
                _violation("a removed key or judged evidence halted again");
            }
            if (!judged) {
                conflictSinceResume = true;
                modelJudged[epoch][root] = true;
                modelDisputed[epoch] = true;
                if (!roots.halted()) _violation("new conflict accepted without halting");
            }
            for (uint256 i = 0; i < 5; ++i) {
                if ((mask % 32) & (1 << i) != 0) (modelRemoved[i], modelReported[i]) = (true, true);
            }
        } catch {
            if (fresh && root != modelRoot[epoch] && modelRoot[epoch] != bytes32(0) && (mask % 32) & (1 << 4) == 0) {
                _violation("a fresh registered key's conflict was refused");
            }
        }
    }

    /// @notice Fuzzed action: ZK-only finalization attempt.
    function submitZk(uint8 epochSeed, uint8 rootSeed) public {
        uint64 epoch = epochSeed % 8;
        bytes32 root = keccak256(abi.encode(rootSeed % 3));
        bool open = roots.halted() || block.timestamp >= roots.escapeOpensAt();
        try roots.submitZkRoot(epoch, root, zk.validProof(PROGRAM, epoch, root)) {
            if (!open && !modelDisputed[epoch]) _violation("ZK-only root while the escape hatch was closed");
            if (modelRoot[epoch] != bytes32(0) && !modelDisputed[epoch]) _violation("ZK replaced an undisputed root");
            // Settling judges the losing root: its signers are still removed when reported, without a new halt.
            if (modelDisputed[epoch] && root != modelRoot[epoch]) modelJudged[epoch][modelRoot[epoch]] = true;
            (modelRoot[epoch], modelDisputed[epoch]) = (root, false);
        } catch {}
    }

    /// @notice Fuzzed action: the governor resumes (rarely).
    function resume(uint256 seed) public {
        if (seed % 4 != 0) return;
        vm.prank(governor);
        try roots.resume() {
            conflictSinceResume = false;
        } catch {}
    }
}
