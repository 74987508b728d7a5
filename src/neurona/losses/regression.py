"""Regression losses (`keras.losses`): MSE, MAE, MAPE, MSLE, Huber, log-cosh and cosine similarity.

Each function returns one value per sample (the last axis is reduced); each class wraps its function
with a reduction and sample weights. (N,) against (N, 1) follows Keras's squeeze/expand rule; any other
shape mismatch raises a `ValueError`.
"""

from __future__ import annotations

import math
from typing import Any

from .. import config, ops
from ..engine import Tensor
from .base import LossFunctionWrapper, paired


# --- per-sample functions ------------------------------------------------------------------------------
def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """Mean squared error.

    Formula:
        loss = mean((y_true − y_pred)², axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    return ops.nn.mean_squared_error(y_pred, y_true)  # one fused op: (y_pred − y_true)², mean


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """Mean absolute error.

    Formula:
        loss = mean(|y_true − y_pred|, axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    return ops.mean(ops.abs(y_pred - y_true), axis=-1)


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> Tensor:
    """Mean absolute percentage error (ε = `config.epsilon()` = 1e-7 keeps y_true = 0 finite).

    Formula:
        loss = 100 · mean(|(y_true − y_pred) / max(|y_true|, ε)|, axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    eps = config.epsilon()
    return 100.0 * ops.mean(ops.abs((y_true - y_pred) / ops.maximum(ops.abs(y_true), eps)), axis=-1)


def mean_squared_logarithmic_error(y_true: Any, y_pred: Any) -> Tensor:
    """Mean squared logarithmic error (values ≤ 0 are replaced by ε = 1e-7 before the log).

    Formula:
        loss = mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))², axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    eps = config.epsilon()
    first_log = ops.log1p(ops.maximum(y_pred, eps))
    second_log = ops.log1p(ops.maximum(y_true, eps))
    return ops.mean(ops.square(first_log - second_log), axis=-1)


def huber(y_true: Any, y_pred: Any, delta: float = 1.0) -> Tensor:
    """Huber loss: quadratic for small errors, linear beyond `delta`.

    Formula:
        x = y_pred − y_true
        loss = mean(½x² if |x| ≤ δ else δ·|x| − ½δ², axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    error = y_pred - y_true
    abs_error = ops.abs(error)
    quadratic = 0.5 * ops.square(error)
    linear = delta * abs_error - 0.5 * delta * delta
    return ops.mean(ops.where(abs_error <= delta, quadratic, linear), axis=-1)


def log_cosh(y_true: Any, y_pred: Any) -> Tensor:
    """Logarithm of the hyperbolic cosine of the error, in a form that cannot overflow.

    Formula:
        x = y_pred − y_true
        loss = mean(log cosh x, axis=-1),  log cosh x = x + softplus(−2x) − log 2
    """
    y_true, y_pred = paired(y_true, y_pred)
    x = y_pred - y_true
    return ops.mean(x + ops.softplus(-2.0 * x) - math.log(2.0), axis=-1)


def _l2_normalize(x: Tensor, axis: int) -> Tensor:
    """x / max(‖x‖₂, ε) along `axis` (a zero vector stays zero; its gradient is finite, 1/ε)."""
    eps = config.epsilon()
    squared_norm = ops.sum(ops.square(x), axis=axis, keepdims=True)
    return x / ops.sqrt(ops.maximum(squared_norm, eps * eps))


def cosine_similarity(y_true: Any, y_pred: Any, axis: int = -1) -> Tensor:
    """Negative cosine similarity: −1 for the same direction, 0 for orthogonal, 1 for opposite.

    Formula:
        loss = −Σ (y_true / ‖y_true‖) · (y_pred / ‖y_pred‖) over `axis`  (‖·‖ floored at ε = 1e-7)
    """
    y_true, y_pred = paired(y_true, y_pred)
    return -ops.sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis), axis=axis)


# --- classes ---------------------------------------------------------------------------------------------
class MeanSquaredError(LossFunctionWrapper):
    """Formula: loss = mean((y_true − y_pred)²)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Formula: loss = mean(|y_true − y_pred|)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """Formula: loss = 100 · mean(|(y_true − y_pred) / max(|y_true|, ε)|)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_percentage_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """Formula: loss = mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))²)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_logarithmic_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name, dtype=dtype)


class Huber(LossFunctionWrapper):
    """Formula: loss = mean(½x² if |x| ≤ δ else δ·|x| − ½δ²), x = y_pred − y_true.

    Keras's default name is "huber_loss" (the function is `huber`).
    """

    def __init__(
        self,
        delta: float = 1.0,
        reduction: str | None = "sum_over_batch_size",
        name: str = "huber_loss",
        dtype: Any = None,
    ) -> None:
        if not delta > 0:
            raise ValueError(f"`delta` must be a positive number. Received: delta={delta}")
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(LossFunctionWrapper):
    """Formula: loss = mean(log cosh(y_pred − y_true))."""

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "log_cosh", dtype: Any = None
    ) -> None:
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Formula: loss = −Σ l2_normalize(y_true) · l2_normalize(y_pred) over `axis`."""

    def __init__(
        self,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "cosine_similarity",
        dtype: Any = None,
    ) -> None:
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype, axis=axis)
