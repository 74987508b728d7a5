"""The machinery every loss shares: `Loss` (weights and reduces per-sample values), `LossFunctionWrapper`
(a `Loss` around a per-sample function), the reduction, and the shape and label checks.

Reductions, as in Keras: `"sum_over_batch_size"` (the default, also `"mean"`) = Σ(w·loss) / number of
loss values; `"sum"` = Σ(w·loss); `"mean_with_sample_weight"` = Σ(w·loss) / Σw; `"none"`/`None` = w·loss.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .. import config, ops
from ..engine import Tensor

_REDUCTIONS = ("sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight")


# --- shapes and dtypes -----------------------------------------------------------------------------------
def squeeze_or_expand_to_same_rank(x1: Tensor, x2: Tensor) -> tuple[Tensor, Tensor]:
    """Match ranks that differ by a trailing axis of size 1 (never broadcast (N,) against (N, 1)).

    Keras's rule: the operand with the extra trailing 1 is squeezed, except that a rank-1 partner is
    expanded instead, so (N,) against (N, 1) gives two (N, 1) tensors.
    """
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        return (x1, ops.expand_dims(x2, -1)) if r2 == 1 else (ops.squeeze(x1, -1), x2)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        return (ops.expand_dims(x1, -1), x2) if r1 == 1 else (x1, ops.squeeze(x2, -1))
    return x1, x2


def standardize_pair(y_true: Any, y_pred: Any) -> tuple[Tensor, Tensor]:
    """Both as tensors of `y_pred`'s float dtype (ints become `floatx()`), ranks matched by Keras's rule."""
    y_pred = ops.convert_to_tensor(y_pred)
    if np.dtype(y_pred.dtype).kind != "f":
        y_pred = ops.cast(y_pred, config.floatx())
    y_true = ops.convert_to_tensor(y_true)
    if y_true.dtype != y_pred.dtype:
        y_true = ops.cast(y_true, y_pred.dtype)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def check_same_shape(y_true: Tensor, y_pred: Tensor, hint: str = "") -> None:
    """Raise a `ValueError` naming both shapes unless they are equal (no silent broadcasting)."""
    if y_true.shape != y_pred.shape:
        raise ValueError(
            "Arguments `target` and `output` must have the same shape. "
            f"Received: target.shape={y_true.shape}, output.shape={y_pred.shape}. "
            + (hint or "Give the targets the shape of the model's output (for example with reshape).")
        )


def paired(y_true: Any, y_pred: Any, hint: str = "") -> tuple[Tensor, Tensor]:
    """`standardize_pair`, then `check_same_shape`: the start of every element-wise loss."""
    y_true, y_pred = standardize_pair(y_true, y_pred)
    check_same_shape(y_true, y_pred, hint)
    return y_true, y_pred


def check_label_smoothing(label_smoothing: float) -> None:
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"`label_smoothing` must be in [0, 1]. Received: label_smoothing={label_smoothing}")


def check_sparse_labels(labels: np.ndarray, num_classes: int, ignore_class: int | None = None) -> None:
    """Raise a clear error unless every label is an integer in [0, num_classes) (or `ignore_class`)."""
    if labels.dtype.kind == "f":
        if not np.all(np.isfinite(labels)):
            index = int(np.flatnonzero(~np.isfinite(labels.ravel()))[0])
            raise ValueError(
                f"Sparse labels must be finite integers; label at index {index} is "
                f"{labels.ravel()[index].item()}."
            )
        if not np.all(labels == np.round(labels)):
            index = int(np.flatnonzero(labels.ravel() != np.round(labels.ravel()))[0])
            raise ValueError(
                f"Sparse labels must be integers. Received the value {labels.ravel()[index].item()} at index "
                f"{index}. For one-hot or probability targets use categorical_crossentropy."
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
            f"Received a label value of {flat[index].item()!r} at index {index}, which is outside the valid "
            f"range of [0, {num_classes}). The model's output has {num_classes} classes: labels must be 0 to "
            f"{num_classes - 1}. Re-encode the labels (e.g. subtract 1 if they start at 1) or give the last "
            "layer more units."
        )


# --- reduction -----------------------------------------------------------------------------------------
def reduce_weighted_values(
    values: Tensor, sample_weight: Any = None, reduction: str | None = "sum_over_batch_size"
) -> Tensor:
    """Weight per-sample loss values and reduce them (see the module docstring)."""
    if sample_weight is None and reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        return ops.mean(values) if values.ndim else values
    if sample_weight is not None:
        weight = ops.convert_to_tensor(sample_weight, dtype=values.dtype)
        values, weight = squeeze_or_expand_to_same_rank(values, weight)
        _check_weight_shape(values.shape, weight.shape)
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


def _check_weight_shape(values_shape: tuple[int, ...], weight_shape: tuple[int, ...]) -> None:
    try:
        fits = np.broadcast_shapes(values_shape, weight_shape) == values_shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"`sample_weight` of shape {weight_shape} does not fit the per-sample losses of shape "
            f"{values_shape}. Pass a scalar, one weight per sample (shape {values_shape[:1]}), or an array "
            "of the losses' shape."
        )


# --- classes ---------------------------------------------------------------------------------------------
class Loss:
    """Base class: `call(y_true, y_pred)` gives per-sample values; `__call__` weights and reduces them.

    Subclass it and implement `call`; `name`, `reduction` and `dtype` are Keras's arguments (with a
    `dtype`, `y_pred` and float targets are cast to it first; without one the inputs' dtype is kept).
    """

    def __init__(
        self, name: str | None = None, reduction: str | None = "sum_over_batch_size", dtype: Any = None
    ) -> None:
        if reduction not in _REDUCTIONS and reduction is not None:
            raise ValueError(
                f"Invalid value for argument `reduction`. Expected one of {_REDUCTIONS}. "
                f"Received: reduction={reduction!r}"
            )
        self.name = name or _snake(type(self).__name__)
        self.reduction = reduction
        self.dtype = dtype

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        raise NotImplementedError

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        if self.dtype is not None:
            y_pred = ops.cast(ops.convert_to_tensor(y_pred), self.dtype)
            y_true = ops.convert_to_tensor(y_true)
            if np.dtype(y_true.dtype).kind == "f":
                y_true = ops.cast(y_true, self.dtype)
        return reduce_weighted_values(self.call(y_true, y_pred), sample_weight, self.reduction)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        return cls(**config)


def _snake(name: str) -> str:
    from ..utils.naming import to_snake_case

    return to_snake_case(name)


class LossFunctionWrapper(Loss):
    """A `Loss` around a per-sample function `fn(y_true, y_pred, **kwargs)`; the kwargs are its config."""

    def __init__(
        self,
        fn: Callable[..., Tensor],
        reduction: str | None = "sum_over_batch_size",
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=name or getattr(fn, "__name__", "loss"), reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def __getattr__(self, name: str) -> Any:
        """The function's options read as attributes (`loss.from_logits`, `huber.delta`, ...)."""
        options = self.__dict__.get("_fn_kwargs", {})
        if name in options:
            return options[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def call(self, y_true: Any, y_pred: Any) -> Tensor:
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        if type(self) is LossFunctionWrapper:
            config["fn"] = getattr(self.fn, "__name__", str(self.fn))
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        if cls is LossFunctionWrapper and isinstance(config.get("fn"), str):
            from . import get

            config = {**config, "fn": get(config["fn"])}
        return cls(**config)
