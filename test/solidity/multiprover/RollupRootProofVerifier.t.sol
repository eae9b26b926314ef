// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IMultiProverRoots} from "../../../contracts/interfaces/IMultiProverRoots.sol";
import {IRollupGroth16Verifier} from "../../../contracts/interfaces/IRollupGroth16Verifier.sol";
import {IRollupRootProofVerifier} from "../../../contracts/interfaces/IRollupRootProofVerifier.sol";
import {MultiProverRoots} from "../../../contracts/multiprover/MultiProverRoots.sol";
import {RollupRootProofVerifier} from "../../../contracts/multiprover/RollupRootProofVerifier.sol";
import {TeeAndZkQuorumRoots} from "../../../contracts/multiprover/TeeAndZkQuorumRoots.sol";
import {TeeQuorumRoots} from "../../../contracts/multiprover/TeeQuorumRoots.sol";
import {RollupGroth16VerifierTestDouble} from "../doubles/RollupGroth16VerifierTestDouble.sol";
import {MultiProverBase} from "./MultiProverRoots.t.sol";

/// @notice The rollup ZK leg's bindings, attacked with proofs that verify for some other statement: another
/// epoch, another (unfinalized, losing or disputed) previous root, another program. The Groth16 check itself is a
/// double here (it accepts exactly the public signals a proof names); real proofs: RollupGroth16Verifier.test.ts.
abstract contract RollupRootsBase is MultiProverBase {
    bytes32 internal constant GENESIS = bytes32(uint256(0x6e6e));
    bytes32 internal constant R1 = bytes32(uint256(0x1111));
    bytes32 internal constant R2 = bytes32(uint256(0x2222));
    bytes32 internal constant OTHER = bytes32(uint256(0x0bad));
    RollupGroth16VerifierTestDouble internal groth16;
    RollupRootProofVerifier internal rollupZk;

    function _deployRoots(RollupRootProofVerifier verifier) internal virtual returns (MultiProverRoots);

    function _deploy() internal override returns (MultiProverRoots) {
        groth16 = new RollupGroth16VerifierTestDouble();
        rollupZk = new RollupRootProofVerifier(groth16, PROGRAM, GENESIS);
        return _deployRoots(rollupZk);
    }
}

