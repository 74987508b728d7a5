"""`R2Score`: the coefficient of determination, accumulated over batches (optionally adjusted)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from .base import Metric, as_float, scalar_or_array, squeeze_or_expand_to_same_rank

_AGGREGATIONS = (None, "uniform_average", "variance_weighted_average")


class R2Score(Metric):
    """R² per output column, from running weighted sums (so batches can be added one at a time).

    Formula: SS_res = Σ w·(y − ŷ)²,  SS_tot = Σ w·y² − (Σ w·y)² / Σ w,  R² = 1 − SS_res / SS_tot
             (a column whose R² is ±inf, i.e. constant targets, scores 0).
    `class_aggregation`: "uniform_average" (mean over columns), "variance_weighted_average" (weighted by
    SS_tot) or None (one score per column). With `num_regressors` p > 0 the adjusted score
    1 − (1 − R²)·(n − 1)/(n − p − 1) is returned, where n counts every target entry seen (as in Keras).
    Inputs must be 2D: (batch_size, output_dim).
    """

    direction = "up"

    def __init__(
        self,
        class_aggregation: str | None = "uniform_average",
        num_regressors: int = 0,
        name: str = "r2_score",
        dtype: Any = None,
    ) -> None:
        if class_aggregation not in _AGGREGATIONS:
            raise ValueError(
                f"Invalid value for argument `class_aggregation`. Expected one of {_AGGREGATIONS}. "
                f"Received: class_aggregation={class_aggregation}"
            )
        if num_regressors < 0:
            raise ValueError(
                "Invalid value for argument `num_regressors`. Expected a value >= 0. "
                f"Received: num_regressors={num_regressors}"
            )
        self.class_aggregation = class_aggregation
        self.num_regressors = num_regressors
        super().__init__(name=name, dtype=dtype)

    def reset_state(self) -> None:
        self.num_samples = 0
        self.sum = None
        self.squared_sum = None
        self.total_mse = None
        self.count = None

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        y_true, y_pred = squeeze_or_expand_to_same_rank(as_float(y_true), as_float(y_pred))
        if y_true.ndim != 2 or y_pred.ndim != 2:
            raise ValueError(
                "R2Score expects 2D inputs with shape (batch_size, output_dim). "
                f"Received input shapes: y_pred.shape={y_pred.shape} and y_true.shape={y_true.shape}."
            )
        weight = np.ones(()) if sample_weight is None else as_float(sample_weight)
        if weight.ndim == 1:
            weight = weight[:, None]
        weight = np.broadcast_to(weight, y_true.shape)
        sums = {
            "sum": np.sum(weight * y_true, axis=0),
            "squared_sum": np.sum(weight * y_true * y_true, axis=0),
            "total_mse": np.sum(weight * np.square(y_true - y_pred), axis=0),
            "count": np.sum(weight, axis=0),
        }
        for key, value in sums.items():
            previous = getattr(self, key)
            setattr(self, key, value if previous is None else previous + value)
        self.num_samples += y_true.size

    def result(self) -> float | np.ndarray:
        if self.sum is None:
            return 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self.sum / self.count
            total = self.squared_sum - self.sum * mean
            raw_scores = 1.0 - self.total_mse / total
            raw_scores = np.where(np.isinf(raw_scores), 0.0, raw_scores)
            if self.class_aggregation == "uniform_average":
                r2 = np.mean(raw_scores)
            elif self.class_aggregation == "variance_weighted_average":
                r2 = np.sum(total * raw_scores) / np.sum(total)
            else:
                r2 = raw_scores
        return scalar_or_array(self._adjusted(r2))

    def _adjusted(self, r2: np.ndarray) -> np.ndarray:
        n, p = self.num_samples, self.num_regressors
        if p == 0:
            return r2
        if p > n - 1:
            warnings.warn(
                "More independent predictors than datapoints in adjusted R2 score. "
                "Falling back to standard R2 score.",
                stacklevel=3,
            )
            return r2
        if p == n - 1:
            warnings.warn(
                "Division by zero in Adjusted R2 score. Falling back to standard R2 score.", stacklevel=3
            )
            return r2
        return 1.0 - (1.0 - r2) * (n - 1) / (n - p - 1)

    def get_config(self) -> dict[str, Any]:
        config = {"class_aggregation": self.class_aggregation, "num_regressors": self.num_regressors}
        return {**super().get_config(), **config}
