"""Tensors from values, and other helpers that are not differentiable (they create or inspect values)."""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from .. import config
from ..engine import Tensor


def _dtype(dtype: Any) -> np.dtype:
    return np.dtype(config.floatx() if dtype is None else dtype)


def convert_to_tensor(x: Any, dtype: Any = None) -> Tensor:
    """A `Tensor` holding `x` (Python floats become `floatx()`)."""
    if isinstance(x, Tensor) and dtype is None:
        return x
    return Tensor(x, dtype=dtype)


def convert_to_numpy(x: Any) -> np.ndarray:
    """`x` as a NumPy array."""
    return x.numpy() if isinstance(x, Tensor) else np.asarray(x)


def zeros(shape: Sequence[int] | int, dtype: Any = None) -> Tensor:
    return Tensor(np.zeros(shape, dtype=_dtype(dtype)))


def ones(shape: Sequence[int] | int, dtype: Any = None) -> Tensor:
    return Tensor(np.ones(shape, dtype=_dtype(dtype)))


def full(shape: Sequence[int] | int, fill_value: float, dtype: Any = None) -> Tensor:
    return Tensor(np.full(shape, fill_value, dtype=_dtype(dtype)))


def zeros_like(x: Any, dtype: Any = None) -> Tensor:
    return Tensor(np.zeros_like(convert_to_numpy(x), dtype=dtype))


def ones_like(x: Any, dtype: Any = None) -> Tensor:
    return Tensor(np.ones_like(convert_to_numpy(x), dtype=dtype))


def eye(n: int, m: int | None = None, dtype: Any = None) -> Tensor:
    return Tensor(np.eye(n, m, dtype=_dtype(dtype)))


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    return Tensor(values if dtype is None else values.astype(dtype))


def shape(x: Any) -> tuple[int, ...]:
    """The static shape of `x` as a tuple."""
    return tuple(convert_to_numpy(x).shape) if not isinstance(x, Tensor) else x.shape


def stop_gradient(x: Any) -> Tensor:
    """The same value, cut off from every tape (no gradient flows through it)."""
    return Tensor._wrap(convert_to_tensor(x).data)
