"""`FBetaScore` and `F1Score`: the harmonic mean of precision and recall, per class or averaged."""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Metric, as_float, scalar_or_array, squeeze_or_expand_to_same_rank

EPSILON = 1e-7
_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """F-beta score, for multi-class and multi-label targets of shape (batch_size, num_classes).

    Formula: precision = tp / (tp + fp + ε), recall = tp / (tp + fn + ε),
             f = (1 + β²) · precision · recall / (β² · precision + recall + ε)   (ε = 1e-7).

    A prediction is 1 where `y_pred > threshold`; with `threshold=None`, where it equals the row's maximum
    (and is not 0), i.e. the arg-max one-hot. Note that for a single sigmoid output of shape (N, 1) that
    means every non-zero prediction is positive: pass `threshold=0.5` there.

    `average`: None gives one score per class; "micro" counts tp, fp, fn over all classes together;
    "macro" averages the per-class scores; "weighted" averages them weighted by each class's support
    (the weighted number of true instances).
    """

    direction = "up"

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str = "fbeta_score",
        dtype: Any = None,
    ) -> None:
        if average not in _AVERAGES:
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', 'weighted'}. "
                f"Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float (e.g. beta=2.0). "
                f"Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")
        if threshold is not None:
            if not isinstance(threshold, float):
                raise ValueError(
                    "Invalid `threshold` argument value. It should be a Python float (e.g. threshold=0.5). "
                    f"Received: threshold={threshold} of type '{type(threshold)}'"
                )
            if threshold > 1.0 or threshold <= 0.0:
                raise ValueError(
                    "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
                    f"Received: threshold={threshold}"
                )
        self.average = average
        self.beta = beta
        self.threshold = threshold
        self.axis = None if average == "micro" else 0
        super().__init__(name=name, dtype=dtype)

    def reset_state(self) -> None:
        self.true_positives = None
        self.false_positives = None
        self.false_negatives = None
        self.intermediate_weights = None

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_pred, y_true = squeeze_or_expand_to_same_rank(as_float(y_pred), as_float(y_true))
        if y_pred.ndim != 2 or y_true.ndim != 2:
            raise ValueError(
                f"{type(self).__name__} expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={y_pred.shape} and y_true.shape={y_true.shape}."
            )
        if self.threshold is None:
            row_max = np.max(y_pred, axis=-1, keepdims=True)
            predicted = (y_pred >= row_max) & (np.abs(y_pred) > 1e-9)
        else:
            predicted = y_pred > self.threshold
        predicted = predicted.astype(np.float64)
        weight = 1.0 if sample_weight is None else as_float(sample_weight).reshape(-1, 1)
        counts = {
            "true_positives": predicted * y_true,
            "false_positives": predicted * (1.0 - y_true),
            "false_negatives": (1.0 - predicted) * y_true,
            "intermediate_weights": y_true,
        }
        for key, value in counts.items():
            total = np.sum(value * weight, axis=self.axis)
            previous = getattr(self, key)
            setattr(self, key, total if previous is None else previous + total)

    def result(self) -> float | np.ndarray:
        if self.true_positives is None:
            return 0.0
        tp = self.true_positives
        precision = tp / (tp + self.false_positives + EPSILON)
        recall = tp / (tp + self.false_negatives + EPSILON)
        b2 = self.beta**2
        score = (1.0 + b2) * precision * recall / (b2 * precision + recall + EPSILON)
        if self.average == "weighted":
            weights = self.intermediate_weights / (np.sum(self.intermediate_weights) + EPSILON)
            return float(np.sum(score * weights))
        if self.average is not None:
            return float(np.mean(score))
        return scalar_or_array(score)

    def get_config(self) -> dict[str, Any]:
        config = {"average": self.average, "beta": self.beta, "threshold": self.threshold}
        return {**super().get_config(), **config}


class F1Score(FBetaScore):
    """F1 score: `FBetaScore` with β = 1.

    Formula: f1 = 2 · precision · recall / (precision + recall)   (with the same ε guards).
    """

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str = "f1_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["beta"]
        return config
