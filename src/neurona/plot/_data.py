"""Turning what users pass (arrays, lists, tensors, DataFrames) into checked NumPy arrays."""

from __future__ import annotations

from typing import Any

import numpy as np


def as_array(value: Any, name: str) -> np.ndarray:
    """`value` as a numeric ndarray (a Tensor's `.numpy()`, a DataFrame's values, a list...)."""
    if hasattr(value, "numpy") and callable(value.numpy):
        value = value.numpy()
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"`{name}` must be array-like numbers. Received: {name} of type {type(value)}"
        ) from error
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"`{name}` must hold numbers. Received: {name} with dtype {array.dtype}")
    return array


def check_lengths(**arrays: np.ndarray) -> int:
    """All arrays have the same, non-zero first dimension; returns it."""
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        described = ", ".join(f"{name} has {n}" for name, n in lengths.items())
        raise ValueError(
            f"{' and '.join(lengths)} must have the same number of samples. Received: {described} samples. "
            "Pass the labels that belong to these inputs."
        )
    n = next(iter(lengths.values()))
    if n == 0:
        raise ValueError(f"{' and '.join(lengths)} are empty. Pass at least one sample.")
    return n


def class_ids(y: np.ndarray, name: str, *, threshold: float = 0.5) -> np.ndarray:
    """Integer class ids from ids, one-hot rows or predicted probabilities.

    Several columns: the argmax of each row. One column or 1-D: the values themselves when they are
    whole numbers, else (probabilities of the positive class) whether they exceed `threshold`.
    """
    if y.ndim == 2 and y.shape[1] > 1:
        return np.argmax(y, axis=1)
    if y.ndim == 2:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"`{name}` must hold class ids (shape (n,)), one-hot rows or probabilities (shape (n, k)). "
            f"Received: {name} with shape {y.shape}"
        )
    if y.dtype == bool:
        return y.astype(np.int64)
    if not np.all(np.isfinite(y)):
        raise ValueError(f"`{name}` contains NaN or infinite values. Remove or fix those samples.")
    if np.all(y == np.round(y)):
        return y.astype(np.int64)
    if np.all((y >= 0) & (y <= 1)):
        return (y > threshold).astype(np.int64)
    raise ValueError(
        f"`{name}` must hold whole class ids or probabilities in [0, 1]. Received values such as "
        f"{y[y != np.round(y)][:3].tolist()}"
    )
