// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IGoverned} from "../interfaces/IGoverned.sol";

/// @title Governed
/// @notice AccessControl with one self-administered GOVERNOR_ROLE (a TimelockController in production).
/// @dev DEFAULT_ADMIN_ROLE is never granted: GOVERNOR_ROLE administers itself and every other role, so no key
/// outside the timelock can grant anything.
/// @custom:security-contact security@teezk.invalid
abstract contract Governed is AccessControl, IGoverned {
    /// @notice The role that changes configuration; held by a TimelockController in production.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    constructor(address governor) {
        if (governor == address(0)) revert ZeroAddress("governor");
        _setRoleAdmin(GOVERNOR_ROLE, GOVERNOR_ROLE);
        _grantRole(GOVERNOR_ROLE, governor);
    }
}
