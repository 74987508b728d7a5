"""Hinge metrics: `Hinge`, `SquaredHinge`, `CategoricalHinge` and their per-sample NumPy functions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import MeanMetricWrapper, as_float, mean_last_axis


def _signed_labels(y_true: np.ndarray) -> np.ndarray:
    """Targets in {0, 1} become {−1, +1}; any other targets are used as given (checked per batch)."""
    if np.all((y_true == 0) | (y_true == 1)):
        return 2.0 * y_true - 1.0
    return y_true


def hinge(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean(max(1 − y_true · y_pred, 0), axis=-1), with 0/1 targets mapped to −1/+1."""
    y_true = _signed_labels(as_float(y_true))
    return mean_last_axis(np.maximum(1.0 - y_true * as_float(y_pred), 0.0))


def squared_hinge(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean(max(1 − y_true · y_pred, 0)², axis=-1), with 0/1 targets mapped to −1/+1."""
    y_true = _signed_labels(as_float(y_true))
    return mean_last_axis(np.square(np.maximum(1.0 - y_true * as_float(y_pred), 0.0)))


def categorical_hinge(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: max(neg − pos + 1, 0) with pos = Σ y_true · y_pred and neg = max((1 − y_true) · y_pred),
    over the last axis (one-hot targets)."""
    y_true = as_float(y_true)
    y_pred = as_float(y_pred)
    pos = np.sum(y_true * y_pred, axis=-1)
    neg = np.max((1.0 - y_true) * y_pred, axis=-1)
    return np.maximum(neg - pos + 1.0, 0.0)


class Hinge(MeanMetricWrapper):
    """Formula: mean over samples of mean(max(1 − y_true · y_pred, 0), axis=-1)."""

    def __init__(self, name: str = "hinge", dtype: Any = None) -> None:
        super().__init__(hinge, name=name, dtype=dtype)


class SquaredHinge(MeanMetricWrapper):
    """Formula: mean over samples of mean(max(1 − y_true · y_pred, 0)², axis=-1)."""

    def __init__(self, name: str = "squared_hinge", dtype: Any = None) -> None:
        super().__init__(squared_hinge, name=name, dtype=dtype)


class CategoricalHinge(MeanMetricWrapper):
    """Formula: mean over samples of max(max((1 − y_true) · y_pred) − Σ y_true · y_pred + 1, 0)."""

    def __init__(self, name: str = "categorical_hinge", dtype: Any = None) -> None:
        super().__init__(categorical_hinge, name=name, dtype=dtype)
