"""Probabilistic metrics: `KLDivergence`, `Poisson` (per-sample NumPy functions here), and the three
cross-entropies, which average the functions of `neurona.losses`."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .base import MeanMetricWrapper, as_float, mean_last_axis, squeeze_or_expand_to_same_rank

EPSILON = 1e-7


def kl_divergence(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: Σ y_true · log(y_true / y_pred) over the last axis, both clipped to [ε, 1], ε = 1e-7."""
    y_true = np.clip(as_float(y_true), EPSILON, 1.0)
    y_pred = np.clip(as_float(y_pred), EPSILON, 1.0)
    return np.sum(y_true * np.log(y_true / y_pred), axis=-1)


def poisson(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: mean(y_pred − y_true · log(y_pred + ε), axis=-1), ε = 1e-7."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(as_float(y_true), as_float(y_pred))
    return mean_last_axis(y_pred - y_true * np.log(y_pred + EPSILON))


class KLDivergence(MeanMetricWrapper):
    """Formula: mean over samples of Σ y_true · log(y_true / y_pred) (both clipped to [ε, 1])."""

    def __init__(self, name: str = "kl_divergence", dtype: Any = None) -> None:
        super().__init__(kl_divergence, name=name, dtype=dtype)


class Poisson(MeanMetricWrapper):
    """Formula: mean over samples of mean(y_pred − y_true · log(y_pred + ε), axis=-1)."""

    def __init__(self, name: str = "poisson", dtype: Any = None) -> None:
        super().__init__(poisson, name=name, dtype=dtype)


def _from_losses(function_name: str) -> Callable[..., np.ndarray]:
    """A per-sample NumPy function that calls `neurona.losses.<function_name>` (looked up when called)."""

    def fn(y_true: np.ndarray, y_pred: np.ndarray, **kwargs: Any) -> np.ndarray:
        from .. import losses

        return np.asarray(getattr(losses, function_name)(y_true, y_pred, **kwargs).data)

    fn.__name__ = function_name
    return fn


binary_crossentropy = _from_losses("binary_crossentropy")
categorical_crossentropy = _from_losses("categorical_crossentropy")
sparse_categorical_crossentropy = _from_losses("sparse_categorical_crossentropy")


class BinaryCrossentropy(MeanMetricWrapper):
    """Formula: mean over samples of mean(−[y·log p + (1 − y)·log(1 − p)], axis=-1), p clipped to [ε, 1 − ε]
    (`from_logits=True`: p = sigmoid(y_pred); `label_smoothing` ls: y ← y·(1 − ls) + ls/2)."""

    def __init__(
        self,
        name: str = "binary_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
    ) -> None:
        super().__init__(
            binary_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
        )


class CategoricalCrossentropy(MeanMetricWrapper):
    """Formula: mean over samples of −Σ y·log p over `axis` (one-hot targets; p = softmax(y_pred) when
    `from_logits`; `label_smoothing` ls: y ← y·(1 − ls) + ls/num_classes)."""

    def __init__(
        self,
        name: str = "categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        label_smoothing: float = 0,
        axis: int = -1,
    ) -> None:
        super().__init__(
            categorical_crossentropy,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Formula: mean over samples of −log p[y] for integer targets y (p = softmax(y_pred) when
    `from_logits`)."""

    def __init__(
        self,
        name: str = "sparse_categorical_crossentropy",
        dtype: Any = None,
        from_logits: bool = False,
        axis: int = -1,
    ) -> None:
        super().__init__(
            sparse_categorical_crossentropy, name=name, dtype=dtype, from_logits=from_logits, axis=axis
        )
