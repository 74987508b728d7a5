"""Confusion counts at thresholds: `TruePositives`, `FalsePositives`, `TrueNegatives`, `FalseNegatives`,
`Precision`, `Recall`, and `confusion_counts`, the one function they (and `AUC`) share.

A prediction counts as positive at threshold t when `y_pred > t` (strictly); a target counts as positive
when it is non-zero. With several thresholds the counts, and the results, are vectors.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .base import Metric, as_float, divide_no_nan, scalar_or_array, squeeze_or_expand_to_same_rank

NEG_INF = -1e10
EPSILON = 1e-7
COUNTS = ("tp", "fp", "tn", "fn")


def parse_thresholds(thresholds: Any, default: float = 0.5) -> list[float]:
    """A list of thresholds in [0, 1] from `None` (→ `[default]`), a float, or a list of floats."""
    if thresholds is None:
        return [default]
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [thresholds]
    invalid = [t for t in values if t is None or t < 0 or t > 1]
    if invalid:
        raise ValueError(
            f"Threshold values must be in [0, 1]. Received: {invalid}. "
            "Pass a float or a list of floats between 0 and 1 (use thresholds=0 for logits)."
        )
    return [float(t) for t in values]


def evenly_spaced(thresholds: list[float]) -> bool:
    """True when the thresholds are i/(n − 1) for i = 0 … n − 1 (n ≥ 3), up to ε: counts then take one
    pass over the predictions instead of one per threshold."""
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1), atol=EPSILON))


def filter_top_k(y_pred: np.ndarray, k: int) -> np.ndarray:
    """Keep the k largest scores of each row (the lower index wins a tie); the rest become −1e10."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, NEG_INF)


