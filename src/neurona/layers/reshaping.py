"""Reshaping layers: `Flatten` and `Reshape` (the batch axis is never touched)."""

from __future__ import annotations

import math
from typing import Any

from .. import ops
from ..engine import Tensor
from .base import Layer


class Flatten(Layer):
    """Flattens every axis but the batch axis: (batch, 28, 28) → (batch, 784)."""

    def __init__(self, data_format: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if data_format not in (None, "channels_last", "channels_first"):
            raise ValueError(
                "`data_format` must be 'channels_last' or 'channels_first'. "
                f"Received: data_format={data_format!r}"
            )
        self.data_format = data_format

    def call(self, inputs: Tensor) -> Tensor:
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = ops.transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return ops.reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape: Any) -> tuple[int | None, ...]:
        rest = input_shape[1:]
        return (input_shape[0], None if None in rest else math.prod(rest))

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class Reshape(Layer):
    """Reshapes each sample to `target_shape` (which may contain one -1)."""

    def __init__(self, target_shape: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in target_shape) > 1 or any(d == 0 or d < -1 for d in target_shape):
            raise ValueError(
                "`target_shape` must hold positive sizes and at most one -1. "
                f"Received: target_shape={target_shape}"
            )
        self.target_shape = target_shape

    def compute_output_shape(self, input_shape: Any) -> tuple[int | None, ...]:
        size = math.prod(input_shape[1:]) if None not in input_shape[1:] else None
        known = math.prod(d for d in self.target_shape if d != -1)
        if -1 in self.target_shape:
            if size is None:
                return (input_shape[0],) + tuple(None if d == -1 else d for d in self.target_shape)
            if size % known:
                raise self._mismatch(input_shape)
            return (input_shape[0],) + tuple(size // known if d == -1 else d for d in self.target_shape)
        if size is not None and size != known:
            raise self._mismatch(input_shape)
        return (input_shape[0],) + self.target_shape

    def _mismatch(self, input_shape: Any) -> ValueError:
        return ValueError(
            f"Layer '{self.name}' cannot reshape inputs of shape {tuple(input_shape)} (per-sample size "
            f"{math.prod(input_shape[1:])}) to target_shape={self.target_shape}. The number of values per "
            "sample must stay the same."
        )

    def call(self, inputs: Tensor) -> Tensor:
        self.compute_output_shape(inputs.shape)
        return ops.reshape(inputs, (inputs.shape[0],) + self.target_shape)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config["target_shape"] = list(self.target_shape)
        return config
