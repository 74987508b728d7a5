"""Hinge losses (`keras.losses`): hinge, squared hinge and categorical hinge (maximum-margin losses).

`hinge` and `squared_hinge` expect targets in {−1, 1}; as in Keras, targets that are all 0 or 1 are
converted with y ← 2y − 1 first (the check looks at the whole batch, not element by element).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from ..engine import Tensor
from .base import LossFunctionWrapper, paired


def convert_binary_labels_to_hinge(y_true: Tensor) -> Tensor:
    """Targets in {0, 1} become {−1, 1} (y ← 2y − 1); any other targets are returned unchanged."""
    values = y_true.numpy()
    is_binary = np.all((values == 0) | (values == 1))
    return 2.0 * y_true - 1.0 if is_binary else y_true


def hinge(y_true: Any, y_pred: Any) -> Tensor:
    """Hinge loss.

    Formula:
        loss = mean(max(1 − y_true · y_pred, 0), axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """Squared hinge loss.

    Formula:
        loss = mean(max(1 − y_true · y_pred, 0)², axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    y_true = convert_binary_labels_to_hinge(y_true)
    return ops.mean(ops.square(ops.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true: Any, y_pred: Any) -> Tensor:
    """Categorical hinge loss for one-hot targets: the best wrong score against the right one.

    Formula:
        pos = Σ y_true · y_pred,  neg = max((1 − y_true) · y_pred)   (over the last axis)
        loss = max(neg − pos + 1, 0)
    """
    y_true, y_pred = paired(y_true, y_pred)
    pos = ops.sum(y_true * y_pred, axis=-1)
    neg = ops.max((1.0 - y_true) * y_pred, axis=-1)
    return ops.maximum(neg - pos + 1.0, 0.0)


class Hinge(LossFunctionWrapper):
    """Formula: loss = mean(max(1 − y_true · y_pred, 0)); targets {0, 1} become {−1, 1}."""

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "hinge", dtype: Any = None
    ) -> None:
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """Formula: loss = mean(max(1 − y_true · y_pred, 0)²); targets {0, 1} become {−1, 1}."""

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "squared_hinge", dtype: Any = None
    ) -> None:
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """Formula: loss = max(max((1 − y)·ŷ) − Σ y·ŷ + 1, 0)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_hinge",
        dtype: Any = None,
    ) -> None:
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
