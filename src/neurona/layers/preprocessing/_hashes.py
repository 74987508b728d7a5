"""The two string hashes of TensorFlow that Keras's `Hashing` uses, in pure Python:

* FarmHash `Fingerprint64` (the "na" variant; `tf.strings.to_hash_bucket_fast`), unkeyed;
* SipHash-2-4 with a 128-bit key (`tf.strings.to_hash_bucket_strong`), used when a salt is given.

Both work on the UTF-8 bytes, little-endian words, and arithmetic modulo 2⁶⁴.
"""

from __future__ import annotations

_MASK = (1 << 64) - 1
_K0 = 0xC3A5C85C97CB3127
_K1 = 0xB492B66FBE98F273
_K2 = 0x9AE16A3B2F90404F


def _word(data: bytes, at: int, size: int = 8) -> int:
    return int.from_bytes(data[at : at + size], "little")


def _rotr(value: int, shift: int) -> int:
    return value if shift == 0 else ((value >> shift) | (value << (64 - shift))) & _MASK


def _shift_mix(value: int) -> int:
    return value ^ (value >> 47)


def _mix16(u: int, v: int, mul: int) -> int:
    a = ((u ^ v) * mul) & _MASK
    a ^= a >> 47
    b = ((v ^ a) * mul) & _MASK
    b ^= b >> 47
    return (b * mul) & _MASK


def _weak32(data: bytes, at: int, a: int, b: int) -> tuple[int, int]:
    w, x, y, z = (_word(data, at + 8 * i) for i in range(4))
    a = (a + w) & _MASK
    b = _rotr((b + a + z) & _MASK, 21)
    c = a
    a = (a + x + y) & _MASK
    b = (b + _rotr(a, 44)) & _MASK
    return (a + z) & _MASK, (b + c) & _MASK


def _short(data: bytes) -> int:
    n = len(data)
    mul = (_K2 + 2 * n) & _MASK
    if n > 32:  # 33 to 64 bytes
        a = (_word(data, 0) * _K2) & _MASK
        b = _word(data, 8)
        c = (_word(data, n - 8) * mul) & _MASK
        d = (_word(data, n - 16) * _K2) & _MASK
        y = (_rotr((a + b) & _MASK, 43) + _rotr(c, 30) + d) & _MASK
        z = _mix16(y, (a + _rotr((b + _K2) & _MASK, 18) + c) & _MASK, mul)
        e = (_word(data, 16) * mul) & _MASK
        f = _word(data, 24)
        g = ((y + _word(data, n - 32)) * mul) & _MASK
        h = ((z + _word(data, n - 24)) * mul) & _MASK
        return _mix16(
            (_rotr((e + f) & _MASK, 43) + _rotr(g, 30) + h) & _MASK,
            (e + _rotr((f + a) & _MASK, 18) + g) & _MASK,
            mul,
        )
    if n > 16:  # 17 to 32 bytes
        a = (_word(data, 0) * _K1) & _MASK
        b = _word(data, 8)
        c = (_word(data, n - 8) * mul) & _MASK
        d = (_word(data, n - 16) * _K2) & _MASK
        return _mix16(
            (_rotr((a + b) & _MASK, 43) + _rotr(c, 30) + d) & _MASK,
            (a + _rotr((b + _K2) & _MASK, 18) + c) & _MASK,
            mul,
        )
    if n >= 8:
        a = (_word(data, 0) + _K2) & _MASK
        b = _word(data, n - 8)
        c = (_rotr(b, 37) * mul + a) & _MASK
        d = ((_rotr(a, 25) + b) * mul) & _MASK
        return _mix16(c, d, mul)
    if n >= 4:
        return _mix16(n + (_word(data, 0, 4) << 3), _word(data, n - 4, 4), mul)
    if n > 0:
        y = (data[0] + (data[n >> 1] << 8)) & 0xFFFFFFFF
        z = (n + (data[n - 1] << 2)) & 0xFFFFFFFF
        return (_shift_mix(((y * _K2) ^ (z * _K0)) & _MASK) * _K2) & _MASK
    return _K2


