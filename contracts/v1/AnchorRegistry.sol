// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title AnchorRegistry
/// @notice Stores the RFC 9162 Merkle root of each siteledger batch, enforces that batches cover the
///         log's sequence numbers contiguously, and verifies inclusion proofs on-chain.
/// @dev A batch `b` covers the log entries with seq in `[firstSeq, firstSeq + size)`. Batches are
///      numbered from 0; batch 0 starts at seq 0 and every later batch starts where the previous
///      one ended, so the contract alone proves that no entry falls between two batches.
///
///      Storage layout (see docs/contract.md for the gas arithmetic behind it):
///        slot 0  `_head`        bits   0..63  next batch number (= number of batches anchored)
///                               bits  64..127 next seq (= end of the last batch, exclusive)
///                               bit  128      always 1, so the slot is never zero and the first
///                                             anchor pays a nonzero->nonzero write, not 0->nonzero
///        slot 1  `admin` (bits 0..159), `deploymentBlock` (bits 160..223)
///        slot 2  `_anchorers`   mapping(address => bool)
///        slot 3  `_batches`     mapping(uint64 => Batch); per batch two consecutive slots:
///                               `root` (full 32 bytes) and `meta`:
///                               bits   0..63  firstSeq
///                               bits  64..127 size
///                               bits 128..191 anchoredAt (block.timestamp)
///                               bits 192..255 blockNumber (block.number)
///
///      Merkle hashing follows RFC 9162 section 2.1: a node is SHA-256(0x01 || left || right),
///      computed with the SHA-256 precompile; leaf hashes (SHA-256(0x00 || entry)) are computed
///      off-chain and passed in.
contract AnchorRegistry {
    struct Batch {
        bytes32 root;
        uint256 meta;
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
    mapping(uint64 => Batch) private _batches;

    /// @notice Batch `batchNo` covering seq `[firstSeq, firstSeq + size)` was anchored with `root`.
    /// @param batchNo Batch number, consecutive from 0.
    /// @param firstSeq First seq in the batch.
    /// @param size Number of entries in the batch (>= 1), which is also the Merkle tree size.
    /// @param root RFC 9162 Merkle tree head of the batch.
    event Anchored(uint64 indexed batchNo, uint64 firstSeq, uint64 size, bytes32 root);

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

    /// @notice Anchors the Merkle root of batch `batchNo`, covering seq `[firstSeq, firstSeq + size)`.
    /// @dev Requires the anchorer role, `batchNo == batchCount()`, `firstSeq == nextSeq()` and
    ///      `size >= 1`. Replaying an anchor therefore fails with `WrongBatchNo`. Gas does not
    ///      depend on `size` or on how many batches came before.
    /// @param batchNo The next batch number (batches start at 0).
    /// @param firstSeq The seq at which the previous batch ended (0 for batch 0).
    /// @param size Number of entries in the batch; also the tree size used by `verifyInclusion`.
    /// @param root RFC 9162 Merkle tree head of the batch's entries, in seq order.
    function anchor(uint64 batchNo, uint64 firstSeq, uint64 size, bytes32 root) external {
        if (!_anchorers[msg.sender]) revert NotAnchorer(msg.sender);
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
        Batch storage b = _batches[batchNo];
        b.root = root;
        b.meta = uint256(firstSeq) | (uint256(size) << 64) | (uint256(uint64(block.timestamp)) << 128)
            | (uint256(uint64(block.number)) << 192);
        emit Anchored(batchNo, firstSeq, size, root);
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

    /// @notice The Merkle root of an anchored batch. Reverts with `UnknownBatch` otherwise.
    /// @param batchNo The batch number.
    /// @return The batch's RFC 9162 tree head.
    function rootOf(uint64 batchNo) external view returns (bytes32) {
        return _batch(batchNo).root;
    }

    /// @notice The seq range of an anchored batch. Reverts with `UnknownBatch` otherwise.
    /// @param batchNo The batch number.
    /// @return firstSeq First seq in the batch.
    /// @return size Number of entries in the batch.
    function batchRange(uint64 batchNo) external view returns (uint64 firstSeq, uint64 size) {
        uint256 meta = _batch(batchNo).meta;
        return (uint64(meta), uint64(meta >> 64));
    }

    /// @notice Everything stored about an anchored batch. Reverts with `UnknownBatch` otherwise.
    /// @param batchNo The batch number.
    /// @return root The batch's RFC 9162 tree head.
    /// @return firstSeq First seq in the batch.
    /// @return size Number of entries in the batch.
    /// @return anchoredAt `block.timestamp` of the block that anchored the batch.
    /// @return blockNumber Number of the block that anchored the batch.
    function batch(uint64 batchNo)
        external
        view
        returns (bytes32 root, uint64 firstSeq, uint64 size, uint64 anchoredAt, uint64 blockNumber)
    {
        Batch storage b = _batch(batchNo);
        uint256 meta = b.meta;
        return (b.root, uint64(meta), uint64(meta >> 64), uint64(meta >> 128), uint64(meta >> 192));
    }

    // ---------------------------------------------------------------- inclusion proofs

    /// @notice Checks an RFC 9162 (section 2.1.3.2) inclusion proof against an anchored batch.
    /// @dev Reverts with `UnknownBatch` for a batch that is not anchored; any other proof that does
    ///      not verify (index out of range, wrong length, wrong hashes) returns false. `index` is
    ///      the leaf's position inside the batch, i.e. `seq - firstSeq`.
    /// @param batchNo The batch that is claimed to contain the leaf.
    /// @param leafHash SHA-256(0x00 || entry), computed off-chain.
    /// @param index Position of the leaf in the batch, `0 <= index < size`.
    /// @param proof The inclusion path, from the leaf's sibling up to the root's child.
    /// @return True if and only if the proof leads from `leafHash` to the batch's stored root.
    function verifyInclusion(uint64 batchNo, bytes32 leafHash, uint64 index, bytes32[] calldata proof)
        external
        view
        returns (bool)
    {
        Batch storage b = _batch(batchNo);
        uint64 size = uint64(b.meta >> 64);
        if (index >= size || proof.length != _proofLength(index, size)) return false;
        return _rootFromPath(leafHash, index, size, proof) == b.root;
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

    function _batch(uint64 batchNo) private view returns (Batch storage) {
        if (batchNo >= uint64(_head)) revert UnknownBatch(batchNo);
        return _batches[batchNo];
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
