"""`InputLayer` and `Input`: where a functional model or a `Sequential` learns its input shape."""

from __future__ import annotations

from typing import Any

from .. import config as _config
from .base import Layer, _standardize_shape
from .symbolic import KerasTensor, Node


class InputLayer(Layer):
    """The entry point of a model: holds the input shape (without the batch axis in `shape`)."""

    def __init__(
        self,
        shape: Any = None,
        batch_size: int | None = None,
        dtype: Any = None,
        batch_shape: Any = None,
        name: str | None = None,
        *,
        input_shape: Any = None,
        batch_input_shape: Any = None,
        **kwargs: Any,
    ) -> None:
        kwargs.pop("sparse", None)
        kwargs.pop("ragged", None)
        super().__init__(name=name, dtype=dtype, **kwargs)
        shape = shape if shape is not None else input_shape
        batch_shape = batch_shape if batch_shape is not None else batch_input_shape
        if shape is not None and batch_shape is not None:
            raise ValueError("Pass either `shape` or `batch_shape` to InputLayer, not both.")
        if batch_shape is not None:
            batch_shape = _standardize_shape(batch_shape)
        elif shape is not None:
            batch_shape = (batch_size,) + _standardize_shape(shape)
        else:
            raise ValueError(
                "InputLayer needs the shape of one sample: pass `shape=` (e.g. shape=(784,)) or `batch_shape=`."
            )
        self._batch_input_shape = batch_shape
        self.built = True
        self.output = KerasTensor(batch_shape, self.dtype, name=self.name)
        node = Node(self, [], [self.output], {})
        self.output.node = node
        self._inbound_nodes.append(node)

    @property
    def batch_shape(self) -> tuple[int | None, ...]:
        return self._batch_input_shape

    def call(self, inputs: Any) -> Any:
        return inputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        return input_shape

    def get_config(self) -> dict[str, Any]:
        return {"batch_shape": list(self._batch_input_shape), "dtype": self.dtype, "name": self.name}


def Input(  # noqa: N802 - Keras's name
    shape: Any = None,
    batch_size: int | None = None,
    dtype: Any = None,
    batch_shape: Any = None,
    name: str | None = None,
    **kwargs: Any,
) -> KerasTensor:
    """A symbolic input tensor for the functional API: `x = Input(shape=(784,))`.

    `shape` is the shape of one sample (no batch axis). Use it as the first element of a `Sequential`,
    or build a `Model(inputs, outputs)` from it.
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype or _config.floatx(),
        batch_shape=batch_shape,
        name=name,
        **kwargs,
    )
    return layer.output
