"""Weight regularizers (`keras.regularizers`): a penalty on a weight tensor, added to the loss.

Keras semantics: `L2(l2)` is `l2·Σw²` (no ½ factor), `L1(l1)` is `l1·Σ|w|`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import config, ops
from .engine import Tensor
from .utils.serialization import deserialize_object, serialize_object


class Regularizer:
    """Base class: `__call__(x)` returns a scalar penalty tensor."""

    def __call__(self, x: Tensor) -> Tensor:
        raise NotImplementedError

    def get_config(self) -> dict[str, Any]:
        return {}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Regularizer:
        return cls(**config)


def _validate(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        raise ValueError(f"`{name}` must be a non-negative finite number. Received: {name}={value!r}")
    return float(value)


class L1(Regularizer):
    """Formula: penalty = l1 · Σ |w|."""

    def __init__(self, l1: float = 0.01) -> None:
        self.l1 = _validate("l1", l1)

    def __call__(self, x):
        return self.l1 * ops.sum(ops.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """Formula: penalty = l2 · Σ w² (no ½)."""

    def __init__(self, l2: float = 0.01) -> None:
        self.l2 = _validate("l2", l2)

    def __call__(self, x):
        return self.l2 * ops.sum(ops.square(x))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """Formula: penalty = l1 · Σ |w| + l2 · Σ w²."""

    def __init__(self, l1: float = 0.0, l2: float = 0.0) -> None:
        self.l1 = _validate("l1", l1)
        self.l2 = _validate("l2", l2)

    def __call__(self, x):
        penalty = ops.convert_to_tensor(0.0)
        if self.l1:
            penalty = penalty + self.l1 * ops.sum(ops.abs(x))
        if self.l2:
            penalty = penalty + self.l2 * ops.sum(ops.square(x))
        return penalty

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """Push the rows (or columns) of a rank-2 weight towards being orthogonal to each other.

    Formula (mode="rows"; "columns" uses the columns):
        r̂ᵢ = rᵢ / max(‖rᵢ‖, ε)                  (ε = 1e-7, `neurona.config.epsilon()`)
        P = R̂ R̂ᵀ,  n = the number of rows
        penalty = factor · ½ · Σ_{i≠j} |Pᵢⱼ| / (n(n − 1)/2)   (the mean |cosine| over distinct pairs)

    Args:
        factor: the weight of the penalty (0.01).
        mode: "rows" or "columns".
    """

    def __init__(self, factor: float = 0.01, mode: str = "rows") -> None:
        self.factor = _validate("factor", factor)
        if mode not in ("rows", "columns"):
            raise ValueError(
                f'Invalid value for argument `mode`. Expected one of {{"rows", "columns"}}. '
                f"Received: mode={mode!r}"
            )
        self.mode = mode

    def __call__(self, x):
        if len(x.shape) != 2:
            raise ValueError(
                f"Inputs to OrthogonalRegularizer must have rank 2. Received: inputs.shape={tuple(x.shape)}"
            )
        x = ops.convert_to_tensor(x)
        epsilon = config.epsilon()
        if self.mode == "rows":
            unit = x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=1, keepdims=True), epsilon**2))
            product = ops.matmul(unit, ops.transpose(unit))
        else:
            unit = x / ops.sqrt(ops.maximum(ops.sum(ops.square(x), axis=0, keepdims=True), epsilon**2))
            product = ops.matmul(ops.transpose(unit), unit)
        n = product.shape[0]
        if n < 2:  # no pairs to compare (Keras divides 0 by 0 here)
            return ops.sum(product) * 0.0
        off_diagonal = product * (1.0 - np.eye(n, dtype=product.dtype))
        num_pairs = n * (n - 1.0) / 2.0
        return self.factor * 0.5 * ops.sum(ops.abs(off_diagonal)) / num_pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

# Keras's names: class names and their snake_case forms ("l1l2"), plus "l1_l2" (its documented alias).
_BY_NAME: dict[str, type[Regularizer]] = {
    "L1": L1,
    "L2": L2,
    "L1L2": L1L2,
    "OrthogonalRegularizer": OrthogonalRegularizer,
    "l1": L1,
    "l2": L2,
    "l1l2": L1L2,
    "l1_l2": L1L2,
    "orthogonal_regularizer": OrthogonalRegularizer,
}


def get(identifier: Any) -> Any:
    """A regularizer from `None`, a name ("l1", "l2", "l1_l2", "orthogonal_regularizer", or a class name),
    a config dict, an instance or a callable `w -> penalty`."""
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier)
        if cls is None:
            raise ValueError(f"Unknown regularizer: {identifier!r}. Valid names are: {sorted(_BY_NAME)}.")
        if cls is L1L2:  # the string means l1 = l2 = 0.01, as Keras documents (the class defaults are 0)
            return L1L2(l1=0.01, l2=0.01)
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Regularizer):
        return identifier()
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret regularizer identifier: {identifier!r}")


def serialize(regularizer: Any) -> dict[str, Any] | None:
    """`{"class_name": ..., "config": ...}` for a neurona regularizer; `None` for `None`."""
    return serialize_object(regularizer, Regularizer, "regularizer")


def deserialize(config: dict[str, Any]) -> Regularizer:
    """The regularizer described by a `serialize` dict (Keras's dicts, with `module`, work too)."""
    return deserialize_object(config, _BY_NAME, "regularizer")


__all__ = [
    "L1",
    "L1L2",
    "L2",
    "OrthogonalRegularizer",
    "Regularizer",
    "deserialize",
    "get",
    "l1",
    "l1_l2",
    "l2",
    "orthogonal_regularizer",
    "serialize",
]
