"""`Model`: a layer with `compile`/`fit`/`evaluate`/`predict` (from `Trainer`).

Three ways to make one, as in Keras:

* functional: `Model(inputs, outputs)` from symbolic tensors (`neurona.Input`), any DAG of layers with
  several inputs and outputs;
* `Sequential` (in `sequential.py`): a stack of layers;
* subclassing: define layers in `__init__` (they are tracked) and the forward pass in `call`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import no_grad
from ..layers.base import Layer
from . import saving_api
from .compile_config import compile_from_config, get_compile_config
from .functional import Graph
from .functional_config import functional_config, functional_from_config
from .summary import print_summary
from .trainer import Trainer


class Model(Trainer, Layer):
    """A trainable model. See the module docstring for the three ways to build one.

    Example (functional):
        >>> inputs = Input(shape=(4,))
        >>> outputs = layers.Dense(2, activation="softmax")(layers.Dense(8, activation="relu")(inputs))
        >>> model = Model(inputs, outputs)
        >>> model.count_params()
        58
    """

    def __init__(
        self, inputs: Any = None, outputs: Any = None, name: str | None = None, **kwargs: Any
    ) -> None:
        trainable = kwargs.pop("trainable", True)
        Layer.__init__(self, name=name, trainable=trainable, **kwargs)
        Trainer.__init__(self)
        self._graph: Graph | None = None
        self._build_shapes: Any = None
        if inputs is not None or outputs is not None:
            if inputs is None or outputs is None:
                raise ValueError("A functional Model needs both `inputs` and `outputs`.")
            self._graph = Graph(inputs, outputs)
            object.__setattr__(self, "_sublayers", [layer for layer in self._graph.layers])
            self.built = True

    # --- structure -------------------------------------------------------------------------------------
    @property
    def layers(self) -> list[Layer]:
        """The model's layers (for functional models, the `InputLayer`s first)."""
        return list(self._sublayers)

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """A layer by name or by index."""
        if index is not None:
            return self.layers[index]
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No such layer: {name!r}. Existing layers are: {[layer.name for layer in self.layers]}."
        )

    @property
    def inputs(self) -> list[Any] | None:
        return None if self._graph is None else list(self._graph.inputs)

    @property
    def outputs(self) -> list[Any] | None:
        return None if self._graph is None else list(self._graph.outputs)

    @property
    def input_shape(self) -> Any:
        if self._graph is None:
            raise AttributeError(f"Model '{self.name}' has no defined input shape yet.")
        shapes = [t.shape for t in self._graph.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self) -> Any:
        if self._graph is None:
            raise AttributeError(f"Model '{self.name}' has no defined output shape yet.")
        shapes = [t.shape for t in self._graph.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _num_inputs(self) -> int:
        return 1 if self._graph is None else len(self._graph.inputs)

    def _output_names(self) -> list[str]:
        if self._graph is None:
            return [self.layers[-1].name if self.layers else "output_0"]
        return [t.node.layer.name for t in self._graph.outputs]

    def _layer_output_shapes(self) -> dict[int, Any]:
        if self._graph is None:
            return {}
        shapes: dict[int, Any] = {}
        for tensor in self._graph.inputs:
            shapes[id(tensor.node.layer)] = tensor.shape
        for node in self._graph.nodes:
            out = [t.shape for t in node.outputs]
            shapes[id(node.layer)] = out[0] if len(out) == 1 else out
        return shapes

    def summary(
        self,
        line_length: int | None = None,
        positions: Any = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
    ) -> None:
        """Print the layers, their output shapes and parameter counts, and the totals."""
        print_summary(self, line_length=line_length, print_fn=print_fn, show_trainable=show_trainable)

    # --- calling -------------------------------------------------------------------------------------
    def call(self, inputs: Any, training: Any = None) -> Any:
        if self._graph is None:
            raise NotImplementedError(
                f"Model '{self.name}' has no `call`: subclass Model and define call(self, inputs, training=None), "
                "or build it with Model(inputs, outputs) or Sequential([...])."
            )
        values = inputs if isinstance(inputs, (list, tuple)) else [inputs]
        if isinstance(inputs, dict):
            values = [inputs[t.node.layer.name] for t in self._graph.inputs]
        if len(values) != len(self._graph.inputs):
            raise ValueError(
                f"Model '{self.name}' has {len(self._graph.inputs)} inputs, but was called on {len(values)}. "
                "Pass one array per input, in the order of model.inputs."
            )
        outputs = self._graph.run(list(values), training=training)
        structure = self._graph.output_structure
        if isinstance(structure, dict):
            return dict(zip(structure.keys(), outputs))
        return outputs if isinstance(structure, (list, tuple)) else outputs[0]

    def _check_spec(self, shapes: Any) -> None:
        if self._graph is None:
            return
        input_shapes = shapes if isinstance(shapes, list) else [shapes]
        for tensor, shape in zip(self._graph.inputs, input_shapes):
            _check_input_shape(self.name, tensor.shape, shape)

    def build(self, input_shape: Any = None) -> None:
        """Build the weights for inputs of `input_shape` (runs the model once on zeros for subclassed models)."""
        if self.built:
            return
        if input_shape is None:
            raise ValueError(
                f"Model '{self.name}' cannot be built without an input shape: pass build(input_shape)."
            )
        shapes = [input_shape] if _is_shape(input_shape) else list(input_shape)
        zeros = [np.zeros(tuple(1 if d is None else d for d in shape), dtype=self.dtype) for shape in shapes]
        with no_grad():
            self(zeros[0] if _is_shape(input_shape) else zeros, training=False)
        self.built = True

    def _build_for(self, shapes: Any) -> None:
        self._build_shapes = shapes
        self.built = True

    # --- configuration and saving ---------------------------------------------------------------------
    @property
    def _config_class_name(self) -> str:
        """The class name in configs: "Functional" for `Model(inputs, outputs)`, as in Keras."""
        return "Functional" if type(self) is Model and self._graph is not None else type(self).__name__

    def get_config(self) -> dict[str, Any]:
        """Functional models: the layer graph (see `functional_config`); subclassed models: name and
        trainable (override it, with `from_config`, to save their constructor arguments)."""
        if self._graph is not None:
            return functional_config(self)
        return {"name": self.name, "trainable": self.trainable}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Model:
        if "layers" in config and "input_layers" in config:
            return functional_from_config(cls, config, custom_objects)
        return cls(**config)

    def get_build_config(self) -> dict[str, Any] | None:
        """For a built subclassed model, the input shape it was built for (batch axis as None)."""
        if self._graph is not None or self._build_shapes is None:
            return None
        shapes = self._build_shapes
        if _is_shape(shapes):
            return {"input_shape": [None, *shapes[1:]]}
        if isinstance(shapes, list) and all(_is_shape(shape) for shape in shapes):
            return {"input_shape": [[None, *shape[1:]] for shape in shapes]}
        return None

    def build_from_config(self, config: dict[str, Any]) -> None:
        shape = config["input_shape"]
        if shape and isinstance(shape[0], list):
            self.build([tuple(item) for item in shape])
        else:
            self.build(tuple(shape))

    def get_compile_config(self) -> dict[str, Any] | None:
        """What `compile` received, as data (None if not compiled)."""
        return get_compile_config(self)

    def compile_from_config(self, config: dict[str, Any]) -> None:
        compile_from_config(self, config)

    def save(self, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs: Any) -> None:
        """Save everything to one `.keras` file: architecture, weights, compile settings and optimizer
        state. `neurona.models.load_model(filepath)` continues training exactly where this one stops."""
        saving_api.save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True, max_shard_size: Any = None) -> None:
        """Save the weights alone to `<name>.weights.npz` (or `.weights.h5` with h5py)."""
        saving_api.save_weights(self, filepath, overwrite=overwrite, max_shard_size=max_shard_size)

    def load_weights(self, filepath: Any, skip_mismatch: bool = False, **kwargs: Any) -> None:
        """Load weights from `.weights.npz`, `.weights.h5` or `.keras` into this (built) model."""
        saving_api.load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs: Any) -> str:
        """The architecture as a JSON string; `neurona.models.model_from_json` rebuilds it."""
        return saving_api.model_to_json(self, **kwargs)

    def layer_outputs(self, x: Any, layers: Any = None) -> dict[str, np.ndarray]:
        """Each layer's output for the batch `x`, by layer name, computed with `training=False` and
        recording off (one pass through the layer graph; `x` is what `predict` takes).

        `layers` (names or layer objects) keeps only those layers; the default is every layer of
        `model.layers`. A layer with several outputs gives `"<name>:0"`, `"<name>:1"`, ... Works for
        Sequential and functional models (a subclassed model has no layer graph: ValueError).

        Example:
            >>> model = Sequential([Input(shape=(2,)), layers.Dense(3, activation="relu", name="hidden")])
            >>> model.layer_outputs(np.ones((4, 2)))["hidden"].shape
            (4, 3)
        """
        graph = self._graph
        if graph is None:
            raise ValueError(
                f"Model '{self.name}' has no layer graph, so its layers' outputs cannot be read: "
                "layer_outputs works for Sequential models with a known input shape and functional models."
            )
        wanted = [layer.name if isinstance(layer, Layer) else layer for layer in (layers or self.layers)]
        known = {layer.name for layer in graph.layers}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise ValueError(f"No such layer(s): {unknown}. Existing layers are: {sorted(known)}.")
        found: dict[str, list[Any]] = {}
        with no_grad():
            graph.run(self._x_list(x), training=False, by_layer=found)
        out: dict[str, np.ndarray] = {}
        for name in wanted:
            arrays = [np.asarray(getattr(v, "data", v)) for v in found[name]]
            if len(arrays) == 1:
                out[name] = arrays[0]
            else:
                out.update({f"{name}:{i}": array for i, array in enumerate(arrays)})
        return out


def _is_shape(value: Any) -> bool:
    return isinstance(value, tuple) and all(d is None or isinstance(d, (int, np.integer)) for d in value)


def _check_input_shape(model_name: str, expected: tuple[Any, ...], received: tuple[int, ...]) -> None:
    if len(expected) != len(received):
        raise ValueError(
            f"Input of model '{model_name}' is incompatible: expected shape={expected} (ndim={len(expected)}), "
            f"found ndim={len(received)}. Full shape received: {tuple(received)}"
        )
    for axis, (want, got) in enumerate(zip(expected, received)):
        if want is not None and want != got:
            raise ValueError(
                f"Input of model '{model_name}' is incompatible: expected axis {axis - len(expected)} of input shape to have "
                f"value {want}, but received input with shape {tuple(received)}. Check the number of features "
                "(columns) of the data against the model's input shape."
            )


__all__ = ["Model"]
