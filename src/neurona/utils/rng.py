"""Seeding: `set_random_seed` and the generators that initializers, dropout and shuffling draw from.

One process-wide `np.random.Generator` (reset by `set_random_seed`) hands out child generators; a
component given its own `seed=` builds its generator from that seed alone. Same seed, same numbers.
"""

from __future__ import annotations

import random

import numpy as np


class _GlobalRandom:
    __slots__ = ("seed", "generator")

    def __init__(self) -> None:
        self.seed: int | None = None
        self.generator = np.random.default_rng()


_state = _GlobalRandom()


def set_random_seed(seed: int) -> None:
    """Seed Python's `random`, NumPy's global RNG and neurona's own generator (as Keras does).

    After `set_random_seed(s)`, building and training the same model gives bit-identical weights and
    losses (on the same machine, library versions and BLAS thread count).
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise ValueError(
            f"Expected `seed` argument to be an integer. Received: seed={seed!r} (of type {type(seed).__name__})"
        )
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    _state.seed = seed
    _state.generator = np.random.default_rng(seed)


def global_seed() -> int | None:
    """The seed given to the last `set_random_seed` call (None if never called)."""
    return _state.seed


def make_generator(seed: int | np.random.Generator | None = None) -> np.random.Generator:
    """A generator for one component: from its own `seed`, else a child of the global generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None:
        return np.random.default_rng(int(seed))
    return np.random.default_rng(_state.generator.integers(0, 2**63 - 1))
