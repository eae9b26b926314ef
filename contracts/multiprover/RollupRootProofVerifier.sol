// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {IMultiProverRoots} from "../interfaces/IMultiProverRoots.sol";
import {IRollupGroth16Verifier} from "../interfaces/IRollupGroth16Verifier.sol";
import {IRollupRootProofVerifier} from "../interfaces/IRollupRootProofVerifier.sol";
import {IRootProofVerifier} from "../interfaces/IRootProofVerifier.sol";

/// @title RollupRootProofVerifier
/// @notice The ZK leg of a MultiProverRoots for the teezk rollup (circuits/rollup.circom): a root for `epoch` is
/// proven when a Groth16 proof shows a valid batch taking the previous epoch's FINALIZED root to it. The proof's
/// public signals are [root, previousRoot, epoch], so a proof for another epoch or built on another previous root
/// (an unfinalized, disputed or losing one) does not verify.
/// @dev The previous root is read from the caller, `IMultiProverRoots(msg.sender).finalizedRoot(epoch - 1)`: the
/// roots contract takes this verifier as an immutable constructor argument, so this verifier cannot name it
/// without a set-once initializer. A caller that is not a MultiProverRoots gets an answer about its own history
/// only (or false). Caller responsibilities: finalize epochs in order; a disputed previous epoch reads zero, so it
/// must be settled before the next one can be proven.
/// @custom:security-contact security@teezk.invalid
contract RollupRootProofVerifier is IRollupRootProofVerifier {
    /// @notice abi.encode(uint256[2] a, uint256[2][2] b, uint256[2] c): the only proof encoding accepted.
    uint256 public constant PROOF_LENGTH = 256;

    IRollupGroth16Verifier private immutable _groth16Verifier;
    bytes32 private immutable _programId;
    bytes32 private immutable _genesisRoot;

    /// @param groth16Verifier_ The generated verifier of circuits/rollup.circom.
    /// @param programId_ The program id of the MultiProverRoots this verifier serves.
    /// @param genesisRoot_ The rollup's state root before epoch 1.
    constructor(IRollupGroth16Verifier groth16Verifier_, bytes32 programId_, bytes32 genesisRoot_) {
        if (address(groth16Verifier_) == address(0) || programId_ == bytes32(0) || genesisRoot_ == bytes32(0)) {
            revert RollupVerifierMisconfigured();
        }
        _groth16Verifier = groth16Verifier_;
        _programId = programId_;
        _genesisRoot = genesisRoot_;
    }

    /// @inheritdoc IRollupRootProofVerifier
    function groth16Verifier() external view returns (IRollupGroth16Verifier) {
        return _groth16Verifier;
    }

    /// @inheritdoc IRollupRootProofVerifier
    function programId() external view returns (bytes32) {
        return _programId;
    }

    /// @inheritdoc IRollupRootProofVerifier
    function genesisRoot() external view returns (bytes32) {
        return _genesisRoot;
    }

    /// @inheritdoc IRollupRootProofVerifier
    function previousRoot(address caller, uint64 epoch) public view returns (bytes32) {
        if (epoch == 0) return bytes32(0);
        if (epoch == 1) return _genesisRoot;
        // A low-level call: an EOA or a contract without finalizedRoot reads as "nothing finalized", not a revert.
        (bool ok, bytes memory answer) =
            caller.staticcall(abi.encodeCall(IMultiProverRoots.finalizedRoot, (epoch - 1)));
        if (!ok || answer.length != 32) return bytes32(0);
        return abi.decode(answer, (bytes32));
    }

    /// @inheritdoc IRootProofVerifier
    /// @dev False (never a revert) for another program, a malformed proof, an unfinalized or disputed previous
    /// epoch, a root or previous root outside the scalar field, or a proof that does not verify.
    function verifyRootProof(bytes32 programId_, uint64 epoch, bytes32 root, bytes calldata proof)
        external
        view
        returns (bool)
    {
        if (programId_ != _programId || proof.length != PROOF_LENGTH) return false;
        bytes32 previous = previousRoot(msg.sender, epoch);
        if (previous == bytes32(0)) return false;
        (uint256[2] memory a, uint256[2][2] memory b, uint256[2] memory c) =
            abi.decode(proof, (uint256[2], uint256[2][2], uint256[2]));
        return _groth16Verifier.verifyProof(a, b, c, [uint256(root), uint256(previous), uint256(epoch)]);
    }
}
