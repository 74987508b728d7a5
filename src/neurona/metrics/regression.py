"""Regression metrics: `MeanSquaredError`, `MeanAbsoluteError`, and metrics that average a loss."""

from __future__ import annotations

from typing import Any

import numpy as np

from .accuracy import _match_ranks
from .base import MeanMetricWrapper


def mean_squared_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean((y_true − y_pred)², axis=-1)."""
    y_true, y_pred = _match_ranks(y_true, y_pred)
    diff = np.asarray(y_pred, dtype=np.float64) - y_true
    return np.mean(diff * diff, axis=-1) if diff.ndim > 1 else diff * diff


def mean_absolute_error(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean(|y_true − y_pred|, axis=-1)."""
    y_true, y_pred = _match_ranks(y_true, y_pred)
    diff = np.abs(np.asarray(y_pred, dtype=np.float64) - y_true)
    return np.mean(diff, axis=-1) if diff.ndim > 1 else diff


class MeanSquaredError(MeanMetricWrapper):
    def __init__(self, name: str = "mean_squared_error", dtype: Any = None) -> None:
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class MeanAbsoluteError(MeanMetricWrapper):
    def __init__(self, name: str = "mean_absolute_error", dtype: Any = None) -> None:
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


def _loss_metric(loss_fn: Any) -> Any:
    """A per-sample NumPy function from a loss function (for crossentropy metrics)."""

    def fn(y_true: np.ndarray, y_pred: np.ndarray, **kwargs: Any) -> np.ndarray:
        return loss_fn(y_true, y_pred, **kwargs).data

    fn.__name__ = loss_fn.__name__
    return fn


class _LossMetric(MeanMetricWrapper):
    loss_fn: Any = None

    def __init__(self, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(
            _loss_metric(type(self).loss_fn), name=name or type(self).loss_fn.__name__, dtype=dtype, **kwargs
        )


def _make_loss_metrics() -> dict[str, type]:
    from .. import losses

    out = {}
    for cls_name, fn in (
        ("BinaryCrossentropy", losses.binary_crossentropy),
        ("CategoricalCrossentropy", losses.categorical_crossentropy),
        ("SparseCategoricalCrossentropy", losses.sparse_categorical_crossentropy),
    ):
        out[cls_name] = type(
            cls_name, (_LossMetric,), {"loss_fn": staticmethod(fn), "__doc__": f"The mean of {fn.__name__}."}
        )
    return out


_LOSS_METRICS = _make_loss_metrics()
BinaryCrossentropy = _LOSS_METRICS["BinaryCrossentropy"]
CategoricalCrossentropy = _LOSS_METRICS["CategoricalCrossentropy"]
SparseCategoricalCrossentropy = _LOSS_METRICS["SparseCategoricalCrossentropy"]
