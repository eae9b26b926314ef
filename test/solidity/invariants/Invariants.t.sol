// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TeezkBase} from "../utils/TeezkBase.sol";
import {ReceiptVerifier} from "../../../contracts/receipts/ReceiptVerifier.sol";
import {BatchReceipts} from "../../../contracts/receipts/BatchReceipts.sol";
import {TeeQuorumRoots} from "../../../contracts/multiprover/TeeQuorumRoots.sol";
import {RootProofVerifierTestDouble} from "../doubles/RootProofVerifierTestDouble.sol";
import {ReceiptsHandler, RootsHandler} from "./Handlers.sol";

/// @notice Invariants (1) receipts, single or batched, only from live, allowed signers, (4) only the governor
/// allows, the guardian only revokes, (5) the registry's cached liveness always equals the full check, and (6) a
/// batched receipt is consumed at most once per consumer, whatever batch carries it.
contract ReceiptInvariantsTest is TeezkBase {
    ReceiptsHandler internal handler;

    function setUp() public override {
        super.setUp();
        ReceiptVerifier receipts = new ReceiptVerifier(enclaves);
        BatchReceipts batches = new BatchReceipts(enclaves);
        handler = new ReceiptsHandler(
            measurements, enclaves, committee, governor, guardian, [nodeKeys[0], nodeKeys[1]], receipts, batches
        );
        vm.startPrank(governor);
        enclaves.grantRole(REMOVER_ROLE, guardian);
        // Wired as in the deployment, so batch inclusions take the cached path whenever it applies.
        measurements.addLivenessSink(address(batches));
        vm.stopPrank();
        // Start with every registrable key live, so that several live signers submit the same batch roots early in
        // each run (the case where a root-only key let the first submission block the others).
        for (uint256 i = 0; i < 4; ++i) handler.register(i);
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 32
    function invariant_NoReceiptFromNonLiveSigner() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
    }

    /// @dev isLive and liveTeeType answer from a cache while the liveness epoch stands; an independent model of
    /// expiries, windows, revocations and removals must agree with them after every action.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 32
    function invariant_LivenessEqualsModel() public view {
        assertEq(handler.livenessMismatch(), 0, "isLive disagrees with the model for key index (+1)");
    }

    /// @dev Issue 12 item 8: the same receipt put into several batches, under several signers, is still one
    /// receipt for each consumer.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 32
    function invariant_ReceiptConsumedAtMostOncePerConsumerAcrossBatches() public view {
        assertEq(handler.doubleConsumptions(), 0, "a consumer consumed the same batched receipt twice");
    }
}

/// @notice Invariants (2) k distinct vendors per TEE-path root, (3) a new conflict always halts and disputes its
/// epoch, a removed key or judged evidence never halts, and a disputed root never reads as final.
contract RootInvariantsTest is TeezkBase {
    RootsHandler internal handler;
    TeeQuorumRoots internal roots;

    function setUp() public override {
        super.setUp();
        RootProofVerifierTestDouble zk = new RootProofVerifierTestDouble();
        roots = new TeeQuorumRoots(governor, enclaves, zk, PROGRAM, 2, 1 days);
        handler = new RootsHandler(
            measurements, enclaves, committee, governor, guardian, [nodeKeys[0], nodeKeys[1]], roots, zk
        );
        vm.prank(governor);
        enclaves.grantRole(REMOVER_ROLE, address(roots));
        for (uint256 i = 0; i < 4; ++i) handler.register(i);
        targetContract(address(handler));
    }

    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 32
    function invariant_NoRootBelowKDistinctVendorsAndConflictsHalt() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(handler.finalizedMismatch(), 0, "finalizedRoot disagrees with the model for epoch (+1)");
        if (handler.conflictSinceResume()) assertTrue(roots.halted(), "halted after a conflict until resumed");
        assertEq(handler.livenessMismatch(), 0, "isLive disagrees with the model for key index (+1)");
    }
}
