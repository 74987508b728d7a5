"""Merging layers for functional models with several branches: `Add`, `Subtract`, `Multiply`,
`Average`, `Maximum`, `Minimum`, `Concatenate`, and their function forms."""

from __future__ import annotations

from functools import reduce
from typing import Any

from .. import ops
from ..engine import Tensor
from .base import Layer


class _Merge(Layer):
    """Combines a list of same-shaped inputs element-wise."""

    def _merge(self, inputs: list[Tensor]) -> Tensor:
        raise NotImplementedError

    def _check_list(self, inputs: Any, minimum: int = 2) -> None:
        if not isinstance(inputs, (list, tuple)) or len(inputs) < minimum:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) must be called on a list of at least "
                f"{minimum} inputs. Received: {type(inputs).__name__}"
            )

    def build(self, input_shape: Any) -> None:
        self._check_list(input_shape)
        self.built = True

    def call(self, inputs: list[Tensor]) -> Tensor:
        self._check_list(inputs)
        return self._merge(list(inputs))


class Add(_Merge):
    """Element-wise sum of the inputs."""

    def _merge(self, inputs):
        return reduce(ops.add, inputs)


class Subtract(_Merge):
    """inputs[0] − inputs[1] (exactly two inputs)."""

    def _merge(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Subtract takes exactly 2 inputs. Received {len(inputs)}.")
        return ops.subtract(inputs[0], inputs[1])


class Multiply(_Merge):
    """Element-wise product of the inputs."""

    def _merge(self, inputs):
        return reduce(ops.multiply, inputs)


class Average(_Merge):
    """Element-wise mean of the inputs."""

    def _merge(self, inputs):
        return reduce(ops.add, inputs) / len(inputs)


class Maximum(_Merge):
    def _merge(self, inputs):
        return reduce(ops.maximum, inputs)


class Minimum(_Merge):
    def _merge(self, inputs):
        return reduce(ops.minimum, inputs)


class Concatenate(_Merge):
    """Joins the inputs along `axis` (default: the last one)."""

    def __init__(self, axis: int = -1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axis = axis

    def _merge(self, inputs):
        return ops.concatenate(inputs, axis=self.axis)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["axis"] = self.axis
        return config


def add(inputs: list[Any], **kwargs: Any) -> Any:
    return Add(**kwargs)(inputs)


def subtract(inputs: list[Any], **kwargs: Any) -> Any:
    return Subtract(**kwargs)(inputs)


def multiply(inputs: list[Any], **kwargs: Any) -> Any:
    return Multiply(**kwargs)(inputs)


def average(inputs: list[Any], **kwargs: Any) -> Any:
    return Average(**kwargs)(inputs)


def maximum(inputs: list[Any], **kwargs: Any) -> Any:
    return Maximum(**kwargs)(inputs)


def minimum(inputs: list[Any], **kwargs: Any) -> Any:
    return Minimum(**kwargs)(inputs)


def concatenate(inputs: list[Any], axis: int = -1, **kwargs: Any) -> Any:
    return Concatenate(axis=axis, **kwargs)(inputs)
