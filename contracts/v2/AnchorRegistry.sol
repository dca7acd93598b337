// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title AnchorRegistry (registry version 2)
/// @notice Stores one commitment per siteledger batch, over its RFC 9162 entries root, its head-map
///         root, its seq range and the block that anchored it; enforces that batches cover the
///         log's sequence numbers contiguously; checks claimed batches and inclusion proofs.
/// @dev A batch `b` covers the log entries with seq in `[firstSeq, firstSeq + size)`. Batches are
///      numbered from 0; batch 0 starts at seq 0 and every later batch starts where the previous
///      one ended, so the contract alone proves that no entry falls between two batches.
///
///      The commitment of a batch is
///        keccak256(abi.encode(root, headsRoot, firstSeq, size, block.number, block.timestamp))
///      (six 32-byte words; the integers are left-padded with zeros). Nothing else is stored per
///      batch, so an anchor writes exactly one fresh slot. The `Anchored` event carries every
///      argument, its log's block gives the number and time, and a claimed batch (from the event or from a bundle) is checked by recomputing the
///      commitment (`checkBatch`, `verifyInclusion`).
///
///      Storage layout (see docs/contract.md for the gas arithmetic behind it):
///        slot 0  `_head`        bits   0..63  next batch number (= number of batches anchored)
///                               bits  64..127 next seq (= end of the last batch, exclusive)
///                               bit  128      always 1, so the slot is never zero and the first
///                                             anchor pays a nonzero->nonzero write, not 0->nonzero
///        slot 1  `admin` (bits 0..159), `deploymentBlock` (bits 160..223)
///        slot 2  `_anchorers`   mapping(address => bool)
///        slot 3  `_commitments` mapping(uint64 => bytes32), the batch commitments
///      Slots from 4 on are unused; a later version (witness co-signatures) appends its state
///      there and anchors through the same `_store`, so the commitment, the `Anchored` event and
///      every view below keep their meaning.
///
///      Merkle hashing follows RFC 9162 section 2.1: a node is SHA-256(0x01 || left || right),
///      computed with the SHA-256 precompile; leaf hashes (SHA-256(0x00 || entry)) are computed
///      off-chain and passed in.
contract AnchorRegistry {
    /// @notice A batch as someone claims it was anchored: its fields and the anchoring block.
    /// @param batchNo Batch number.
    /// @param firstSeq First seq in the batch.
    /// @param size Number of entries (>= 1), also the Merkle tree size.
    /// @param root RFC 9162 Merkle tree head of the batch's entries.
    /// @param headsRoot Root of the head map after the batch.
    /// @param blockNumber Number of the block whose transaction anchored the batch.
    /// @param blockTime `block.timestamp` of that block.
    struct BatchClaim {
        uint64 batchNo;
        uint64 firstSeq;
        uint64 size;
        bytes32 root;
        bytes32 headsRoot;
        uint64 blockNumber;
        uint64 blockTime;
    }

    uint256 private constant _HEAD_MARKER = 1 << 128;
    uint256 private constant _U64 = type(uint64).max;

    uint256 private _head;

    /// @notice The account that may grant and revoke the anchorer role and transfer this role.
    address public admin;

    /// @notice Block number in which this contract was deployed; chain readers start scanning
    ///         `Anchored` logs here. (A storage variable, not an immutable, so that the code on
    ///         chain is byte for byte the `deployedBytecode` of the artifact.)
    uint64 public deploymentBlock;

    mapping(address => bool) private _anchorers;
    mapping(uint64 => bytes32) private _commitments;

    /// @notice Batch `batchNo` covering seq `[firstSeq, firstSeq + size)` was anchored with
    ///         entries root `root` and head-map root `headsRoot`. With the number and timestamp of
    ///         the block that holds this log (part of every log's location on chain), these are
    ///         every input of the batch's commitment.
    /// @param batchNo Batch number, consecutive from 0.
    /// @param firstSeq First seq in the batch.
    /// @param size Number of entries in the batch (>= 1), which is also the Merkle tree size.
    /// @param root RFC 9162 Merkle tree head of the batch.
    /// @param headsRoot Root of the head map after the batch.
    event Anchored(uint64 indexed batchNo, uint64 firstSeq, uint64 size, bytes32 root, bytes32 headsRoot);

    /// @notice `account` was given the anchorer role by the admin.
    event AnchorerGranted(address indexed account);

    /// @notice `account` lost the anchorer role.
    event AnchorerRevoked(address indexed account);

    /// @notice The admin role moved from `previousAdmin` to `newAdmin`.
    event AdminTransferred(address indexed previousAdmin, address indexed newAdmin);

    /// @notice `anchor` was called with batch number `got`; the next batch number is `want`.
    error WrongBatchNo(uint64 got, uint64 want);

    /// @notice `anchor` was called with first seq `got`; the previous batch ended at `want`.
    error WrongFirstSeq(uint64 got, uint64 want);

    /// @notice `anchor` was called with size 0.
    error EmptyBatch();

    /// @notice `firstSeq + size` does not fit in a uint64.
    error SeqOverflow(uint64 firstSeq, uint64 size);

    /// @notice `account` called `anchor` without holding the anchorer role.
    error NotAnchorer(address account);

    /// @notice `account` called an admin-only function.
    error NotAdmin(address account);

    /// @notice The zero address was given where an account is required.
    error ZeroAddress();

    /// @notice Batch `batchNo` has not been anchored.
    error UnknownBatch(uint64 batchNo);

    /// @notice An inclusion proof names leaf `index` of a tree of only `size` leaves.
    error IndexOutOfRange(uint64 index, uint64 size);

    /// @notice An inclusion proof has `got` hashes; the leaf index and tree size require `want`.
    error WrongProofLength(uint256 got, uint256 want);

    /// @notice Makes the deployer the admin and an anchorer.
    constructor() {
        _head = _HEAD_MARKER;
        admin = msg.sender;
        deploymentBlock = uint64(block.number);
        _anchorers[msg.sender] = true;
        emit AdminTransferred(address(0), msg.sender);
        emit AnchorerGranted(msg.sender);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        _;
    }

    /// @notice The registry version: 2 (commitment per batch, head-map roots). Version 1 has no
    ///         such function.
    /// @return Always 2.
    function registryVersion() external pure returns (uint256) {
        return 2;
    }

    // ---------------------------------------------------------------- roles

    /// @notice Gives `account` the anchorer role. Admin only; granting a holder again is a no-op.
    /// @param account The account that may call `anchor` from now on.
    function grantAnchorer(address account) external onlyAdmin {
        if (account == address(0)) revert ZeroAddress();
        if (!_anchorers[account]) {
            _anchorers[account] = true;
            emit AnchorerGranted(account);
        }
    }

    /// @notice Takes the anchorer role from `account`. Admin only; revoking a non-holder is a no-op.
    /// @param account The account that may no longer call `anchor`.
    function revokeAnchorer(address account) external onlyAdmin {
        if (_anchorers[account]) {
            _anchorers[account] = false;
            emit AnchorerRevoked(account);
        }
    }

    /// @notice Hands the admin role to `newAdmin` in one step. Admin only. The caller loses the
    ///         admin role at once, but keeps the anchorer role if it has one.
    /// @param newAdmin The new admin; must not be the zero address.
    function transferAdmin(address newAdmin) external onlyAdmin {
        if (newAdmin == address(0)) revert ZeroAddress();
        emit AdminTransferred(msg.sender, newAdmin);
        admin = newAdmin;
    }

    /// @notice Whether `account` holds the anchorer role.
    /// @param account The account to look up.
    /// @return True if `account` may call `anchor`.
    function isAnchorer(address account) external view returns (bool) {
        return _anchorers[account];
    }

    // ---------------------------------------------------------------- anchoring

    /// @notice Anchors batch `batchNo`, covering seq `[firstSeq, firstSeq + size)`, with its
    ///         entries root and head-map root.
    /// @dev Requires the anchorer role, `batchNo == batchCount()`, `firstSeq == nextSeq()` and
    ///      `size >= 1`. Replaying an anchor therefore fails with `WrongBatchNo`. Gas does not
    ///      depend on `size` or on how many batches came before.
    /// @param batchNo The next batch number (batches start at 0).
    /// @param firstSeq The seq at which the previous batch ended (0 for batch 0).
    /// @param size Number of entries in the batch; also the tree size used by `verifyInclusion`.
    /// @param root RFC 9162 Merkle tree head of the batch's entries, in seq order.
    /// @param headsRoot Root of the head map after applying the batch's entries.
    function anchor(uint64 batchNo, uint64 firstSeq, uint64 size, bytes32 root, bytes32 headsRoot) external {
        if (!_anchorers[msg.sender]) revert NotAnchorer(msg.sender);
        _store(batchNo, firstSeq, size, root, headsRoot);
    }

    // ---------------------------------------------------------------- views

    /// @notice Number of batches anchored so far, which is also the next batch number.
    /// @return The number of anchored batches.
    function batchCount() external view returns (uint64) {
        return uint64(_head);
    }

    /// @notice The seq at which the next batch must start (the exclusive end of the last batch).
    /// @return The first seq of the next batch.
    function nextSeq() external view returns (uint64) {
        return uint64(_head >> 64);
    }

    /// @notice The stored commitment of an anchored batch. Reverts with `UnknownBatch` otherwise.
    /// @param batchNo The batch number.
    /// @return keccak256(abi.encode(root, headsRoot, firstSeq, size, blockNumber, blockTime)).
    function commitmentOf(uint64 batchNo) external view returns (bytes32) {
        return _commitment(batchNo);
    }

    /// @notice The commitment of the given batch fields, as `anchor` computes it.
    /// @param root RFC 9162 Merkle tree head of the batch.
    /// @param headsRoot Root of the head map after the batch.
    /// @param firstSeq First seq in the batch.
    /// @param size Number of entries in the batch.
    /// @param blockNumber Number of the anchoring block.
    /// @param blockTime `block.timestamp` of the anchoring block.
    /// @return The commitment; compare it with `commitmentOf(batchNo)`.
    function commitmentFor(
        bytes32 root,
        bytes32 headsRoot,
        uint64 firstSeq,
        uint64 size,
        uint64 blockNumber,
        uint64 blockTime
    ) external pure returns (bytes32) {
        return keccak256(abi.encode(root, headsRoot, firstSeq, size, blockNumber, blockTime));
    }

    /// @notice Whether `claim` is exactly the batch the contract anchored under `claim.batchNo`:
    ///         same seq range, entries root, head-map root, anchoring block number and time.
    /// @dev Reverts with `UnknownBatch` if `claim.batchNo` is not anchored; returns false for any
    ///      field that differs (which one is not said: the commitment binds them all).
    /// @param claim The claimed batch.
    /// @return True if and only if the claim's commitment equals the stored one.
    function checkBatch(BatchClaim calldata claim) external view returns (bool) {
        return _claimHolds(claim);
    }

    // ---------------------------------------------------------------- inclusion proofs

    /// @notice Checks a claimed batch against the stored commitment, then an RFC 9162
    ///         (section 2.1.3.2) inclusion proof against the claim's root and size.
    /// @dev Reverts with `UnknownBatch` for a batch that is not anchored; a claim that does not
    ///      match the commitment, and any proof that does not verify (index out of range, wrong
    ///      length, wrong hashes), return false. `index` is the leaf's position inside the batch,
    ///      i.e. `seq - claim.firstSeq`.
    /// @param claim The batch that is claimed to contain the leaf, with its anchoring block.
    /// @param index Position of the leaf in the batch, `0 <= index < claim.size`.
    /// @param leafHash SHA-256(0x00 || entry), computed off-chain.
    /// @param proof The inclusion path, from the leaf's sibling up to the root's child.
    /// @return True if and only if the claim is the anchored batch and the proof leads from
    ///         `leafHash` to its root.
    function verifyInclusion(BatchClaim calldata claim, uint64 index, bytes32 leafHash, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        if (!_claimHolds(claim)) return false;
        uint64 size = claim.size;
        if (index >= size || proof.length != _proofLength(index, size)) return false;
        return _rootFromPath(leafHash, index, size, proof) == claim.root;
    }

    /// @notice Computes the tree head that an RFC 9162 inclusion proof leads to.
    /// @dev Pure, so it checks proofs against any root (the RFC 6962 test vectors use this).
    ///      Reverts with `IndexOutOfRange` if `index >= size` and with `WrongProofLength` if the
    ///      proof does not have exactly the length that `index` and `size` determine.
    /// @param leafHash SHA-256(0x00 || entry).
    /// @param index Position of the leaf, `0 <= index < size`.
    /// @param size Number of leaves in the tree.
    /// @param proof The inclusion path, from the leaf's sibling up to the root's child.
    /// @return The root that the proof implies; compare it with a trusted root.
    function rootFromInclusion(bytes32 leafHash, uint64 index, uint64 size, bytes32[] calldata proof)
        external
        pure
        returns (bytes32)
    {
        if (index >= size) revert IndexOutOfRange(index, size);
        uint256 want = _proofLength(index, size);
        if (proof.length != want) revert WrongProofLength(proof.length, want);
        return _rootFromPath(leafHash, index, size, proof);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Checks contiguity, advances the head, stores the commitment and emits `Anchored`.
    ///      The caller has checked who may anchor. The checks run in this order: batch number,
    ///      first seq, size, overflow.
    function _store(uint64 batchNo, uint64 firstSeq, uint64 size, bytes32 root, bytes32 headsRoot) private {
        uint256 head = _head;
        uint64 wantBatchNo = uint64(head);
        uint64 wantFirstSeq = uint64(head >> 64);
        if (batchNo != wantBatchNo) revert WrongBatchNo(batchNo, wantBatchNo);
        if (firstSeq != wantFirstSeq) revert WrongFirstSeq(firstSeq, wantFirstSeq);
        if (size == 0) revert EmptyBatch();
        uint256 end = uint256(firstSeq) + size;
        if (end > _U64) revert SeqOverflow(firstSeq, size);

        // batchNo + 1 cannot overflow in practice (2^64 anchors); checked arithmetic reverts if it does.
        _head = _HEAD_MARKER | (end << 64) | uint256(batchNo + 1);
        _commitments[batchNo] = keccak256(abi.encode(root, headsRoot, firstSeq, size, block.number, block.timestamp));
        emit Anchored(batchNo, firstSeq, size, root, headsRoot);
    }

    function _commitment(uint64 batchNo) private view returns (bytes32) {
        if (batchNo >= uint64(_head)) revert UnknownBatch(batchNo);
        return _commitments[batchNo];
    }

    function _claimHolds(BatchClaim calldata c) private view returns (bool) {
        bytes32 stored = _commitment(c.batchNo);
        return stored == keccak256(abi.encode(c.root, c.headsRoot, c.firstSeq, c.size, c.blockNumber, c.blockTime));
    }

    /// @dev Length of the inclusion path of leaf `index` in a tree of `size` leaves; requires
    ///      `index < size`. The path has one hash per level where the leaf's and the last leaf's
    ///      paths differ (the bit length of `index ^ (size - 1)`), plus one per left turn above
    ///      that level (the set bits of `index` above it).
    function _proofLength(uint64 index, uint64 size) private pure returns (uint256 n) {
        uint64 diff = index ^ (size - 1);
        uint256 inner;
        while (diff != 0) {
            diff >>= 1;
            ++inner;
        }
        uint64 border = index >> inner; // a shift by 64 or more gives 0
        n = inner;
        while (border != 0) {
            n += border & 1;
            border >>= 1;
        }
    }

    /// @dev RFC 9162 section 2.1.3.2, step 2 to 4: requires `index < size` and a proof of the
    ///      length `_proofLength(index, size)`, under which the final `sn` is always 0 (step 5).
    function _rootFromPath(bytes32 leafHash, uint64 index, uint64 size, bytes32[] calldata proof)
        private
        pure
        returns (bytes32 r)
    {
        uint64 fn = index;
        uint64 sn = size - 1;
        r = leafHash;
        uint256 n = proof.length;
        for (uint256 i; i < n; ++i) {
            bytes32 p = proof[i];
            if ((fn & 1) == 1 || fn == sn) {
                r = _node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = _node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        assert(sn == 0);
    }

    function _node(bytes32 left, bytes32 right) private pure returns (bytes32) {
        return sha256(abi.encodePacked(bytes1(0x01), left, right));
    }
}
