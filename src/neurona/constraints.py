"""Weight constraints (`keras.constraints`): a projection applied to a weight after every optimizer step.

A layer stores the constraint on the weight (`Variable.constraint`); the optimizer then runs
`w ← constraint(w)` after each update. Constraints are not differentiable and work on the values.
`ε` below is `neurona.config.epsilon()` (1e-7, as Keras's `backend.epsilon()`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import config
from .engine import Tensor, to_array
from .utils.serialization import deserialize_object, serialize_object


class Constraint:
    """Base class: `__call__(w)` returns the projected weight (the base class returns `w` unchanged)."""

    def __call__(self, w: Any) -> Any:
        return w

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Constraint:
        return cls(**config)


def _axis(axis: Any) -> int | tuple[int, ...]:
    """An axis as NumPy takes it (a list such as Keras's `[0, 1, 2]` becomes a tuple)."""
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"`axis` must be an integer or a list of integers. Received: axis={axis!r}")
    return int(axis)


def _norms(w: np.ndarray, axis: Any) -> np.ndarray:
    """‖w‖₂ along `axis`, kept as size-1 axes so that it broadcasts against `w`."""
    return np.sqrt(np.sum(np.square(w), axis=_axis(axis), keepdims=True))


def _as_float_array(w: Any) -> np.ndarray:
    array = to_array(w)
    return array if array.dtype.kind == "f" else array.astype(config.floatx())


class MaxNorm(Constraint):
    """Rescale the weights incident to each unit so that their norm is at most `max_value`.

    Formula: w ← w · clip(‖w‖, 0, max_value) / (ε + ‖w‖), norms along `axis`.

    Args:
        max_value: the largest allowed norm (2).
        axis: the axis (or list of axes) the norm runs over; 0 for a `Dense` kernel `(inputs, units)`
            constrains the incoming weights of each unit.

    Example:
        >>> MaxNorm(max_value=1.0)(np.array([[3.0], [4.0]])).numpy().round(4).ravel().tolist()
        [0.6, 0.8]
    """

    def __init__(self, max_value: float = 2, axis: Any = 0) -> None:
        if isinstance(max_value, bool) or not isinstance(max_value, (int, float)) or max_value < 0:
            raise ValueError(f"`max_value` must be a non-negative number. Received: max_value={max_value!r}")
        _axis(axis)
        self.max_value = max_value
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = _as_float_array(w)
        norms = _norms(w, self.axis)
        desired = np.clip(norms, 0, self.max_value)
        return Tensor(w * (desired / (config.epsilon() + norms)))

    def get_config(self) -> dict[str, Any]:
        return {"max_value": self.max_value, "axis": self.axis}


class NonNeg(Constraint):
    """Constrain the weights to be non-negative.

    Formula: w ← max(w, 0).
    """

    def __call__(self, w: Any) -> Tensor:
        w = _as_float_array(w)
        return Tensor(np.maximum(w, 0).astype(w.dtype, copy=False))


class UnitNorm(Constraint):
    """Rescale the weights incident to each unit to norm 1.

    Formula: w ← w / (ε + ‖w‖), norms along `axis`.

    Args:
        axis: the axis (or list of axes) the norm runs over (0).
    """

    def __init__(self, axis: Any = 0) -> None:
        _axis(axis)
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = _as_float_array(w)
        return Tensor(w / (config.epsilon() + _norms(w, self.axis)))

    def get_config(self) -> dict[str, Any]:
        return {"axis": self.axis}


class MinMaxNorm(Constraint):
    """Move the norm of the weights incident to each unit into `[min_value, max_value]`, at `rate`.

    Formula:
        desired = rate · clip(‖w‖, min_value, max_value) + (1 − rate) · ‖w‖
        w ← w · desired / (ε + ‖w‖), norms along `axis`.

    Args:
        min_value, max_value: the bounds of the norm (0.0 and 1.0).
        rate: 1.0 enforces the bounds at once; a smaller rate moves the norm part of the way each step.
        axis: the axis (or list of axes) the norm runs over (0).
    """

    def __init__(
        self, min_value: float = 0.0, max_value: float = 1.0, rate: float = 1.0, axis: Any = 0
    ) -> None:
        if not 0 <= min_value <= max_value:
            raise ValueError(
                "`min_value` and `max_value` must satisfy 0 <= min_value <= max_value. "
                f"Received: min_value={min_value!r}, max_value={max_value!r}"
            )
        _axis(axis)
        self.min_value = min_value
        self.max_value = max_value
        self.rate = rate
        self.axis = axis

    def __call__(self, w: Any) -> Tensor:
        w = _as_float_array(w)
        norms = _norms(w, self.axis)
        desired = self.rate * np.clip(norms, self.min_value, self.max_value) + (1 - self.rate) * norms
        return Tensor(w * (desired / (config.epsilon() + norms)))

    def get_config(self) -> dict[str, Any]:
        return {
            "min_value": self.min_value,
            "max_value": self.max_value,
            "rate": self.rate,
            "axis": self.axis,
        }


max_norm = MaxNorm
non_neg = NonNeg
unit_norm = UnitNorm
min_max_norm = MinMaxNorm

_BY_NAME: dict[str, type[Constraint]] = {
    "Constraint": Constraint,
    "MaxNorm": MaxNorm,
    "NonNeg": NonNeg,
    "UnitNorm": UnitNorm,
    "MinMaxNorm": MinMaxNorm,
    "constraint": Constraint,
    "max_norm": MaxNorm,
    "non_neg": NonNeg,
    "unit_norm": UnitNorm,
    "min_max_norm": MinMaxNorm,
}


def serialize(constraint: Any) -> dict[str, Any] | None:
    """`{"class_name": ..., "config": ...}` for a neurona constraint; `None` for `None`."""
    return serialize_object(constraint, Constraint, "constraint")


def deserialize(config: dict[str, Any]) -> Constraint:
    """The constraint described by a `serialize` dict (Keras's dicts, with `module`, work too)."""
    return deserialize_object(config, _BY_NAME, "constraint")


def get(identifier: Any) -> Any:
    """A constraint from `None`, a name (`"non_neg"`, `"MaxNorm"`, ...), a config dict, an instance or a
    callable `w -> w'`."""
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier)
        if cls is None:
            raise ValueError(f"Unknown constraint: {identifier!r}. Valid names are: {sorted(_BY_NAME)}.")
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Constraint):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(
        f"Could not interpret constraint identifier: {identifier!r}. Pass a name such as 'non_neg', a "
        "Constraint instance, a config dict or a callable."
    )


__all__ = [
    "Constraint",
    "MaxNorm",
    "MinMaxNorm",
    "NonNeg",
    "UnitNorm",
    "deserialize",
    "get",
    "max_norm",
    "min_max_norm",
    "non_neg",
    "serialize",
    "unit_norm",
]
