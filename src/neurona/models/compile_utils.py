"""What `compile` turns its `loss` and `metrics` arguments into, once the shapes of the targets and
predictions are known: one loss per output (summed with `loss_weights`) and the metric objects.

Shape-dependent choices, as in Keras: `"crossentropy"`/`"ce"` picks binary, sparse or categorical
cross-entropy, and `"accuracy"`/`"acc"` picks binary, sparse-categorical or categorical accuracy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import losses as losses_module
from .. import metrics as metrics_module
from ..engine import Tensor


def _kind(y_true: np.ndarray, y_pred_shape: tuple[int, ...]) -> str:
    """'binary', 'sparse' or 'categorical', from the shapes of a target and a prediction."""
    if y_pred_shape[-1] == 1:
        return "binary"
    if y_true.ndim < len(y_pred_shape) or (y_true.ndim == len(y_pred_shape) and y_true.shape[-1] == 1):
        return "sparse"
    return "categorical"


def _as_list(structure: Any, names: list[str], what: str) -> list[Any]:
    """One entry per output, from a single value (shared), a list, or a dict keyed by output name."""
    if isinstance(structure, dict):
        unknown = set(structure) - set(names)
        if unknown:
            raise ValueError(
                f"`{what}` has keys {sorted(unknown)} that match no output. Output names: {names}"
            )
        return [structure.get(name) for name in names]
    if isinstance(structure, (list, tuple)):
        if len(structure) != len(names):
            raise ValueError(
                f"The model has {len(names)} output(s) {names}, but `{what}` has {len(structure)} entries. "
                "Pass one per output, or a dict keyed by output name."
            )
        return list(structure)
    return [structure] * len(names)


def resolve_loss(identifier: Any, y_true: np.ndarray, y_pred_shape: tuple[int, ...]) -> Any:
    """A callable `loss(y_true, y_pred, sample_weight)` for one output."""
    if isinstance(identifier, str) and identifier in ("crossentropy", "ce"):
        kind = _kind(y_true, y_pred_shape)
        identifier = {
            "binary": "binary_crossentropy",
            "sparse": "sparse_categorical_crossentropy",
            "categorical": "categorical_crossentropy",
        }[kind]
    loss = losses_module.get(identifier)
    if loss is None:
        return None
    if not isinstance(loss, losses_module.Loss):
        loss = losses_module.LossFunctionWrapper(loss, name=getattr(loss, "__name__", "loss"))
    return loss


def resolve_metric(
    identifier: Any, y_true: np.ndarray, y_pred_shape: tuple[int, ...]
) -> metrics_module.Metric:
    """A metric object for one output; "accuracy"/"acc" are chosen from the shapes, named as passed."""
    if isinstance(identifier, str) and identifier in ("accuracy", "acc"):
        kind = _kind(y_true, y_pred_shape)
        cls = {
            "binary": metrics_module.BinaryAccuracy,
            "sparse": metrics_module.SparseCategoricalAccuracy,
            "categorical": metrics_module.CategoricalAccuracy,
        }[kind]
        return cls(name=identifier)
    if isinstance(identifier, str) and identifier in ("crossentropy", "ce"):
        kind = _kind(y_true, y_pred_shape)
        cls = {
            "binary": metrics_module.BinaryCrossentropy,
            "sparse": metrics_module.SparseCategoricalCrossentropy,
            "categorical": metrics_module.CategoricalCrossentropy,
        }[kind]
        return cls(name=identifier)
    metric = metrics_module.get(identifier)
    if isinstance(identifier, str):
        metric.name = identifier  # Keras logs a string metric under the string itself ("AUC", "mse")
    return metric


def _is_sparse_loss(loss: Any) -> bool:
    fn = getattr(loss, "fn", None)
    return fn is losses_module.sparse_categorical_crossentropy


class CompiledLoss:
    """The total training loss: Σ loss_weight_i · loss_i(y_true_i, y_pred_i, sample_weight)."""

    def __init__(self, loss: Any, loss_weights: Any, output_names: list[str]) -> None:
        self.output_names = output_names
        self._identifiers = _as_list(loss, output_names, "loss")
        weights = (
            [1.0] * len(output_names)
            if loss_weights is None
            else _as_list(loss_weights, output_names, "loss_weights")
        )
        self.loss_weights = [1.0 if w is None else float(w) for w in weights]
        self.losses: list[Any] | None = None

    @property
    def built(self) -> bool:
        return self.losses is not None

    def build(self, y_true: list[np.ndarray], y_pred_shapes: list[tuple[int, ...]]) -> None:
        self.losses = [resolve_loss(i, t, s) for i, t, s in zip(self._identifiers, y_true, y_pred_shapes)]
        if all(loss is None for loss in self.losses):
            raise ValueError(
                "The model was compiled without a loss, so it cannot be trained or evaluated on targets. "
                "Pass `loss=` to compile (e.g. loss='sparse_categorical_crossentropy')."
            )

    def check_targets(self, y_true: list[np.ndarray], y_pred_shapes: list[tuple[int, ...]]) -> None:
        """Check every target once, before training: integer labels in range for sparse losses."""
        for loss, target, shape in zip(self.losses, y_true, y_pred_shapes):
            if loss is not None and _is_sparse_loss(loss):
                labels = target[..., 0] if target.ndim == len(shape) and target.shape[-1] == 1 else target
                axis = loss._fn_kwargs.get("axis", -1)
                losses_module.check_sparse_labels(labels, shape[axis], loss._fn_kwargs.get("ignore_class"))

    def __call__(
        self, y_true: list[Any], y_pred: list[Tensor], sample_weight: Any = None
    ) -> tuple[Tensor, list[Tensor]]:
        per_output = []
        total = None
        for loss, weight, target, prediction in zip(self.losses, self.loss_weights, y_true, y_pred):
            if loss is None:
                continue
            value = loss(target, prediction, sample_weight)
            per_output.append(value)
            term = value if weight == 1.0 else value * weight
            total = term if total is None else total + term
        return total, per_output


class CompiledMetrics:
    """The metric objects of every output, with Keras's log names (prefixed by the output name when the
    model has several outputs)."""

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list[str]) -> None:
        self.output_names = output_names
        self._metrics = self._per_output(metrics, "metrics")
        self._weighted = self._per_output(weighted_metrics, "weighted_metrics")
        self.metrics: list[tuple[int, metrics_module.Metric, bool]] | None = None

    def _per_output(self, metrics: Any, what: str) -> list[list[Any]]:
        n = len(self.output_names)
        if metrics is None:
            return [[] for _ in range(n)]
        if isinstance(metrics, dict):
            return [_listify(entry) for entry in _as_list(metrics, self.output_names, what)]
        if not isinstance(metrics, (list, tuple)):
            raise TypeError(
                f"`{what}` must be a list (or a dict keyed by output name). Received: {metrics!r}"
            )
        if n > 1 and len(metrics) == n and all(isinstance(m, (list, tuple)) or m is None for m in metrics):
            return [_listify(m) for m in metrics]
        return [list(metrics) for _ in range(n)]

    @property
    def built(self) -> bool:
        return self.metrics is not None

    def build(self, y_true: list[np.ndarray], y_pred_shapes: list[tuple[int, ...]]) -> None:
        built = []
        for index, (target, shape) in enumerate(zip(y_true, y_pred_shapes)):
            for identifier in self._metrics[index]:
                built.append((index, self._named(resolve_metric(identifier, target, shape), index), False))
            for identifier in self._weighted[index]:
                built.append((index, self._named(resolve_metric(identifier, target, shape), index), True))
        self.metrics = built

    def _named(self, metric: metrics_module.Metric, index: int) -> metrics_module.Metric:
        if len(self.output_names) > 1:
            base = metric.__dict__.setdefault("_base_name", metric.name)  # compiling twice adds one prefix
            metric.name = f"{self.output_names[index]}_{base}"
        return metric

    def update_state(
        self, y_true: list[np.ndarray], y_pred: list[np.ndarray], sample_weight: Any = None
    ) -> None:
        for index, metric, weighted in self.metrics:
            metric.update_state(y_true[index], y_pred[index], sample_weight if weighted else None)

    def reset_state(self) -> None:
        for _, metric, _ in self.metrics or []:
            metric.reset_state()

    def result(self) -> dict[str, float]:
        return {metric.name: metric.result() for _, metric, _ in self.metrics or []}


def _listify(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
