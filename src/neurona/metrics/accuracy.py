"""Accuracy metrics: `Accuracy`, `BinaryAccuracy`, `CategoricalAccuracy`, `SparseCategoricalAccuracy`
and their per-sample functions."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import MeanMetricWrapper


def _match_ranks(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    elif y_pred.ndim == y_true.ndim + 1 and y_pred.shape[-1] == 1:
        y_pred = y_pred[..., 0]
    return y_true, y_pred


def accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """1.0 where the prediction equals the target exactly, else 0.0 (averaged over the last axis)."""
    y_true, y_pred = _match_ranks(y_true, y_pred)
    matches = (y_true == y_pred).astype("float32")
    return matches.mean(axis=-1) if matches.ndim > 1 else matches


def binary_accuracy(y_true: np.ndarray, y_pred: np.ndarray, threshold: float = 0.5) -> np.ndarray:
    """Formula: mean over the last axis of [ (y_pred > threshold) == y_true ]."""
    y_true, y_pred = _match_ranks(y_true, y_pred)
    matches = (y_true == (y_pred > threshold)).astype("float32")
    return matches.mean(axis=-1) if matches.ndim > 1 else matches


def categorical_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: [ argmax(y_true) == argmax(y_pred) ] per sample (one-hot targets)."""
    return (np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1)).astype("float32")


def sparse_categorical_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """Formula: [ y_true == argmax(y_pred) ] per sample (integer targets)."""
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return (y_true == y_pred.argmax(axis=-1)).astype("float32")


class Accuracy(MeanMetricWrapper):
    """How often predictions equal the targets exactly."""

    direction = "up"

    def __init__(self, name: str = "accuracy", dtype: Any = None) -> None:
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` equals binary targets."""

    direction = "up"

    def __init__(self, name: str = "binary_accuracy", dtype: Any = None, threshold: float = 0.5) -> None:
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of the prediction matches the arg-max of one-hot targets."""

    direction = "up"

    def __init__(self, name: str = "categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the arg-max of the prediction matches integer targets."""

    direction = "up"

    def __init__(self, name: str = "sparse_categorical_accuracy", dtype: Any = None) -> None:
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


def _in_top_k(labels: np.ndarray, y_pred: np.ndarray, k: int) -> np.ndarray:
    """[ score of the label ≥ the k-th largest score ] per row: ties at the boundary count as hits."""
    labels = labels.astype(np.int64)
    label_scores = np.take_along_axis(y_pred, labels[:, None], axis=-1)[:, 0]
    if k >= y_pred.shape[-1]:
        return np.ones(labels.shape, dtype=bool)
    kth_largest = -np.partition(-y_pred, k - 1, axis=-1)[:, k - 1]
    return label_scores >= kth_largest


def sparse_top_k_categorical_accuracy(
    y_true: np.ndarray, y_pred: np.ndarray, k: int = 5, from_sorted_ids: bool = False
) -> np.ndarray:
    """Formula: [ y_true is among the k classes with the highest scores in y_pred ] per sample.

    With `from_sorted_ids=True`, `y_pred` already holds class ids sorted by score (best first), and the
    formula is [ y_true ∈ y_pred[:k] ].
    """
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    labels = y_true.reshape(-1)
    if from_sorted_ids:
        matches = np.any(y_pred.reshape(labels.shape[0], -1)[:, :k] == labels[:, None], axis=-1)
    else:
        matches = _in_top_k(labels, y_pred.reshape(-1, y_pred.shape[-1]), k)
    matches = matches.astype("float32")
    return matches.reshape(y_true.shape) if y_true.ndim > 1 else matches


def top_k_categorical_accuracy(y_true: np.ndarray, y_pred: np.ndarray, k: int = 5) -> np.ndarray:
    """Formula: [ argmax(y_true) is among the k classes with the highest scores in y_pred ] per sample."""
    return sparse_top_k_categorical_accuracy(np.argmax(y_true, axis=-1), y_pred, k=k)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the one-hot target is among the `k` highest-scored classes."""

    direction = "up"

    def __init__(self, k: int = 5, name: str = "top_k_categorical_accuracy", dtype: Any = None) -> None:
        self.k = _check_k(k)
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often the integer target is among the `k` highest-scored classes."""

    direction = "up"

    def __init__(
        self,
        k: int = 5,
        name: str = "sparse_top_k_categorical_accuracy",
        dtype: Any = None,
        from_sorted_ids: bool = False,
    ) -> None:
        self.k = _check_k(k)
        super().__init__(
            sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k, from_sorted_ids=from_sorted_ids
        )


def _check_k(k: int) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"`k` must be a positive integer (how many top classes count). Received: k={k!r}")
    return int(k)
