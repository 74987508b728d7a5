"""`Sequential`: a plain stack of layers, each feeding the next."""

from __future__ import annotations

from typing import Any

from ..engine import Tensor
from ..layers.base import Layer
from ..layers.input_layer import InputLayer
from ..layers.symbolic import KerasTensor
from ..saving.limits import ModelFileError
from ..saving.serialization import deserialize_keras_object, serialize_keras_object
from ..saving.weights import (
    all_layers,
    allocation_guard,
    check_input_shape,
    check_layer_name,
    current_budget,
    current_input_cap,
)
from .functional import Graph
from .model import Model


class Sequential(Model):
    """A linear stack of layers.

    Give it an input shape, as the course does, with a first `Input(shape=...)` (or `InputLayer`), or
    `input_shape=` on the first layer; otherwise it builds on the first batch it sees.

    Example:
        >>> model = Sequential([Input(shape=(784,)), layers.Dense(32, activation="relu"), layers.Dense(10)])
        >>> model.count_params()
        25450
    """

    def __init__(
        self, layers: list[Any] | None = None, trainable: bool = True, name: str | None = None
    ) -> None:
        super().__init__(name=name, trainable=trainable)
        self._input_layer: InputLayer | None = None
        for layer in layers or []:
            self.add(layer, rebuild=False)
        self._rebuild()

    @property
    def layers(self) -> list[Layer]:
        """The layers, without the `InputLayer` (as Keras)."""
        return list(self._sublayers)

    def add(self, layer: Any, rebuild: bool = True) -> None:
        """Append a layer (or set the input with an `Input`/`InputLayer`)."""
        if isinstance(layer, KerasTensor):
            if layer.node is None or not isinstance(layer.node.layer, InputLayer):
                raise ValueError("Only a tensor from neurona.Input(...) can be added to a Sequential model.")
            layer = layer.node.layer
        if not isinstance(layer, Layer):
            raise TypeError(
                f"Only layers can be added to a Sequential model. Received: {layer!r} (of type {type(layer).__name__})"
            )
        if isinstance(layer, InputLayer):
            if self._sublayers or self._input_layer is not None:
                raise ValueError("An Input/InputLayer can only be the first element of a Sequential model.")
            self._input_layer = layer
        else:
            if any(existing.name == layer.name for existing in self._sublayers):
                raise ValueError(
                    f"All layers added to a Sequential model should have unique names. Name '{layer.name}' is "
                    "already the name of a layer in this model."
                )
            if not self._sublayers and self._input_layer is None and layer._batch_input_shape is not None:
                self._input_layer = InputLayer(batch_shape=layer._batch_input_shape, dtype=layer.dtype)
            self._sublayers.append(layer)
        if rebuild:
            self._rebuild()

    def pop(self, rebuild: bool = True) -> Layer:
        """Remove and return the last layer."""
        if not self._sublayers:
            raise TypeError("There are no layers in the model.")
        layer = self._sublayers.pop()
        self._graph = None
        self.built = False
        if rebuild:
            self._rebuild()
        return layer

    def _rebuild(self) -> None:
        """With a known input shape, run the layers symbolically: builds them and records output shapes."""
        self._graph = None
        self.built = False
        if self._input_layer is None or not self._sublayers:
            return
        x = self._input_layer.output
        for layer in self._sublayers:
            x = layer(x)
        self._graph = Graph(self._input_layer.output, x)
        self.built = True

    def build(self, input_shape: Any = None) -> None:
        if self.built:
            return
        if input_shape is None:
            raise ValueError(
                f"Sequential model '{self.name}' has no input shape: add neurona.Input(shape=...) first, or call "
                "build(input_shape) with the batch shape, e.g. build((None, 784))."
            )
        self._input_layer = InputLayer(batch_shape=(None,) + tuple(input_shape)[1:], dtype=self.dtype)
        self._rebuild()

    def _build_for(self, shapes: Any) -> None:
        if isinstance(shapes, list):
            raise ValueError(
                f"Sequential model '{self.name}' takes one input. Received {len(shapes)} inputs."
            )
        self.build(shapes)

    def call(self, inputs: Tensor, training: Any = None) -> Tensor:
        x = inputs
        for layer in self._sublayers:
            x = layer(x, training=training)
        return x

    def _output_names(self) -> list[str]:
        return [self._sublayers[-1].name] if self._sublayers else ["output_0"]

    def get_config(self) -> dict[str, Any]:
        layers = []
        if self._input_layer is not None:
            layers.append(serialize_keras_object(self._input_layer))
        for layer in self._sublayers:
            check_layer_name(layer.name, f"model '{self.name}'")
            layers.append(serialize_keras_object(layer))
        return {"name": self.name, "trainable": self.trainable, "layers": layers}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Sequential:
        """The model a `get_config()` dict describes (layer classes from the closed registry only)."""
        entries = config.get("layers")
        if not isinstance(entries, list):
            raise ModelFileError("A Sequential config needs a list of `layers`.")
        budget = current_budget()
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for entry in entries:
            layer = deserialize_keras_object(entry, "layer", custom_objects)
            if isinstance(layer, InputLayer):
                check_input_shape(
                    layer.batch_shape, layer.dtype, current_input_cap(), f"Input {layer.name!r}"
                )
            model.add(layer, rebuild=False)
        with allocation_guard([sub for layer in model._sublayers for sub in all_layers(layer)], budget):
            model._rebuild()
        return model
