"""The array adapter: everything `fit`, `evaluate` and `predict` do to data before the model sees it.

Separation of concerns: this module owns conversion (lists, NumPy arrays, pandas DataFrames/Series →
arrays of `floatx` for features), validation (numeric, finite, non-empty, equal lengths), the
`validation_split` slice (`splits.py`), DataFrame handling (`frames.py`) and batching with a per-epoch shuffle. The trainer owns the model-dependent
checks (feature counts, label ranges) and the loop.
"""

from __future__ import annotations

import math
from typing import Any, Iterator

import numpy as np

from .. import config
from ..engine import Tensor
from ..utils.tree import flatten, map_structure
from . import frames
from .splits import train_validation_split  # noqa: F401 - re-exported (the split lives in splits.py)

_is_dataframe = frames.is_dataframe
_is_series = frames.is_series


def to_array(value: Any, name: str) -> np.ndarray:
    """One input as an ndarray, with a clear error for strings, objects and ragged lists."""
    if isinstance(value, Tensor):
        array = value.data
    elif _is_dataframe(value):
        array = frames.frame_to_array(value, name)
    elif _is_series(value):
        array = frames.series_to_array(value, name)
    else:
        try:
            array = np.asarray(value)
        except ValueError as error:
            raise ValueError(
                f"`{name}` could not be turned into an array ({error}). Every sample must have the same shape."
            ) from None
    if array.dtype.kind not in "biuf":
        example = _first_non_numeric(array)
        raise TypeError(
            f"`{name}` must hold numbers, but it has dtype {array.dtype}{example}. Convert strings or "
            "categories to numbers first (e.g. pd.get_dummies for categorical columns, or a lookup table)."
        )
    return array


def _first_non_numeric(array: np.ndarray) -> str:
    for index, item in np.ndenumerate(array):
        try:
            float(item)
        except (TypeError, ValueError):
            return f" (e.g. {item!r} at index {index if len(index) > 1 else index[0]})"
    return ""


_BLAS_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


def check_finite(array: np.ndarray, name: str) -> None:
    """Raise if `array` holds NaN or ±inf, naming the first bad row and column and the count."""
    if array.dtype.kind != "f":
        return
    if array.dtype in _BLAS_FLOATS and (array.size <= 4096 or array.flags.c_contiguous):
        # Σx² in one BLAS dot (no error state to set up, both cores on a large array): NaN and ±inf
        # propagate through it, so a finite Σx² proves every x finite; an overflow is re-checked below
        if math.isfinite(np.vdot(array, array)):
            return
    elif array.size <= 4096:
        if np.isfinite(array).all():
            return
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            total = array.sum()
        if np.isfinite(total):
            return  # NaN and ±inf propagate through a sum (a finite sum proves every value finite)
    finite = np.isfinite(array)
    if finite.all():
        return  # the sum overflowed, the values are fine
    bad = np.argwhere(~finite)
    first = tuple(int(i) for i in bad[0])
    where = f"row {first[0]}" + (f", column {first[1]}" if len(first) > 1 else "")
    if len(first) > 2:
        where += f" (full index {first})"
    raise ValueError(
        f"`{name}` contains {len(bad)} NaN or infinite value(s); the first is at {where}: {array[first].item()}. "
        "Remove those rows or impute the missing values (e.g. sklearn.impute.SimpleImputer) before training."
    )


def standardize_inputs(x: Any, n_inputs: int, name: str = "x", *, features: bool = True) -> Any:
    """Turn `x` into an array, or a list/dict of arrays when the model has several inputs/outputs.

    Feature arrays become `floatx` (integers and float64 are converted once here, not per batch).
    """
    if x is None:
        return None
    if isinstance(x, dict) and not _is_dataframe(x):
        return {
            key: standardize_inputs(value, 1, f"{name}[{key!r}]", features=features)
            for key, value in x.items()
        }
    if n_inputs > 1 and isinstance(x, (list, tuple)):
        if len(x) != n_inputs:
            raise ValueError(
                f"The model has {n_inputs} {'inputs' if features else 'outputs'}, but `{name}` is a list of "
                f"{len(x)} arrays. Pass one array per {'input' if features else 'output'}."
            )
        return [standardize_inputs(item, 1, f"{name}[{i}]", features=features) for i, item in enumerate(x)]
    array = to_array(x, name)
    floatx = np.dtype(config.floatx())
    if features or array.dtype.kind in "bf":
        if array.dtype != floatx and (
            features or array.dtype.kind == "b" or array.dtype.itemsize > floatx.itemsize
        ):
            array = array.astype(floatx)
    if array.ndim == 0:
        raise ValueError(f"`{name}` must be an array of samples, not a single number ({array!r}).")
    check_finite(array, name)
    return array


def check_cardinality(**structures: Any) -> int:
    """All arrays must have the same number of samples (first axis); return it."""
    sizes = {name: [len(a) for a in flatten(s)] for name, s in structures.items() if s is not None}
    distinct = {n for values in sizes.values() for n in values}
    if len(distinct) > 1:
        details = " ".join(f"'{name}' sizes: {', '.join(map(str, values))}" for name, values in sizes.items())
        raise ValueError(
            "Data cardinality is ambiguous. Make sure all arrays contain the same number of samples. "
            f"{details}. Check that x, y (and sample_weight) describe the same samples."
        )
    count = distinct.pop() if distinct else 0
    if count == 0:
        raise ValueError("The data is empty (0 samples). Pass at least one sample.")
    return count


def take(structure: Any, index: Any) -> Any:
    """Rows `index` (an array of indices or a slice) of every array in the structure."""
    if structure is None:
        return None
    return map_structure(lambda a: a[index], structure)


def batch_indices(
    n: int, batch_size: int, shuffle: bool, rng: np.random.Generator
) -> Iterator[np.ndarray | slice]:
    """Index batches for one epoch: a fresh permutation when shuffling, contiguous slices otherwise."""
    if shuffle:
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]
    else:
        for start in range(0, n, batch_size):
            yield slice(start, start + batch_size)


def check_batch_size(batch_size: Any) -> int:
    if batch_size is None:
        return 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size <= 0:
        raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    return int(batch_size)
