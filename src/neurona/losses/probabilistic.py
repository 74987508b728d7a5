"""Probabilistic losses (`keras.losses`): the cross-entropies, their focal versions, KL divergence and
Poisson.

From probabilities the numbers are Keras's: `p` is clipped to [ε, 1 − ε] in the input dtype (ε = 1e-7)
and the categorical forms first renormalise `p /= Σ p`. From logits every loss uses a stable form (log
σ and log softmax computed directly, never clip-then-log), so a confidently wrong logit (±100) gives a
finite value and the exact gradient; Keras's NumPy backend saturates there instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config, ops
from ..engine import Tensor
from .base import (
    LossFunctionWrapper,
    check_label_smoothing,
    check_same_shape,
    check_sparse_labels,
    paired,
    standardize_pair,
)


# --- per-sample functions ------------------------------------------------------------------------------
def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Binary cross-entropy, averaged over `axis`.

    Formula:
        y ← y·(1 − ls) + ½·ls
        loss = mean(−[y·log p + (1 − y)·log(1 − p)], axis)

    Probabilities are clipped to [ε, 1 − ε] (ε = 1e-7, in the input dtype). With `from_logits=True` the
    stable form max(x, 0) − x·y + log(1 + e^−|x|) is used.
    """
    y_true, y_pred = standardize_pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def binary_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    apply_class_balancing: bool = False,
    alpha: float = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Binary cross-entropy scaled down where the prediction is already right (Lin et al., 2018).

    Formula:
        y ← y·(1 − ls) + ½·ls;  p = σ(y_pred) if from_logits else y_pred
        1 − p_t = y·(1 − p) + (1 − y)·p
        w = y·α + (1 − y)·(1 − α) with `apply_class_balancing`, else 1
        loss = mean(w · (1 − p_t)^γ · bce(y, p), axis)

    From logits, bce is the stable form and 1 − p = σ(−x), so nothing is clipped or cancelled.
    """
    y_true, y_pred = standardize_pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    bce = ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits)
    if from_logits:
        one_minus_p_t = y_true * ops.sigmoid(-y_pred) + (1.0 - y_true) * ops.sigmoid(y_pred)
    else:
        one_minus_p_t = y_true * (1.0 - y_pred) + (1.0 - y_true) * y_pred
    focal_bce = _focal_factor(one_minus_p_t, gamma) * bce
    if apply_class_balancing:
        weight = y_true * alpha + (1.0 - y_true) * (1.0 - alpha)
        focal_bce = weight * focal_bce
    return ops.mean(focal_bce, axis=axis)


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Categorical cross-entropy for one-hot or probability targets.

    Formula:
        y ← y·(1 − ls) + ls / num_classes
        loss = −Σ y·log p over `axis`  (p = y_pred / Σ y_pred, clipped; or softmax(logits))
    """
    y_true, y_pred = standardize_pair(y_true, y_pred)
    if label_smoothing:
        num_classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def categorical_focal_crossentropy(
    y_true: Any,
    y_pred: Any,
    alpha: Any = 0.25,
    gamma: float = 2.0,
    from_logits: bool = False,
    label_smoothing: float = 0.0,
    axis: int = -1,
) -> Tensor:
    """Categorical cross-entropy with a focal factor per class; `alpha` is a number or one per class.

    Formula:
        y ← y·(1 − ls) + ls / num_classes
        p = clip(y_pred / Σ y_pred, ε, 1 − ε), or softmax(logits) (log p = log_softmax, unclipped)
        loss = Σ α · (1 − p)^γ · (−y·log p) over `axis`
    """
    y_true, y_pred = standardize_pair(y_true, y_pred)
    check_same_shape(y_true, y_pred)
    if label_smoothing:
        num_classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    if from_logits:
        log_p = ops.log_softmax(y_pred, axis=axis)
        p = ops.exp(log_p)
    else:
        eps = config.epsilon()
        p = ops.clip(y_pred / ops.sum(y_pred, axis=axis, keepdims=True), eps, 1.0 - eps)
        log_p = ops.log(p)
    focal_factor = _focal_factor(1.0 - p, gamma) * _class_weights(alpha, y_pred, axis)
    return ops.sum(focal_factor * (-y_true * log_p), axis=axis)


def _focal_factor(one_minus_p: Tensor, gamma: float) -> Tensor:
    """(1 − p)^γ, with 1 − p floored at the smallest normal float: a prediction that is exactly right gets
    a zero gradient instead of 0^(γ−1) = inf for γ < 1 (the value moves by at most tiny^γ · cross-entropy)."""
    tiny = float(np.finfo(one_minus_p.dtype).tiny)
    return ops.power(ops.maximum(one_minus_p, tiny), gamma)


