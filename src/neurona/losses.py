"""Losses (`keras.losses`): per-sample functions, the `Loss` classes that wrap them with a reduction
and sample weights, and `get` for strings and Keras's aliases.

Reductions, as in Keras: `"sum_over_batch_size"` (the default, also `"mean"`) = Σ(w·loss) / number of
loss values; `"sum"` = Σ(w·loss); `"mean_with_sample_weight"` = Σ(w·loss) / Σw; `"none"` = w·loss.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from . import ops
from .engine import Tensor

_REDUCTIONS = ("sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight")


def squeeze_or_expand_to_same_rank(x1: Tensor, x2: Tensor) -> tuple[Tensor, Tensor]:
    """Match ranks that differ by a trailing axis of size 1 (never broadcast (N,) against (N, 1))."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        return (x1, ops.expand_dims(x2, -1)) if r2 == 1 else (ops.squeeze(x1, -1), x2)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        return (ops.expand_dims(x1, -1), x2) if r1 == 1 else (x1, ops.squeeze(x2, -1))
    return x1, x2


def _pair(y_true: Any, y_pred: Any) -> tuple[Tensor, Tensor]:
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype and np.dtype(y_pred.dtype).kind == "f":
        y_true = Tensor._wrap(y_true.data.astype(y_pred.dtype))
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def _check_same_shape(y_true: Tensor, y_pred: Tensor) -> None:
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"Arguments `target` and `output` must have the same shape. Received: target.shape={y_true.shape}, "
            f"output.shape={y_pred.shape}. Hint: for integer class labels use a sparse_categorical "
            "loss; for binary labels give the model a single output unit."
        )


# --- per-sample functions ------------------------------------------------------------------------------
def mean_squared_error(y_true: Any, y_pred: Any) -> Tensor:
    """Formula: loss = mean((y_true − y_pred)², axis=-1)."""
    y_true, y_pred = _pair(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    return ops.mean(ops.square(y_pred - y_true), axis=-1)


def mean_absolute_error(y_true: Any, y_pred: Any) -> Tensor:
    """Formula: loss = mean(|y_true − y_pred|, axis=-1)."""
    y_true, y_pred = _pair(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    return ops.mean(ops.abs(y_pred - y_true), axis=-1)


def binary_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Formula: loss = mean(−[y·log p + (1 − y)·log(1 − p)], axis=-1).

    Probabilities are clipped to [ε, 1 − ε] (ε = 1e-7, in the input dtype). With `from_logits=True` the
    stable form max(x, 0) − x·y + log(1 + e^−|x|) is used. Label smoothing: y ← y·(1 − ls) + 0.5·ls.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return ops.mean(ops.binary_crossentropy(y_true, y_pred, from_logits=from_logits), axis=axis)


def categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, label_smoothing: float = 0.0, axis: int = -1
) -> Tensor:
    """Formula: loss = −Σ y·log p over the class axis (p renormalised to sum to 1, then clipped).

    Label smoothing: y ← y·(1 − ls) + ls / num_classes.
    """
    y_true, y_pred = _pair(y_true, y_pred)
    if label_smoothing:
        num_classes = y_pred.shape[axis]
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / num_classes
    return ops.categorical_crossentropy(y_true, y_pred, from_logits=from_logits, axis=axis)


def check_sparse_labels(labels: np.ndarray, num_classes: int, ignore_class: int | None = None) -> None:
    """Raise a clear error unless every label is an integer in [0, num_classes) (or `ignore_class`)."""
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)):
            index = int(np.flatnonzero(~np.isfinite(labels.ravel()))[0])
            raise ValueError(
                f"Sparse labels must be finite integers; label at index {index} is {labels.ravel()[index].item()}."
            )
        if not np.all(labels == np.round(labels)):
            index = int(np.flatnonzero(labels.ravel() != np.round(labels.ravel()))[0])
            raise ValueError(
                f"Sparse labels must be integers. Received the value {labels.ravel()[index].item()} at index {index}. "
                "For one-hot or probability targets use categorical_crossentropy."
            )
    elif labels.dtype.kind not in "iub":
        raise TypeError(f"Sparse labels must be integers. Received an array of dtype {labels.dtype}.")
    flat = labels.ravel()
    valid = (flat >= 0) & (flat < num_classes)
    if ignore_class is not None:
        valid |= flat == ignore_class
    if not np.all(valid):
        index = int(np.flatnonzero(~valid)[0])
        raise ValueError(
            f"Received a label value of {flat[index].item()!r} at index {index}, which is outside the valid range of "
            f"[0, {num_classes}). The model's output has {num_classes} classes: labels must be 0 to "
            f"{num_classes - 1}. Re-encode the labels (e.g. subtract 1 if they start at 1) or give the last "
            "layer more units."
        )


