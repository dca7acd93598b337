// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

import {BLS12381} from "./BLS12381.sol";

/// @title AnchorRegistry (registry version 2, with witness sets)
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
///        slot 4  `_witnessSet`  bits   0..63  witness set version (0: never set)
///                               bits  64..79  threshold k, bits 80..95 size n (0: no set)
///        slot 5  `_witnessKeys` mapping(uint256 => bytes32[3]), key i of the current set: its
///                               G1 point's x and y (48 bytes each), packed into three words
///        slot 6  `_witnessSetHashes` mapping(uint64 => bytes32), per set version
///      Two bits of slot 0, which every anchor reads anyway, say whether a witness set is
///      configured (bit 129) and whether the deployment chose the timeout fault policy (bit 130),
///      so that a deployment without a witness set pays no extra cold read per anchor.
///
///      Witness sets (docs/witnesses.md): with a set configured, batches are anchored through
///      `anchorWitnessed`, which checks that k of the n witnesses signed the batch's 162-byte
///      message (BLS12-381 aggregate, EIP-2537 precompiles) and then stores the same commitment
///      through the same `_store`; plain `anchor` is refused, unless the deployment chose the
///      timeout policy, in which case it anchors and marks the batch `AnchoredWithoutQuorum`.
///      Without a set, `anchor` behaves as in the registry version 2 without witness sets. The
///      commitment, `Anchored` and every view below keep their meaning.
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
    uint256 private constant _WITNESSED = 1 << 129;
    uint256 private constant _UNWITNESSED_OK = 1 << 130;
    uint256 private constant _FLAGS = _WITNESSED | _UNWITNESSED_OK;
    uint256 private constant _U64 = type(uint64).max;
    uint256 private constant _LOW128 = type(uint128).max;
    bytes22 private constant _WITNESS_TAG = "siteledger/witness/v1\x00";

    uint256 private _head;

    /// @notice The account that may grant and revoke the anchorer role and transfer this role.
    address public admin;

    /// @notice Block number in which this contract was deployed; chain readers start scanning
    ///         `Anchored` logs here. (A storage variable, not an immutable, so that the code on
    ///         chain is byte for byte the `deployedBytecode` of the artifact.)
    uint64 public deploymentBlock;

    mapping(address => bool) private _anchorers;
    mapping(uint64 => bytes32) private _commitments;

    uint256 private _witnessSet;
    mapping(uint256 => bytes32[3]) private _witnessKeys;
    mapping(uint64 => bytes32) private _witnessSetHashes;

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

    /// @notice Batch `batchNo` was anchored with the signatures of the witnesses whose bits are set
    ///         in `bitmap` (bit i = witness i of set version `setVersion`), at least its threshold.
    /// @param batchNo The batch number (the same transaction emits its `Anchored`).
    /// @param setVersion The witness set version the bitmap refers to.
    /// @param bitmap The signers.
    event Witnessed(uint64 indexed batchNo, uint64 setVersion, uint256 bitmap);

    /// @notice Batch `batchNo` was anchored without a witness quorum although witness set
    ///         `setVersion` is configured (the deployment's timeout fault policy).
    /// @param batchNo The batch number (the same transaction emits its `Anchored`).
    /// @param setVersion The witness set that did not reach its quorum.
    event AnchoredWithoutQuorum(uint64 indexed batchNo, uint64 setVersion);

    /// @notice Witness set `version` is now in force: `size` keys (each in a `WitnessKey` event of
    ///         the same transaction), threshold `threshold`; `allowUnwitnessed` is the timeout fault
    ///         policy. `size` 0 means the set was removed.
    event WitnessSetChanged(uint64 indexed version, uint256 size, uint256 threshold, bool allowUnwitnessed);

    /// @notice Key `index` of witness set `version`, as its 48-byte compressed G1 point.
    event WitnessKey(uint64 indexed version, uint256 indexed index, bytes publicKey);

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

    /// @notice A witness set is configured and the deployment did not choose the timeout policy:
    ///         batches are anchored with `anchorWitnessed` only.
    error QuorumRequired();

    /// @notice `anchorWitnessed` was called but no witness set is configured.
    error NoWitnessSet();

    /// @notice `setWitnesses` was given an unusable set.
    error BadWitnessSet(string reason);

    /// @notice Key `index` given to `setWitnesses` is unusable.
    error BadKey(uint256 index, string reason);

    /// @notice The proof of possession of key `index` does not verify.
    error ProofOfPossessionFailed(uint256 index);

    /// @notice `bitmap` is zero or names a witness index the set does not have.
    error BadBitmap(uint256 bitmap);

    /// @notice `bitmap` names `signers` witnesses, fewer than the threshold.
    error TooFewSigners(uint256 signers, uint256 threshold);

    /// @notice The aggregate signature is not a 256-byte G2 point encoding.
    error BadSignatureLength(uint256 length);

    /// @notice The aggregate signature does not verify for the named signers and the batch.
    error SignatureInvalid();

    /// @notice The current witness set has no witness `index`.
    error UnknownWitness(uint256 index);

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
    ///      With a witness set configured, reverts with `QuorumRequired` unless the deployment chose
    ///      the timeout policy; then it anchors and emits `AnchoredWithoutQuorum`.
    function anchor(uint64 batchNo, uint64 firstSeq, uint64 size, bytes32 root, bytes32 headsRoot) external {
        if (!_anchorers[msg.sender]) revert NotAnchorer(msg.sender);
        uint256 head = _head;
        if (head & _WITNESSED != 0) {
            if (head & _UNWITNESSED_OK == 0) revert QuorumRequired();
            emit AnchoredWithoutQuorum(batchNo, uint64(_witnessSet));
        }
        _store(head, batchNo, firstSeq, size, root, headsRoot);
    }

    /// @notice Anchors batch `batchNo` as `anchor` does, after checking that the witnesses named by
    ///         `bitmap` (bit i = witness i of the current set), at least the threshold, signed the
    ///         batch: `signature` is their BLS aggregate over `witnessMessage(...)`.
    /// @dev Requires the anchorer role and a witness set. Checks in this order: the anchor's own
    ///      checks (batch number, first seq, size, overflow), `BadBitmap`, `BadSignatureLength`,
    ///      `TooFewSigners`, `SignatureInvalid`; any failing precompile call reverts with
    ///      `PrecompileFailed`. Emits `Anchored`, then `Witnessed`.
    /// @param bitmap The signers, bit i = witness i.
    /// @param signature The aggregate signature, a G2 point in the EIP-2537 encoding (256 bytes).
    function anchorWitnessed(
        uint64 batchNo,
        uint64 firstSeq,
        uint64 size,
        bytes32 root,
        bytes32 headsRoot,
        uint256 bitmap,
        bytes calldata signature
    ) external {
        if (!_anchorers[msg.sender]) revert NotAnchorer(msg.sender);
        uint256 head = _head;
        if (head & _WITNESSED == 0) revert NoWitnessSet();
        _store(head, batchNo, firstSeq, size, root, headsRoot);
        uint256 set = _witnessSet;
        _verifyQuorum(set, witnessMessage(batchNo, firstSeq, size, root, headsRoot), bitmap, signature);
        emit Witnessed(batchNo, uint64(set), bitmap);
    }

    // ---------------------------------------------------------------- witness set

    /// @notice Replaces the witness set (admin only). Each key comes as its EIP-2537 G1 point (128
    ///         bytes), its 48-byte compressed form (the message its proof of possession signs;
    ///         it must be the same point) and its proof of possession (a 256-byte G2 point),
    ///         verified here before the set changes. 1 <= threshold <= n <= 256, no key twice.
    /// @param publicKeys The keys as G1 points, witness i at index i.
    /// @param compressed The same keys, compressed (48 bytes each).
    /// @param pops The proofs of possession, G2 points.
    /// @param threshold k: how many witnesses must sign a batch.
    /// @param allowUnwitnessed The timeout fault policy: plain `anchor` stays allowed and marks the
    ///        batch `AnchoredWithoutQuorum`. False: the wait policy, `anchor` is refused.
    function setWitnesses(
        bytes[] calldata publicKeys,
        bytes[] calldata compressed,
        bytes[] calldata pops,
        uint256 threshold,
        bool allowUnwitnessed
    ) external onlyAdmin {
        uint256 n = publicKeys.length;
        if (n == 0 || n > 256) revert BadWitnessSet("1 to 256 keys");
        if (compressed.length != n || pops.length != n) revert BadWitnessSet("lengths differ");
        if (threshold == 0 || threshold > n) revert BadWitnessSet("threshold must be 1..n");
        uint64 version = uint64(_witnessSet) + 1;
        bytes memory hashed = abi.encodePacked(threshold);
        for (uint256 i = 0; i < n; i++) {
            for (uint256 j = 0; j < i; j++) {
                if (keccak256(compressed[j]) == keccak256(compressed[i])) revert BadKey(i, "duplicate key");
            }
            _setWitnessKey(version, i, publicKeys[i], compressed[i], pops[i]);
            hashed = bytes.concat(hashed, compressed[i]);
        }
        _witnessSet = uint256(version) | (threshold << 64) | (n << 80);
        _witnessSetHashes[version] = keccak256(hashed);
        uint256 flags = _WITNESSED | (allowUnwitnessed ? _UNWITNESSED_OK : 0);
        _head = (_head & ~_FLAGS) | flags;
        emit WitnessSetChanged(version, n, threshold, allowUnwitnessed);
    }

    /// @notice Removes the witness set (admin only): `anchor` behaves again as without witnesses
    ///         and `anchorWitnessed` reverts with `NoWitnessSet`. Starts a new set version of size 0.
    function clearWitnesses() external onlyAdmin {
        if (_head & _WITNESSED == 0) revert NoWitnessSet();
        uint64 version = uint64(_witnessSet) + 1;
        _witnessSet = uint256(version);
        _head &= ~_FLAGS;
        emit WitnessSetChanged(version, 0, 0, false);
    }

    /// @notice The current witness set.
    /// @return version Its version (0: none was ever set; counts every change and removal).
    /// @return threshold k (0 without a set).
    /// @return count n (0 without a set).
    /// @return allowUnwitnessed Whether the deployment chose the timeout fault policy.
    function witnessSet()
        external
        view
        returns (uint64 version, uint256 threshold, uint256 count, bool allowUnwitnessed)
    {
        uint256 set = _witnessSet;
        return (uint64(set), (set >> 64) & 0xffff, (set >> 80) & 0xffff, _head & _UNWITNESSED_OK != 0);
    }

    /// @notice Key `index` of the current witness set, as its 48-byte compressed G1 point.
    /// @param index Witness index, below the set's size.
    /// @return The compressed key.
    function witnessKey(uint256 index) external view returns (bytes memory) {
        if (index >= (_witnessSet >> 80) & 0xffff) revert UnknownWitness(index);
        bytes32[3] storage w = _witnessKeys[index];
        bytes32 w0 = w[0];
        bytes32 w1 = w[1];
        bool larger = BLS12381.yIsLarger(uint256(w1) & _LOW128, uint256(w[2]));
        bytes1 flags = larger ? bytes1(0xa0) : bytes1(0x80);
        return bytes.concat(w0 | bytes32(flags), bytes16(w1));
    }

    /// @notice keccak256 of `uint256(threshold)` followed by the 48-byte compressed keys, in set
    ///         order, of witness set `version` (zero for a version that is not a set).
    /// @param version A witness set version.
    /// @return The hash, which a verifier recomputes from the witness set a bundle carries.
    function witnessSetHash(uint64 version) external view returns (bytes32) {
        return _witnessSetHashes[version];
    }

    /// @notice The 162 bytes a witness signs for a batch of this deployment (docs/witnesses.md,
    ///         "Signed message"): tag, chain id, this contract, batch number, roots, range.
    function witnessMessage(uint64 batchNo, uint64 firstSeq, uint64 size, bytes32 root, bytes32 headsRoot)
        public
        view
        returns (bytes memory)
    {
        return abi.encodePacked(_WITNESS_TAG, block.chainid, address(this), batchNo, root, headsRoot, firstSeq, size);
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
    function _store(uint256 head, uint64 batchNo, uint64 firstSeq, uint64 size, bytes32 root, bytes32 headsRoot)
        private
    {
        uint64 wantBatchNo = uint64(head);
        uint64 wantFirstSeq = uint64(head >> 64);
        if (batchNo != wantBatchNo) revert WrongBatchNo(batchNo, wantBatchNo);
        if (firstSeq != wantFirstSeq) revert WrongFirstSeq(firstSeq, wantFirstSeq);
        if (size == 0) revert EmptyBatch();
        uint256 end = uint256(firstSeq) + size;
        if (end > _U64) revert SeqOverflow(firstSeq, size);

        // batchNo + 1 cannot overflow in practice (2^64 anchors); checked arithmetic reverts if it does.
        _head = (head & _FLAGS) | _HEAD_MARKER | (end << 64) | uint256(batchNo + 1);
        _commitments[batchNo] = keccak256(abi.encode(root, headsRoot, firstSeq, size, block.number, block.timestamp));
        emit Anchored(batchNo, firstSeq, size, root, headsRoot);
    }

    /// @dev Checks key `i` (its compressed form and proof of possession), stores it, emits `WitnessKey`.
    function _setWitnessKey(uint64 version, uint256 i, bytes calldata pk, bytes calldata c, bytes calldata pop)
        private
    {
        string memory bad = BLS12381.compressedMismatch(pk, c);
        if (bytes(bad).length != 0) revert BadKey(i, bad);
        if (pop.length != 256) revert BadKey(i, "proof must be 256 bytes");
        if (!BLS12381.pairingHolds(pk, BLS12381.hashToG2(c, BLS12381.POP_DST), pop)) {
            revert ProofOfPossessionFailed(i);
        }
        _witnessKeys[i] = [bytes32(pk[16:48]), bytes32(bytes.concat(pk[48:64], pk[80:96])), bytes32(pk[96:128])];
        emit WitnessKey(version, i, c);
    }

    /// @dev Reverts unless the witnesses named by `bitmap`, at least the threshold of `set`,
    ///      signed `message` with the aggregate `signature`.
    function _verifyQuorum(uint256 set, bytes memory message, uint256 bitmap, bytes calldata signature) private view {
        uint256 n = (set >> 80) & 0xffff;
        if (bitmap == 0 || (n < 256 && bitmap >> n != 0)) revert BadBitmap(bitmap);
        if (signature.length != 256) revert BadSignatureLength(signature.length);
        bytes memory agg;
        uint256 count;
        for (uint256 i = 0; i < n; i++) {
            if ((bitmap >> i) & 1 == 0) continue;
            bytes memory pk = _witnessPoint(i);
            agg = count == 0 ? pk : BLS12381.g1Add(agg, pk);
            count++;
        }
        uint256 k = (set >> 64) & 0xffff;
        if (count < k) revert TooFewSigners(count, k);
        if (!BLS12381.pairingHolds(agg, BLS12381.hashToG2(message, BLS12381.SIG_DST), signature)) {
            revert SignatureInvalid();
        }
    }

    /// @dev Key `i` of the current set as its 128-byte EIP-2537 G1 point, rebuilt from the three
    ///      stored words (x[0:32], x[32:48] ‖ y[0:16], y[16:48]).
    function _witnessPoint(uint256 i) private view returns (bytes memory pk) {
        bytes32[3] storage w = _witnessKeys[i];
        bytes32 w0 = w[0];
        bytes32 w1 = w[1];
        bytes32 w2 = w[2];
        pk = new bytes(128);
        assembly {
            let p := add(pk, 32)
            mstore(add(p, 32), shr(128, w1)) // bytes 48..63: x[32:48] (32..47 overwritten next)
            mstore(add(p, 16), w0) // bytes 16..47: x[0:32]
            mstore(add(p, 64), and(w1, 0xffffffffffffffffffffffffffffffff)) // 80..95: y[0:16]
            mstore(add(p, 96), w2) // bytes 96..127: y[16:48]
        }
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
