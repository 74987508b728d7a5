"""Unique default names for layers and models ("dense", "dense_1", ...), as Keras gives them."""

from __future__ import annotations

import re
from collections import defaultdict


class _NameCounter:
    __slots__ = ("counts",)

    def __init__(self) -> None:
        self.counts: defaultdict[str, int] = defaultdict(int)


_names = _NameCounter()


def to_snake_case(name: str) -> str:
    """`BatchNormalization` → `batch_normalization`."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def unique_name(prefix: str) -> str:
    """`prefix` the first time, then `prefix_1`, `prefix_2`, ..."""
    count = _names.counts[prefix]
    _names.counts[prefix] += 1
    return prefix if count == 0 else f"{prefix}_{count}"


def clear_session() -> None:
    """Forget the names handed out so far (as `keras.backend.clear_session`)."""
    _names.counts.clear()