contract RollupRootProofVerifierTest is RollupRootsBase {
    function _deployRoots(RollupRootProofVerifier verifier) internal override returns (MultiProverRoots) {
        return new TeeAndZkQuorumRoots(governor, enclaves, verifier, PROGRAM, 2, ESCAPE);
    }

    function test_submitRoot_FinalizesEpochsChainedFromGenesis() public {
        roots.submitRoot(1, R1, _sigs(1, R1, _idx(0, 2)), groth16.proofOf(R1, GENESIS, 1));
        roots.submitRoot(2, R2, _sigs(2, R2, _idx(0, 2)), groth16.proofOf(R2, R1, 2));
        assertEq(roots.finalizedRoot(2), R2, "epoch 2 finalized on epoch 1's root");
        assertEq(rollupZk.previousRoot(address(roots), 3), R2, "epoch 3 must start from epoch 2's root");
    }

    function test_submitRoot_RevertWhen_ProofIsForAnotherEpoch() public {
        bytes[] memory sigs = _sigs(1, R1, _idx(0, 2));
        bytes memory epoch2Proof = groth16.proofOf(R1, GENESIS, 2);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(1), R1));
        roots.submitRoot(1, R1, sigs, epoch2Proof);
    }

    /// @dev The right transition from the finalized root, proven under another epoch number: the epoch is a
    /// public signal of its own, not implied by the previous root.
    function test_submitRoot_RevertWhen_ProofOfTheNextTransitionNamesAnotherEpoch() public {
        roots.submitRoot(1, R1, _sigs(1, R1, _idx(0, 2)), groth16.proofOf(R1, GENESIS, 1));
        bytes[] memory sigs = _sigs(2, R2, _idx(0, 2));
        bytes memory stampedEpoch1 = groth16.proofOf(R2, R1, 1);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitRoot(2, R2, sigs, stampedEpoch1);
        bytes memory stampedEpoch3 = groth16.proofOf(R2, R1, 3);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitRoot(2, R2, sigs, stampedEpoch3);
    }

    function test_submitRoot_RevertWhen_ProofStartsFromAnotherPreviousRoot() public {
        roots.submitRoot(1, R1, _sigs(1, R1, _idx(0, 2)), groth16.proofOf(R1, GENESIS, 1));
        bytes[] memory sigs = _sigs(2, R2, _idx(0, 2));
        // Built on a root that was never finalized for epoch 1 (a sequencer's fork, say).
        bytes memory forked = groth16.proofOf(R2, OTHER, 2);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitRoot(2, R2, sigs, forked);
        // Built on the genesis: a valid transition, but not from the finalized previous root.
        bytes memory fromGenesis = groth16.proofOf(R2, GENESIS, 2);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitRoot(2, R2, sigs, fromGenesis);
    }

    function test_submitRoot_RevertWhen_PreviousEpochNotFinalized() public {
        bytes[] memory sigs = _sigs(2, R2, _idx(0, 2));
        bytes memory onZero = groth16.proofOf(R2, bytes32(0), 2);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitRoot(2, R2, sigs, onZero);
    }

    function test_verifyRootProof_FalseWhen_OtherProgramMalformedProofOrEpochZero() public view {
        bytes memory proof = groth16.proofOf(R1, GENESIS, 1);
        assertTrue(rollupZk.verifyRootProof(PROGRAM, 1, R1, proof), "epoch 1 from genesis");
        assertFalse(rollupZk.verifyRootProof(keccak256("other program"), 1, R1, proof), "other program");
        assertFalse(rollupZk.verifyRootProof(PROGRAM, 1, R1, bytes.concat(proof, hex"00")), "trailing byte");
        assertFalse(rollupZk.verifyRootProof(PROGRAM, 1, R1, ""), "empty");
        assertFalse(rollupZk.verifyRootProof(PROGRAM, 0, R1, groth16.proofOf(R1, bytes32(0), 0)), "epoch 0 is the genesis");
        // This test contract has no finalizedRoot: the previous root reads as zero, so nothing past epoch 1 verifies.
        assertFalse(rollupZk.verifyRootProof(PROGRAM, 2, R2, groth16.proofOf(R2, bytes32(0), 2)), "caller without history");
    }

    function test_constructor_RevertWhen_Misconfigured() public {
        vm.expectRevert(IRollupRootProofVerifier.RollupVerifierMisconfigured.selector);
        new RollupRootProofVerifier(IRollupGroth16Verifier(address(0)), PROGRAM, GENESIS);
        vm.expectRevert(IRollupRootProofVerifier.RollupVerifierMisconfigured.selector);
        new RollupRootProofVerifier(groth16, bytes32(0), GENESIS);
        vm.expectRevert(IRollupRootProofVerifier.RollupVerifierMisconfigured.selector);
        new RollupRootProofVerifier(groth16, PROGRAM, bytes32(0));
    }
}

contract RollupRootProofVerifierDisputeTest is RollupRootsBase {
    function _deployRoots(RollupRootProofVerifier verifier) internal override returns (MultiProverRoots) {
        return new TeeQuorumRoots(governor, enclaves, verifier, PROGRAM, 2, ESCAPE);
    }

    /// @dev A disputed epoch reads zero, so the next epoch cannot be proven on either of its roots until a proof
    /// of the disputed epoch itself settles it.
    function test_submitZkRoot_RevertWhen_PreviousEpochDisputed() public {
        roots.submitRoot(1, R1, _sigs(1, R1, _idx(0, 2)), "");
        roots.reportConflict(1, OTHER, _sigs(1, OTHER, _idx1(3)));
        bytes memory onHonest = groth16.proofOf(R2, R1, 2);
        bytes memory onConflicting = groth16.proofOf(R2, OTHER, 2);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitZkRoot(2, R2, onHonest);
        vm.expectRevert(abi.encodeWithSelector(IMultiProverRoots.InvalidZkProof.selector, uint64(2), R2));
        roots.submitZkRoot(2, R2, onConflicting);

        roots.submitZkRoot(1, R1, groth16.proofOf(R1, GENESIS, 1));
        roots.submitZkRoot(2, R2, groth16.proofOf(R2, R1, 2));
        assertEq(roots.finalizedRoot(2), R2, "epoch 2 proven on the settled root");
    }
}
