// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.30;

/// @notice A precompile call failed or returned the wrong length. Never read as "not signed":
///         a sender who picks the gas limit could otherwise make a valid quorum look refused.
/// @param precompile The precompile's address.
error PrecompileFailed(address precompile);

/// @title BLS12381: IETF BLS signatures (proof-of-possession scheme, keys in G1, signatures in
///        G2) checked through the EIP-2537 precompiles.
/// @notice Specified in docs/witnesses.md. Points use the EIP-2537 encoding: a base-field element
///         is 64 bytes (16 zero bytes, then 48 big-endian), a G1 point `x ‖ y` (128 bytes), a G2
///         point `x.c0 ‖ x.c1 ‖ y.c0 ‖ y.c1` (256 bytes). Hashing to G2 follows RFC 9380
///         (BLS12381G2_XMD:SHA-256_SSWU_RO_), so signatures made by
///         py_ecc.bls.G2ProofOfPossession verify. Internal functions only: the code is compiled
///         into the contract that uses it (AnchorRegistry), which needs a chain with EIP-2537
///         (Prague) only when it calls them.
library BLS12381 {
    /// @notice Domain of a signature over a message.
    bytes internal constant SIG_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
    /// @notice Domain of a proof of possession (a signature over the 48-byte compressed key).
    bytes internal constant POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

    address private constant MODEXP = address(0x05);
    address private constant G1ADD = address(0x0b);
    address private constant G2ADD = address(0x0d);
    address private constant PAIRING = address(0x0f);
    address private constant MAP_FP2_TO_G2 = address(0x11);

    // p, the base field modulus, as 48 bytes
    bytes private constant P =
        hex"1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab";
    // (p - 1) / 2 split into its high 16 bytes and low 32 bytes: y > this is the "larger" root
    uint256 private constant HALF_HI = 0x0d0088f51cbff34d258dd3db21a5d66b;
    uint256 private constant HALF_LO = 0xb23ba5c279c2895fb39869507b587b120f55ffff58a9ffffdcff7fffffffd555;
    // -G1 generator, EIP-2537 encoding
    bytes private constant NEG_G1 =
        hex"0000000000000000000000000000000017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb"
        hex"00000000000000000000000000000000114d1d6855d545a8aa7d76c8cf2e21f267816aef1db507c96655b9d5caac42364e6f38ba0ecb751bad54dcd6b939c2ca";

    /// @notice The sum of two G1 points (G1ADD).
    function g1Add(bytes memory a, bytes memory b) internal view returns (bytes memory) {
        return _call(G1ADD, abi.encodePacked(a, b), 128);
    }

    /// @notice Whether e(pk, h) == e(g1, sig), checked as e(pk, h) · e(-g1, sig) == 1.
    /// @param pk A G1 point (a public key or a sum of public keys).
    /// @param h A G2 point (the hash of the message).
    /// @param sig A G2 point (the signature or the aggregate).
    function pairingHolds(bytes memory pk, bytes memory h, bytes memory sig) internal view returns (bool) {
        bytes memory out = _call(PAIRING, abi.encodePacked(pk, h, NEG_G1, sig), 32);
        return uint256(bytes32(out)) == 1;
    }

    /// @notice RFC 9380 hash_to_curve for G2: expand_message_xmd (SHA-256) to 256 bytes, four
    ///         base-field elements reduced mod p (MODEXP with exponent 1), two MAP_FP2_TO_G2 (map
    ///         and cofactor clearing) and their sum (G2ADD).
    function hashToG2(bytes memory message, bytes memory dst) internal view returns (bytes memory) {
        bytes memory u = _expand(message, dst);
        bytes memory q0 = _call(MAP_FP2_TO_G2, abi.encodePacked(_fp(u, 0), _fp(u, 64)), 256);
        bytes memory q1 = _call(MAP_FP2_TO_G2, abi.encodePacked(_fp(u, 128), _fp(u, 192)), 256);
        return _call(G2ADD, abi.encodePacked(q0, q1), 256);
    }

    /// @notice Whether y (as its high 16 and low 32 bytes) is greater than (p - 1) / 2, i.e. the
    ///         compressed form of the point sets the sign flag 0x20.
    function yIsLarger(uint256 yHi, uint256 yLo) internal pure returns (bool) {
        return yHi > HALF_HI || (yHi == HALF_HI && yLo > HALF_LO);
    }

    /// @notice Why the 48-byte compressed key `c` is not the G1 point `pk` (128 bytes), or the
    ///         empty string if it is: same x, compression flag 0x80, no infinity flag 0x40, and
    ///         the sign flag 0x20 set exactly when y > (p - 1) / 2. Does not check that `pk` is
    ///         on the curve (the pairing of its proof of possession does).
    function compressedMismatch(bytes calldata pk, bytes calldata c) internal pure returns (string memory) {
        if (pk.length != 128) return "public key must be 128 bytes";
        if (c.length != 48) return "compressed key must be 48 bytes";
        if (bytes16(pk[0:16]) != bytes16(0) || bytes16(pk[64:80]) != bytes16(0)) {
            return "public key coordinates must start with 16 zero bytes";
        }
        bool larger = yIsLarger(uint256(bytes32(pk[64:96])), uint256(bytes32(pk[96:128])));
        if (uint8(c[0]) & 0xe0 != (larger ? 0xa0 : 0x80)) return "compressed flags do not match";
        if (uint8(c[0]) & 0x1f != uint8(pk[16]) || keccak256(c[1:48]) != keccak256(pk[17:64])) {
            return "compressed key is another point";
        }
        return "";
    }

    function _call(address precompile, bytes memory input, uint256 outLength) private view returns (bytes memory) {
        (bool ok, bytes memory out) = precompile.staticcall(input);
        if (!ok || out.length != outLength) revert PrecompileFailed(precompile);
        return out;
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
}