def farmhash64(data: bytes) -> int:
    """FarmHash Fingerprint64 of `data` (TensorFlow's `Fingerprint64`)."""
    n = len(data)
    if n <= 64:
        return _short(data)
    x = 81
    y = (81 * _K1 + 113) & _MASK
    z = (_shift_mix((y * _K2 + 113) & _MASK) * _K2) & _MASK
    v = w = (0, 0)
    x = (x * _K2 + _word(data, 0)) & _MASK
    end = ((n - 1) // 64) * 64
    last = n - 64
    at = 0
    while True:
        x = (_rotr((x + y + v[0] + _word(data, at + 8)) & _MASK, 37) * _K1) & _MASK
        y = (_rotr((y + v[1] + _word(data, at + 48)) & _MASK, 42) * _K1) & _MASK
        x ^= w[1]
        y = (y + v[0] + _word(data, at + 40)) & _MASK
        z = (_rotr((z + w[0]) & _MASK, 33) * _K1) & _MASK
        v = _weak32(data, at, (v[1] * _K1) & _MASK, (x + w[0]) & _MASK)
        w = _weak32(data, at + 32, (z + w[1]) & _MASK, (y + _word(data, at + 16)) & _MASK)
        z, x = x, z
        at += 64
        if at == end:
            break
    mul = (_K1 + ((z & 0xFF) << 1)) & _MASK
    w0 = (w[0] + ((n - 1) & 63)) & _MASK
    v0 = (v[0] + w0) & _MASK
    w0 = (w0 + v0) & _MASK
    v, w = (v0, v[1]), (w0, w[1])
    x = (_rotr((x + y + v[0] + _word(data, last + 8)) & _MASK, 37) * mul) & _MASK
    y = (_rotr((y + v[1] + _word(data, last + 48)) & _MASK, 42) * mul) & _MASK
    x ^= (w[1] * 9) & _MASK
    y = (y + v[0] * 9 + _word(data, last + 40)) & _MASK
    z = (_rotr((z + w[0]) & _MASK, 33) * mul) & _MASK
    v = _weak32(data, last, (v[1] * mul) & _MASK, (x + w[0]) & _MASK)
    w = _weak32(data, last + 32, (z + w[1]) & _MASK, (y + _word(data, last + 16)) & _MASK)
    z, x = x, z
    return _mix16(
        (_mix16(v[0], w[0], mul) + _shift_mix(y) * _K0 + z) & _MASK,
        (_mix16(v[1], w[1], mul) + x) & _MASK,
        mul,
    )


def _rotl(value: int, shift: int) -> int:
    return ((value << shift) | (value >> (64 - shift))) & _MASK


def siphash64(data: bytes, key0: int, key1: int) -> int:
    """SipHash-2-4 of `data` with the 128-bit key (key0, key1)."""
    v0 = key0 ^ 0x736F6D6570736575
    v1 = key1 ^ 0x646F72616E646F6D
    v2 = key0 ^ 0x6C7967656E657261
    v3 = key1 ^ 0x7465646279746573

    def rounds(count: int) -> None:
        nonlocal v0, v1, v2, v3
        for _ in range(count):
            v0 = (v0 + v1) & _MASK
            v1 = _rotl(v1, 13) ^ v0
            v0 = _rotl(v0, 32)
            v2 = (v2 + v3) & _MASK
            v3 = _rotl(v3, 16) ^ v2
            v0 = (v0 + v3) & _MASK
            v3 = _rotl(v3, 21) ^ v0
            v2 = (v2 + v1) & _MASK
            v1 = _rotl(v1, 17) ^ v2
            v2 = _rotl(v2, 32)

    n = len(data)
    full = n - n % 8
    blocks = [_word(data, at) for at in range(0, full, 8)]
    blocks.append(int.from_bytes(data[full:], "little") | ((n & 0xFF) << 56))
    for m in blocks:
        v3 ^= m
        rounds(2)
        v0 ^= m
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3
