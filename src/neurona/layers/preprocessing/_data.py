"""Helpers shared by the preprocessing layers: the data `adapt()` accepts, as NumPy batches."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ...engine import Tensor


def as_array(value: Any) -> np.ndarray:
    """An array from a NumPy array, a Tensor, a list, or a pandas DataFrame / Series."""
    if isinstance(value, Tensor):
        return value.data
    if hasattr(value, "to_numpy") and callable(value.to_numpy):
        return np.asarray(value.to_numpy())
    return np.asarray(value)


def adapt_batches(data: Any, batch_size: int | None = None, steps: int | None = None) -> Iterator[np.ndarray]:
    """The batches of `data` for `adapt()`.

    `data` is an array-like (array, Tensor, list, DataFrame; cut into `batch_size` rows if given) or an
    iterator / generator of batches (each an array-like, or an `(x, y)` tuple whose `x` is used).
    `steps` caps the number of batches read.
    """
    if batch_size is not None and (
        isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0
    ):
        raise ValueError(
            f"`batch_size` must be a positive integer or None. Received: batch_size={batch_size!r}"
        )
    if steps is not None and (isinstance(steps, bool) or not isinstance(steps, int) or steps <= 0):
        raise ValueError(f"`steps` must be a positive integer or None. Received: steps={steps!r}")
    if isinstance(data, (np.ndarray, Tensor, list, tuple)) or hasattr(data, "to_numpy"):
        array = as_array(data)
        if array.ndim == 0 or array.shape[0] == 0:
            raise ValueError(f"adapt() needs at least one sample. Received data of shape {array.shape}.")
        size = batch_size or array.shape[0]
        batches: Any = (array[start : start + size] for start in range(0, array.shape[0], size))
    elif hasattr(data, "__iter__"):
        batches = (as_array(item[0] if isinstance(item, tuple) else item) for item in data)
    else:
        raise TypeError(
            f"adapt() takes an array, a list, a DataFrame or an iterable of batches. Received: {type(data).__name__}"
        )
    count = 0
    for batch in batches:
        if steps is not None and count >= steps:
            break
        count += 1
        yield batch
    if count == 0:
        raise ValueError("adapt() received no data (an empty iterable). Pass at least one batch.")
