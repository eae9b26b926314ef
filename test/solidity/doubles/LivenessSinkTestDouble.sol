// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {ILivenessEpochSink} from "../../../contracts/interfaces/ILivenessEpochSink.sol";
import {IMeasurementRegistry} from "../../../contracts/interfaces/IMeasurementRegistry.sol";

/// @notice Test double for a liveness sink that names any source and can be switched to revert on pushes, to show
/// what the MeasurementRegistry does with a sink that misbehaves (it never skips one).
contract LivenessSinkTestDouble is ILivenessEpochSink {
    IMeasurementRegistry public immutable source;
    bool public reverting;
    /// @dev Gas each push burns, to stand for a sink that needs most of its notice allowance.
    uint256 public gasToBurn;
    uint64 public mirroredLivenessEpoch = type(uint64).max;
    uint256 public pushes;

    constructor(IMeasurementRegistry source_) {
        source = source_;
    }

    function setReverting(bool reverting_) external {
        reverting = reverting_;
    }

    function setGasToBurn(uint256 gasToBurn_) external {
        gasToBurn = gasToBurn_;
    }

    function mirrorLivenessEpoch(uint64 epoch) external {
        require(!reverting, "LivenessSinkTestDouble: reverting");
        uint256 start = gasleft();
        while (start - gasleft() < gasToBurn) {}
        mirroredLivenessEpoch = epoch;
        ++pushes;
    }

    function livenessEpochSource() external view returns (IMeasurementRegistry) {
        return source;
    }
}
