// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @title WitnessQuorum: a witness set (BLS12-381 keys with proofs of possession, k of n) and the
/// check that a quorum of it signed a batch commitment, through the EIP-2537 precompiles.
/// @notice Specified in docs/witnesses.md. Public keys are G1 points and signatures G2 points, in
/// the EIP-2537 encoding (each base-field element as 64 bytes, 16 zero bytes then 48 big-endian);
/// hashing to G2 follows RFC 9380 (BLS12381G2_XMD:SHA-256_SSWU_RO_) with the IETF BLS
/// proof-of-possession domains, so signatures made by py_ecc.bls.G2ProofOfPossession verify.
/// Every precompile call that fails, or returns the wrong length, reverts: a failure is never
/// read as "not signed" (a sender choosing the gas limit could otherwise forge a refusal).
contract WitnessQuorum {
    address public immutable admin;
    bytes[] private _keys; // 128-byte G1 points
    uint256 public threshold;
    uint256 public setVersion;
    /// batch number => keccak256 of the signed message, once a quorum confirmed it
    mapping(uint64 => bytes32) public witnessed;

    event WitnessSetChanged(uint256 indexed version, uint256 size, uint256 threshold);
    event WitnessKey(uint256 indexed version, uint256 indexed index, bytes publicKey);
    event Witnessed(uint64 indexed batchNo, uint256 bitmap, bytes32 root, bytes32 headsRoot);

    error NotAdmin();
    error BadWitnessSet(string reason);
    error BadKey(uint256 index, string reason);
    error ProofOfPossessionFailed(uint256 index);
    error NoWitnessSet();
    error BadBitmap(uint256 bitmap);
    error TooFewSigners(uint256 signers, uint256 threshold);
    error BadSignatureLength(uint256 length);
    error SignatureInvalid();
    error AlreadyWitnessed(uint64 batchNo);
    error PrecompileFailed(address precompile);

    bytes private constant SIG_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    bytes private constant POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    bytes22 private constant TAG = "siteledger/witness/v1\x00";

    address private constant MODEXP = address(0x05);
    address private constant G1ADD = address(0x0b);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING = address(0x0f);
    address private constant MAP_FP2_TO_G2 = address(0x11);

    // p, the BLS12-381 base field modulus, as 48 bytes
    bytes private constant P =
        hex"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
    // (p - 1) / 2 split into its high 16 bytes and low 32 bytes: y > this is the "larger" root
    uint256 private constant HALF_HI = 0x0d0088f51cbff34d258dd3db21a5d66b;
    uint256 private constant HALF_LO = 0xb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd555;
    // -G1 generator, EIP-2537 encoding
    bytes private constant NEG_G1 =
        hex"0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
        hex"00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca";

    constructor() {
        admin = msg.sender;
    }

    function witnessCount() external view returns (uint256) {
        return _keys.length;
    }

    function witnessKey(uint256 index) external view returns (bytes memory) {
        return _keys[index];
    }

    /// @notice Replace the witness set. Each key comes as its EIP-2537 G1 point (128 bytes), its
    /// 48-byte compressed form (the message of its proof of possession) and the proof (a 256-byte
    /// G2 point). Every proof is verified on chain before the set changes.
    function setWitnesses(
        bytes[] calldata publicKeys,
        bytes[] calldata compressed,
        bytes[] calldata pops,
        uint256 k
    ) external {
        if (msg.sender != admin) revert NotAdmin();
        uint256 n = publicKeys.length;
        if (n == 0 || n > 256) revert BadWitnessSet("1 to 256 keys");
        if (compressed.length != n || pops.length != n) revert BadWitnessSet("lengths differ");
        if (k == 0 || k > n) revert BadWitnessSet("threshold must be 1..n");
        delete _keys;
        uint256 version = setVersion + 1;
        for (uint256 i = 0; i < n; i++) {
            bytes calldata pk = publicKeys[i];
            if (pk.length != 128) revert BadKey(i, "public key must be 128 bytes");
            if (pops[i].length != 256) revert BadKey(i, "proof must be 256 bytes");
            _checkCompressed(i, pk, compressed[i]);
            for (uint256 j = 0; j < i; j++) {
                if (keccak256(_keys[j]) == keccak256(pk)) revert BadKey(i, "duplicate key");
            }
            bytes memory h = _hashToG2(compressed[i], POP_DST);
            if (!_pairing2(pk, h, pops[i])) revert ProofOfPossessionFailed(i);
            _keys.push(pk);
            emit WitnessKey(version, i, pk);
        }
        threshold = k;
        setVersion = version;
        emit WitnessSetChanged(version, n, k);
    }

    /// @notice The 162 bytes a witness signs (docs/witnesses.md, "Signed message").
    function witnessMessage(
        uint64 batchNo,
        uint64 firstSeq,
        uint64 size,
        bytes32 root,
        bytes32 headsRoot
    ) public view returns (bytes memory) {
        return abi.encodePacked(TAG, block.chainid, address(this), batchNo, root, headsRoot, firstSeq, size);
    }

    /// @notice Revert unless the signers named by `bitmap` (bit i = witness i) are at least the
    /// threshold and `signature` (a 256-byte G2 point) is their aggregate over the batch message.
    function verifyQuorum(
        uint64 batchNo,
        uint64 firstSeq,
        uint64 size,
        bytes32 root,
        bytes32 headsRoot,
        uint256 bitmap,
        bytes calldata signature
    ) public view {
        uint256 n = _keys.length;
        if (n == 0) revert NoWitnessSet();
        if (bitmap == 0 || (n < 256 && bitmap >> n != 0)) revert BadBitmap(bitmap);
        if (signature.length != 256) revert BadSignatureLength(signature.length);
        bytes memory agg;
        uint256 count = 0;
        for (uint256 i = 0; i < n; i++) {
            if ((bitmap >> i) & 1 == 0) continue;
            agg = count == 0 ? _keys[i] : _call(G1ADD, abi.encodePacked(agg, _keys[i]), 128);
            count++;
        }
        if (count < threshold) revert TooFewSigners(count, threshold);
        bytes memory h = _hashToG2(witnessMessage(batchNo, firstSeq, size, root, headsRoot), SIG_DST);
        if (!_pairing2(agg, h, signature)) revert SignatureInvalid();
    }

    /// @notice Record that a quorum confirmed batch `batchNo` (once per batch number).
    function witness(
        uint64 batchNo,
        uint64 firstSeq,
        uint64 size,
        bytes32 root,
        bytes32 headsRoot,
        uint256 bitmap,
        bytes calldata signature
    ) external {
        if (witnessed[batchNo] != bytes32(0)) revert AlreadyWitnessed(batchNo);
        verifyQuorum(batchNo, firstSeq, size, root, headsRoot, bitmap, signature);
        witnessed[batchNo] = keccak256(witnessMessage(batchNo, firstSeq, size, root, headsRoot));
        emit Witnessed(batchNo, bitmap, root, headsRoot);
    }

    // ------------------------------------------------------------------ internals

    /// e(pk, h) == e(g1, sig), as e(pk, h) · e(-g1, sig) == 1.
    function _pairing2(bytes memory pk, bytes memory h, bytes memory sig) private view returns (bool) {
        bytes memory out = _call(PAIRING, abi.encodePacked(pk, h, NEG_G1, sig), 32);
        return uint256(bytes32(out)) == 1;
    }

    function _call(address precompile, bytes memory input, uint256 outLength) private view returns (bytes memory) {
        (bool ok, bytes memory out) = precompile.staticcall(input);
        if (!ok || out.length != outLength) revert PrecompileFailed(precompile);
        return out;
    }

    /// RFC 9380 hash_to_curve for G2: expand_message_xmd (SHA-256) to 256 bytes, four base-field
    /// elements reduced mod p (MODEXP with exponent 1), two MAP_FP2_TO_G2 (map and cofactor
    /// clearing) and their sum.
    function _hashToG2(bytes memory message, bytes memory dst) private view returns (bytes memory) {
        bytes memory u = _expand(message, dst);
        bytes memory q0 = _call(MAP_FP2_TO_G2, abi.encodePacked(_fp(u, 0), _fp(u, 64)), 256);
        bytes memory q1 = _call(MAP_FP2_TO_G2, abi.encodePacked(_fp(u, 128), _fp(u, 192)), 256);
        return _call(G2ADD, abi.encodePacked(q0, q1), 256);
    }

    function _expand(bytes memory message, bytes memory dst) private pure returns (bytes memory out) {
        bytes memory dstPrime = abi.encodePacked(dst, uint8(dst.length));
        bytes32 b0 = sha256(abi.encodePacked(bytes32(0), bytes32(0), message, uint16(256), uint8(0), dstPrime));
        bytes32 bi = sha256(abi.encodePacked(b0, uint8(1), dstPrime));
        out = abi.encodePacked(bi);
        for (uint8 i = 2; i <= 8; i++) {
            bi = sha256(abi.encodePacked(b0 ^ bi, i, dstPrime));
            out = abi.encodePacked(out, bi);
        }
    }

    /// The 64 bytes of `u` at `offset`, reduced mod p, as a 64-byte EIP-2537 field element.
    function _fp(bytes memory u, uint256 offset) private view returns (bytes memory) {
        bytes32 hi;
        bytes32 lo;
        assembly {
            hi := mload(add(add(u, 32), offset))
            lo := mload(add(add(u, 64), offset))
        }
        bytes memory r = _call(MODEXP, abi.encodePacked(uint256(64), uint256(1), uint256(48), hi, lo, uint8(1), P), 48);
        return abi.encodePacked(bytes16(0), r);
    }

    /// The compressed key must be the same point: x with the compression flag (0x80), no
    /// infinity flag (0x40), and the sign flag (0x20) set exactly when y > (p - 1) / 2.
    function _checkCompressed(uint256 i, bytes calldata pk, bytes calldata c) private pure {
        if (c.length != 48) revert BadKey(i, "compressed key must be 48 bytes");
        uint8 flags = uint8(c[0]) & 0xe0;
        bool larger;
        {
            uint256 yHi = uint256(bytes32(pk[64:96])); // 16 zero bytes then the top 16 of y
            uint256 yLo = uint256(bytes32(pk[96:128]));
            larger = yHi > HALF_HI || (yHi == HALF_HI && yLo > HALF_LO);
        }
        if (flags != (larger ? 0xa0 : 0x80)) revert BadKey(i, "compressed flags do not match");
        if (uint8(c[0]) & 0x1f != uint8(pk[16]) || keccak256(c[1:48]) != keccak256(pk[17:64])) {
            revert BadKey(i, "compressed key is another point");
        }
        if (bytes16(pk[0:16]) != bytes16(0) || bytes16(pk[64:80]) != bytes16(0)) {
            revert BadKey(i, "public key coordinates must start with 16 zero bytes");
        }
    }
}
