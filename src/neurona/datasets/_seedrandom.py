"""The browser Playground's random numbers: `Math.seedrandom(seed)` (David Bau's seedrandom, ARC4).

A string seed (the Playground's `seed=0.59704` URL value) gives the same stream of doubles as the
Playground's `Math.random()` after `Math.seedrandom(seed)`, so `playground.load_data(..., seed="0.59704")`
reproduces the browser's points. Written from the algorithm's description: the key is the seed's
character codes mixed into 256 bytes; ARC4 keyed with it drops its first 256 bytes; each double takes
six bytes as a 48-bit numerator over 2**48, then extra bytes until 52 significant bits.

>>> float(SeedRandom("hello.").random(1)[0])  # seedrandom's documented first value for this seed
0.9282578795792454
"""

from __future__ import annotations

import numpy as np

WIDTH = 256
MASK = WIDTH - 1
CHUNKS = 6
START_DENOMINATOR = float(WIDTH**CHUNKS)
SIGNIFICANCE = float(2**52)
OVERFLOW = float(2**53)


def _mix_key(seed: str) -> list[int]:
    key: list[int] = []
    smear = 0
    for j, char in enumerate(seed):
        slot = j & MASK
        previous = key[slot] if slot < len(key) else 0
        smear ^= previous * 19
        value = MASK & (smear + ord(char))
        if slot < len(key):
            key[slot] = value
        else:
            key.append(value)
    return key


class SeedRandom:
    """A stream of doubles in [0, 1) identical to seedrandom's for the same string seed."""

    def __init__(self, seed: str) -> None:
        key = _mix_key(str(seed)) or [0]
        state = list(range(WIDTH))
        j = 0
        for i in range(WIDTH):
            j = MASK & (j + key[i % len(key)] + state[i])
            state[i], state[j] = state[j], state[i]
        self._state = state
        self._i = 0
        self._j = 0
        self._bytes(WIDTH)  # RC4-drop[256]

    def _bytes(self, count: int) -> int:
        state, i, j, result = self._state, self._i, self._j, 0
        for _ in range(count):
            i = MASK & (i + 1)
            t = state[i]
            j = MASK & (j + t)
            state[i] = state[j]
            state[j] = t
            result = result * WIDTH + state[MASK & (state[i] + t)]
        self._i, self._j = i, j
        return result

    def _double(self) -> float:
        numerator = float(self._bytes(CHUNKS))
        denominator = START_DENOMINATOR
        extra = 0
        while numerator < SIGNIFICANCE:
            numerator = (numerator + extra) * WIDTH
            denominator *= WIDTH
            extra = self._bytes(1)
        while numerator >= OVERFLOW:
            numerator /= 2
            denominator /= 2
            extra >>= 1
        return (numerator + extra) / denominator

    def random(self, size: int) -> np.ndarray:
        """`size` doubles, in the order the browser would draw them (the `np.random.Generator` method)."""
        return np.array([self._double() for _ in range(size)])