def _aligned(
    y_true: Any, y_pred: Any, sample_weight: Any, top_k: int | None, class_id: int | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Targets, predictions and weights with one shape, after `top_k` and `class_id` are applied."""
    y_true = as_float(y_true)
    y_pred = as_float(y_pred)
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    if sample_weight is None:
        weight = np.ones(y_true.shape)
    else:
        _, weight = squeeze_or_expand_to_same_rank(y_true, as_float(sample_weight)[..., None], False)
        weight = np.broadcast_to(weight, np.broadcast_shapes(weight.shape, y_true.shape))
    if top_k is not None:
        y_pred = filter_top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim == 1:
            raise ValueError(
                "When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), "
                f"found shape: {y_pred.shape}. Pass one score per class, or drop `class_id`."
            )
        y_true = y_true[..., class_id, None]
        y_pred = y_pred[..., class_id, None]
        weight = weight[..., class_id, None]
    weight = np.broadcast_to(weight, y_pred.shape)
    return y_true, y_pred, weight


def _counts_by_buckets(
    is_pos: np.ndarray, y_pred: np.ndarray, weight: np.ndarray, n: int, with_epsilon: bool
) -> tuple[np.ndarray, np.ndarray]:
    """tp and fp for n evenly spaced thresholds in one pass: a score p is above threshold i exactly
    when its bucket ⌈p·(n − 1)⌉ − 1 is ≥ i, so tp(i) is a reversed cumulative sum of per-bucket sums.
    Columns (axis 0 of `is_pos`) are counted separately; buckets are computed in float32 as Keras does."""
    scores = np.clip(y_pred, 0.0, 1.0).astype(np.float32)
    bucket = np.ceil(scores * np.float32(n - 1)).astype(np.int64) - 1
    if with_epsilon:
        bucket = np.maximum(bucket, 0)
    columns = is_pos.shape[0]
    slot = bucket + 1 + (n + 1) * np.arange(columns)[:, None]
    per_bucket = []
    for labels in (is_pos, ~is_pos):
        sums = np.bincount(slot.ravel(), weights=(weight * labels).ravel(), minlength=columns * (n + 1))
        per_bucket.append(sums.reshape(columns, n + 1)[:, 1:])
    tp, fp = (np.cumsum(b[:, ::-1], axis=1)[:, ::-1] for b in per_bucket)
    return tp.T, fp.T


def confusion_counts(
    y_true: Any,
    y_pred: Any,
    thresholds: list[float],
    *,
    sample_weight: Any = None,
    top_k: int | None = None,
    class_id: int | None = None,
    multi_label: bool = False,
    label_weights: Any = None,
    evenly: bool = False,
) -> dict[str, np.ndarray]:
    """Weighted tp, fp, tn, fn at each threshold: arrays of shape (T,), or (T, labels) if `multi_label`.

    Formula: tp(t) = Σ w·[y ≠ 0]·[p > t]; fp(t) = Σ w·[y = 0]·[p > t];
             fn(t) = Σ w·[y ≠ 0] − tp(t);  tn(t) = Σ w·[y = 0] − fp(t).
    Without `multi_label` every entry of a multi-column target is one more sample (flattened).
    `evenly` (thresholds i/(n − 1), optionally with −ε and 1 + ε ends) clips scores to [0, 1] and counts
    by buckets, as Keras's fast path does.
    """
    y_true, y_pred, weight = _aligned(y_true, y_pred, sample_weight, top_k, class_id)
    if label_weights is not None and not multi_label:
        weight = weight * np.broadcast_to(as_float(label_weights), y_pred.shape)
    if multi_label:
        if y_pred.ndim != 2:
            raise ValueError(
                f"`y_pred` must have rank 2 when `multi_label=True`. Received: shape={y_pred.shape}"
            )
        is_pos, scores, weight = (y_true != 0).T, y_pred.T, weight.T
    else:
        is_pos, scores, weight = (y_true != 0).reshape(1, -1), y_pred.reshape(1, -1), weight.reshape(1, -1)
    if evenly:
        with_epsilon = thresholds[0] < 0.0 or thresholds[-1] > 1.0
        tp, fp = _counts_by_buckets(is_pos, scores, weight, len(thresholds), with_epsilon)
    else:
        cuts = np.asarray(thresholds, dtype=np.float32)[:, None, None]
        above = scores.astype(np.float32)[None] > cuts
        tp = np.einsum("tcn,cn->tc", (above & is_pos[None]).astype(np.float64), weight)
        fp = np.einsum("tcn,cn->tc", (above & ~is_pos[None]).astype(np.float64), weight)
    fn = np.sum(weight * is_pos, axis=-1) - tp
    tn = np.sum(weight * ~is_pos, axis=-1) - fp
    counts = {"tp": tp, "fp": fp, "tn": tn, "fn": fn}
    return counts if multi_label else {key: value[:, 0] for key, value in counts.items()}


class _ConfusionCount(Metric):
    """Base of the four counters: one accumulator per threshold."""

    direction = "down"
    count_key = "tp"

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None) -> None:
        self.init_thresholds = thresholds
        self.thresholds = parse_thresholds(thresholds, default=0.5)
        self._evenly = evenly_spaced(self.thresholds)
        super().__init__(name=name, dtype=dtype)

    def reset_state(self) -> None:
        self.accumulator = np.zeros(len(self.thresholds))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        counts = confusion_counts(
            y_true, y_pred, self.thresholds, sample_weight=sample_weight, evenly=self._evenly
        )
        self.accumulator += counts[self.count_key]

    def result(self) -> float | np.ndarray:
        return scalar_or_array(self.accumulator[0] if len(self.thresholds) == 1 else self.accumulator)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """The (weighted) number of true positives: targets ≠ 0 predicted above the threshold.

    Formula: tp(t) = Σ w·[y ≠ 0]·[p > t], one value per threshold (default 0.5).
    """

    direction = "up"
    count_key = "tp"


class FalsePositives(_ConfusionCount):
    """The (weighted) number of false positives: targets = 0 predicted above the threshold.

    Formula: fp(t) = Σ w·[y = 0]·[p > t], one value per threshold (default 0.5).
    """

    count_key = "fp"


class TrueNegatives(_ConfusionCount):
    """The (weighted) number of true negatives: targets = 0 predicted at or below the threshold.

    Formula: tn(t) = Σ w·[y = 0]·[p ≤ t], one value per threshold (default 0.5).
    """

    direction = "up"
    count_key = "tn"


class FalseNegatives(_ConfusionCount):
    """The (weighted) number of false negatives: targets ≠ 0 predicted at or below the threshold.

    Formula: fn(t) = Σ w·[y ≠ 0]·[p ≤ t], one value per threshold (default 0.5).
    """

    count_key = "fn"


class _PrecisionRecall(Metric):
    """Shared state of `Precision` and `Recall`: tp and one other count per threshold."""

    direction = "up"
    other_key = "fp"

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        if top_k is not None and (isinstance(top_k, bool) or not isinstance(top_k, int) or top_k < 1):
            raise ValueError(f"`top_k` must be a positive integer or None. Received: top_k={top_k!r}")
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        self.thresholds = parse_thresholds(thresholds, default=0.5 if top_k is None else NEG_INF)
        self._evenly = evenly_spaced(self.thresholds)
        super().__init__(name=name, dtype=dtype)

    def reset_state(self) -> None:
        self.true_positives = np.zeros(len(self.thresholds))
        self.other = np.zeros(len(self.thresholds))

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        counts = confusion_counts(
            y_true,
            y_pred,
            self.thresholds,
            sample_weight=sample_weight,
            top_k=self.top_k,
            class_id=self.class_id,
            evenly=self._evenly,
        )
        self.true_positives += counts["tp"]
        self.other += counts[self.other_key]

    def result(self) -> float | np.ndarray:
        tp = self.true_positives
        value = divide_no_nan(tp, tp + self.other)
        return scalar_or_array(value[0] if len(self.thresholds) == 1 else value)

    def get_config(self) -> dict[str, Any]:
        config = {"thresholds": self.init_thresholds, "top_k": self.top_k, "class_id": self.class_id}
        return {**super().get_config(), **config}


class Precision(_PrecisionRecall):
    """The fraction of predicted positives that are positive.

    Formula: precision(t) = tp(t) / (tp(t) + fp(t)), and 0 when nothing is predicted positive.

    `top_k` keeps only the k highest scores of each row as candidates (with the threshold −1e10 unless
    `thresholds` is given); `class_id` looks at one column of multi-class scores.
    """

    other_key = "fp"

    @property
    def false_positives(self) -> np.ndarray:
        return self.other


class Recall(_PrecisionRecall):
    """The fraction of positives that are predicted positive.

    Formula: recall(t) = tp(t) / (tp(t) + fn(t)), and 0 when there are no positives.

    `top_k` and `class_id` work as for `Precision`.
    """

    other_key = "fn"

    @property
    def false_negatives(self) -> np.ndarray:
        return self.other