def _class_weights(alpha: Any, y_pred: Tensor, axis: int) -> Any:
    """`alpha` as a number, or as an array with its classes on `axis` (broadcasts against y_pred)."""
    if np.ndim(alpha) == 0:
        return float(alpha)
    weights = np.asarray(alpha, dtype=y_pred.dtype)
    num_classes = y_pred.shape[axis]
    if weights.shape != (num_classes,):
        raise ValueError(
            f"`alpha` must be a number or a list of one weight per class ({num_classes} here). "
            f"Received: alpha={np.asarray(alpha).tolist()}"
        )
    shape = [1] * y_pred.ndim
    shape[axis] = num_classes
    return weights.reshape(shape)


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> Tensor:
    """Cross-entropy for integer class labels.

    Formula:
        loss = −log p[y]  (p from softmax(logits) when `from_logits`)

    Labels outside [0, num_classes) raise a `ValueError` (no framework-dependent silent 0 or NaN);
    entries equal to `ignore_class` get a loss of 0.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    labels = ops.convert_to_numpy(y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    num_classes = y_pred.shape[axis]
    check_sparse_labels(labels, num_classes, ignore_class)
    if ignore_class is None:
        return ops.sparse_categorical_crossentropy(labels, y_pred, from_logits=from_logits, axis=axis)
    keep = labels != ignore_class
    losses = ops.sparse_categorical_crossentropy(
        np.where(keep, labels, 0), y_pred, from_logits=from_logits, axis=axis
    )
    return losses * keep.astype(y_pred.dtype)


def kl_divergence(y_true: Any, y_pred: Any) -> Tensor:
    """Kullback-Leibler divergence of y_pred from y_true (both clipped to [ε, 1], ε = 1e-7).

    Formula:
        loss = Σ y_true · log(y_true / y_pred) over the last axis
    """
    y_true, y_pred = paired(y_true, y_pred)
    eps = config.epsilon()
    y_true = ops.clip(y_true, eps, 1.0)
    y_pred = ops.clip(y_pred, eps, 1.0)
    return ops.sum(y_true * ops.log(y_true / y_pred), axis=-1)


def poisson(y_true: Any, y_pred: Any) -> Tensor:
    """Poisson negative log-likelihood without its constant log(y!) term (y_pred is the rate).

    Formula:
        loss = mean(y_pred − y_true · log(y_pred + ε), axis=-1)
    """
    y_true, y_pred = paired(y_true, y_pred)
    return ops.mean(y_pred - y_true * ops.log(y_pred + config.epsilon()), axis=-1)


# --- classes ---------------------------------------------------------------------------------------------
class BinaryCrossentropy(LossFunctionWrapper):
    """Formula: loss = −[y·log p + (1 − y)·log(1 − p)], averaged over the last axis."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype: Any = None,
    ) -> None:
        check_label_smoothing(label_smoothing)
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Formula: loss = mean(w · (1 − p_t)^γ · bce), w = α for class 1 and 1 − α for class 0 (if balancing)."""

    def __init__(
        self,
        apply_class_balancing: bool = False,
        alpha: float = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "binary_focal_crossentropy",
        dtype: Any = None,
    ) -> None:
        check_label_smoothing(label_smoothing)
        _check_gamma(gamma)
        if not 0 <= alpha <= 1:
            raise ValueError(f"`alpha` must be in [0, 1] (the weight of class 1). Received: alpha={alpha}")
        super().__init__(
            binary_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(LossFunctionWrapper):
    """Formula: loss = −Σ y·log p over the class axis (one-hot or probability targets)."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype: Any = None,
    ) -> None:
        check_label_smoothing(label_smoothing)
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalFocalCrossentropy(LossFunctionWrapper):
    """Formula: loss = Σ α · (1 − p)^γ · (−y·log p) over the class axis."""

    def __init__(
        self,
        alpha: Any = 0.25,
        gamma: float = 2.0,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str | None = "sum_over_batch_size",
        name: str = "categorical_focal_crossentropy",
        dtype: Any = None,
    ) -> None:
        check_label_smoothing(label_smoothing)
        _check_gamma(gamma)
        if np.any(np.asarray(alpha) < 0):
            raise ValueError(
                f"`alpha` must be non-negative (a number or one per class). Received: alpha={alpha}"
            )
        super().__init__(
            categorical_focal_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Formula: loss = −log p[y] for integer class labels y."""

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class: int | None = None,
        reduction: str | None = "sum_over_batch_size",
        name: str = "sparse_categorical_crossentropy",
        axis: int = -1,
        dtype: Any = None,
    ) -> None:
        super().__init__(
            sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            dtype=dtype,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )


class KLDivergence(LossFunctionWrapper):
    """Formula: loss = Σ y_true · log(y_true / y_pred), both clipped to [ε, 1]."""

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "kl_divergence", dtype: Any = None
    ) -> None:
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """Formula: loss = mean(y_pred − y_true · log(y_pred + ε))."""

    def __init__(
        self, reduction: str | None = "sum_over_batch_size", name: str = "poisson", dtype: Any = None
    ) -> None:
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)


def _check_gamma(gamma: float) -> None:
    if not gamma >= 0:
        raise ValueError(
            f"`gamma` must be a non-negative number (0 turns the focal factor off). Received: gamma={gamma}"
        )
