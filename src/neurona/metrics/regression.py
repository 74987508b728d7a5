"""Regression metrics: `MeanSquaredError`, `MeanAbsoluteError`, `MeanAbsolutePercentageError`,
`MeanSquaredLogarithmicError`, `RootMeanSquaredError`, `CosineSimilarity`, `LogCoshError`, with their
per-sample NumPy functions (kept here: metrics do not depend on the losses' internals)."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Mean, MeanMetricWrapper, as_float, mean_last_axis, squeeze_or_expand_to_same_rank

EPSILON = 1e-7


def _pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    return squeeze_or_expand_to_same_rank(as_float(y_true), as_float(y_pred))


def mean_squared_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean((y_true − y_pred)², axis=-1)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return mean_last_axis(np.square(y_true - y_pred))


def mean_absolute_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean(|y_true − y_pred|, axis=-1)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return mean_last_axis(np.abs(y_true - y_pred))


def mean_absolute_percentage_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: 100 · mean(|y_true − y_pred| / max(|y_true|, ε), axis=-1), ε = 1e-7.

    A target of 0 therefore gives a huge value (1e9 per unit of error), exactly as in Keras.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    return 100.0 * mean_last_axis(np.abs(y_true - y_pred) / np.maximum(np.abs(y_true), EPSILON))


def mean_squared_logarithmic_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))², axis=-1), ε = 1e-7."""
    y_true, y_pred = _pair(y_true, y_pred)
    first_log = np.log(np.maximum(y_pred, EPSILON) + 1.0)
    second_log = np.log(np.maximum(y_true, EPSILON) + 1.0)
    return mean_last_axis(np.square(first_log - second_log))


def log_cosh(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean(log(cosh(x)), axis=-1) with x = y_pred − y_true, computed as
    x + softplus(−2x) − log 2 so that large errors do not overflow."""
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return mean_last_axis(x + np.logaddexp(0.0, -2.0 * x) - np.log(2.0))


def _l2_normalize(x: np.ndarray, axis: int) -> np.ndarray:
    """Formula: x / max(‖x‖₂, ε) along `axis` (a zero vector stays zero)."""
    norm = np.sqrt(np.sum(np.square(x), axis=axis, keepdims=True))
    return x / np.maximum(norm, EPSILON)


def cosine_similarity(y_true: np.ndarray, y_pred: np.ndarray, axis: int = -1) -> np.ndarray:
    """Formula: Σ (y_true / ‖y_true‖) · (y_pred / ‖y_pred‖) along `axis` (norms floored at ε = 1e-7)."""
    y_true, y_pred = _pair(y_true, y_pred)
    return np.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


class MeanSquaredError(MeanMetricWrapper):
    """Formula: mean over samples of mean((y_true − y_pred)², axis=-1)."""

    def __init__(self, name: str = "mean_squared_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    """Formula: mean over samples of mean(|y_true − y_pred|, axis=-1)."""

    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanAbsolutePercentageError(MeanMetricWrapper):
    """Formula: mean over samples of 100 · mean(|y_true − y_pred| / max(|y_true|, ε), axis=-1)."""

    def __init__(self, name: str = "mean_absolute_percentage_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_percentage_error, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(MeanMetricWrapper):
    """Formula: mean over samples of mean((log(y_pred + 1) − log(y_true + 1))², axis=-1)."""

    def __init__(self, name: str = "mean_squared_logarithmic_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_logarithmic_error, name=name, dtype=dtype)


class LogCoshError(MeanMetricWrapper):
    """Formula: mean over samples of mean(log(cosh(y_pred − y_true)), axis=-1). Keras names it "logcosh"."""

    def __init__(self, name: str = "logcosh", dtype: Any = None) -> None:
        super().__init__(log_cosh, name=name, dtype=dtype)


class CosineSimilarity(MeanMetricWrapper):
    """Formula: mean over samples of Σ l2_normalize(y_true) · l2_normalize(y_pred) along `axis`."""

    direction = "up"

    def __init__(self, name: str = "cosine_similarity", dtype: Any = None, axis: int = -1) -> None:
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


class RootMeanSquaredError(Mean):
    """Formula: sqrt(Σ w·(y_pred − y_true)² / Σ w), over every entry seen since the last reset.

    The square root is taken of the accumulated mean, not averaged per batch.
    """

    def __init__(self, name: str = "root_mean_squared_error", dtype: Any = None) -> None:
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred = _pair(y_true, y_pred)
        super().update_state(np.square(y_pred - y_true), sample_weight)

    def result(self) -> float:
        return float(np.sqrt(super().result()))
