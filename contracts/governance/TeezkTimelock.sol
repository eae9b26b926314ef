// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title TeezkTimelock
/// @notice The governor of every teezk contract: OpenZeppelin's TimelockController, unchanged, compiled here so
/// deployments have its artifact.
/// @dev Deploy with `admin = address(0)` so the timelock administers itself and no key can bypass the delay.
/// @custom:security-contact security@teezk.invalid
contract TeezkTimelock is TimelockController {
    /// @notice See TimelockController.
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