def sparse_categorical_crossentropy(
    y_true: Any, y_pred: Any, from_logits: bool = False, ignore_class: int | None = None, axis: int = -1
) -> Tensor:
    """Formula: loss = −log p[y] for integer labels y (p from softmax(logits) when `from_logits`).

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


# --- reduction -----------------------------------------------------------------------------------------
def reduce_weighted_values(
    values: Tensor, sample_weight: Any = None, reduction: str = "sum_over_batch_size"
) -> Tensor:
    """Weight per-sample loss values and reduce them (see the module docstring)."""
    if sample_weight is None and reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        return ops.mean(values) if values.ndim else values
    if sample_weight is not None:
        weight = ops.convert_to_tensor(sample_weight, dtype=values.dtype)
        values, weight = squeeze_or_expand_to_same_rank(values, weight)
        values = values * weight
    if reduction in (None, "none") or values.ndim == 0:
        return values
    total = ops.sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(np.sum(np.broadcast_to(np.asarray(sample_weight, dtype=values.dtype), values.shape)))
    else:
        divisor = float(values.size)
    return total / divisor if divisor else total * 0.0


# --- classes ---------------------------------------------------------------------------------------------
class Loss:
    """Base class: `call(y_true, y_pred)` gives per-sample values; `__call__` weights and reduces them."""

    def __init__(
        self, name: str | None = None, reduction: str | None = "sum_over_batch_size", dtype: Any = None
    ) -> None:
        if reduction not in _REDUCTIONS and reduction is not None:
            raise ValueError(
                f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. Received: reduction={reduction!r}"
            )
        self.name = name or _snake(type(self).__name__)
        self.reduction = reduction
        self.dtype = dtype

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        return reduce_weighted_values(self.call(y_true, y_pred), sample_weight, self.reduction)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        return cls(**config)


def _snake(name: str) -> str:
    from .utils.naming import to_snake_case

    return to_snake_case(name)


class LossFunctionWrapper(Loss):
    """A `Loss` around a per-sample function `fn(y_true, y_pred, **kwargs)`."""

    def __init__(
        self,
        fn: Callable[..., Tensor],
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name or getattr(fn, "__name__", "loss"), reduction=reduction)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update(self._fn_kwargs)
        return config


class MeanSquaredError(LossFunctionWrapper):
    """Formula: loss = mean((y_true − y_pred)²)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_squared_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_squared_error, reduction=reduction, name=name)


class MeanAbsoluteError(LossFunctionWrapper):
    """Formula: loss = mean(|y_true − y_pred|)."""

    def __init__(
        self,
        reduction: str | None = "sum_over_batch_size",
        name: str = "mean_absolute_error",
        dtype: Any = None,
    ) -> None:
        super().__init__(mean_absolute_error, reduction=reduction, name=name)


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
        _check_smoothing(label_smoothing)
        super().__init__(
            binary_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


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
        _check_smoothing(label_smoothing)
        super().__init__(
            categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )
        self.from_logits = from_logits


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
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
        )
        self.from_logits = from_logits
        self.ignore_class = ignore_class


def _check_smoothing(label_smoothing: float) -> None:
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"`label_smoothing` must be in [0, 1]. Received: label_smoothing={label_smoothing}")


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
bce = BCE = binary_crossentropy

_FUNCTIONS: dict[str, Callable[..., Tensor]] = {
    "mean_squared_error": mean_squared_error,
    "mse": mean_squared_error,
    "MSE": mean_squared_error,
    "mean_absolute_error": mean_absolute_error,
    "mae": mean_absolute_error,
    "MAE": mean_absolute_error,
    "binary_crossentropy": binary_crossentropy,
    "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
}
_CLASSES: dict[str, type[Loss]] = {
    cls.__name__: cls
    for cls in (
        MeanSquaredError,
        MeanAbsoluteError,
        BinaryCrossentropy,
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
    )
}


def get(identifier: Any) -> Any:
    """A loss from a name (function or class name, or an alias such as "mse"), a config dict, a `Loss`
    instance or a callable. Function names give the function, class names an instance."""
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        if identifier in _FUNCTIONS:
            return _FUNCTIONS[identifier]
        if identifier in _CLASSES:
            return _CLASSES[identifier]()
        raise ValueError(
            f"Could not interpret loss identifier: {identifier!r}. Valid names are: "
            f"{sorted(set(_FUNCTIONS) | set(_CLASSES))} (and 'crossentropy' in compile)."
        )
    if isinstance(identifier, dict):
        cls = _CLASSES.get(identifier.get("class_name", ""))
        if cls is None:
            raise ValueError(f"Unknown loss config: {identifier!r}")
        return cls.from_config(identifier.get("config", {}))
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret loss identifier: {identifier!r}")


def serialize(loss: Any) -> Any:
    if isinstance(loss, Loss):
        return {"class_name": type(loss).__name__, "config": loss.get_config()}
    return getattr(loss, "__name__", str(loss))


def deserialize(config: Any) -> Any:
    return get(config)


__all__ = [
    "BCE",
    "BinaryCrossentropy",
    "CategoricalCrossentropy",
    "Loss",
    "LossFunctionWrapper",
    "MAE",
    "MSE",
    "MeanAbsoluteError",
    "MeanSquaredError",
    "SparseCategoricalCrossentropy",
    "bce",
    "binary_crossentropy",
    "categorical_crossentropy",
    "deserialize",
    "get",
    "mae",
    "mean_absolute_error",
    "mean_squared_error",
    "mse",
    "reduce_weighted_values",
    "serialize",
    "sparse_categorical_crossentropy",
    "squeeze_or_expand_to_same_rank",
]
