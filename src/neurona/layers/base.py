"""`Layer`: the base class of every layer (and of models). Keras's contract:

* `__init__` stores the configuration; `build(input_shape)` creates the weights on the first call;
  `call(inputs, training=None)` computes the output with `neurona.ops`;
* `get_config()` / `from_config()` round-trip the configuration;
* weights are `Variable`s made with `add_weight`; layers assigned as attributes are tracked, so their
  weights are part of this layer's weights.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from .. import config as _config
from .. import constraints, initializers, ops, regularizers
from ..engine import Tensor, Variable, no_grad
from ..utils.naming import to_snake_case, unique_name
from ..utils.tree import flatten, map_structure
from .symbolic import KerasTensor, Node, is_symbolic


class InputSpec:
    """What a layer accepts: an exact rank (`ndim`), a minimum rank, and fixed sizes of some axes."""

    def __init__(
        self, ndim: int | None = None, min_ndim: int | None = None, axes: dict[int, int] | None = None
    ):
        self.ndim = ndim
        self.min_ndim = min_ndim
        self.axes = axes or {}


def _standardize_shape(shape: Any) -> tuple[int | None, ...]:
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        dims = tuple(None if d is None else int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(
            f"A shape must be a tuple of positive integers (or None). Received: {shape!r}"
        ) from None
    for d in dims:
        if d is not None and d <= 0:
            raise ValueError(f"A shape must be a tuple of positive integers (or None). Received: {shape!r}")
    return dims


class Layer:
    """Base class of all layers.

    Args:
        activity_regularizer: a penalty on the layer's outputs (divided by the batch size), added to
            `losses` at each call.
        trainable: whether the layer's weights are updated by training.
        name: a unique name (default: the class name in snake_case, numbered).
        dtype: the dtype of the weights and computations (default `floatx()`).
        input_shape / input_dim / batch_input_shape: accepted (silently) on the first layer of a
            `Sequential`, which then builds at once.
    """

    def __init__(
        self,
        *,
        activity_regularizer: Any = None,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
        input_shape: Any = None,
        input_dim: int | None = None,
        batch_input_shape: Any = None,
        batch_size: int | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs:
            raise TypeError(
                f"Unrecognized keyword arguments passed to {type(self).__name__}: {sorted(kwargs)}"
            )
        object.__setattr__(self, "_sublayers", [])
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self.dtype = _config.standardize_dtype(
            dtype.get("config", {}).get("name") if isinstance(dtype, dict) else dtype
        )
        self._own_weights: list[Variable] = []
        self._weight_regularizers: list[tuple[Any, Variable]] = []
        self._trainable = bool(trainable)
        self.built = False
        self.input_spec: InputSpec | None = None
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._activity_losses: list[Tensor] = []
        self._call_takes_training = "training" in inspect.signature(self.call).parameters
        self._batch_input_shape = None
        if batch_input_shape is not None:
            self._batch_input_shape = _standardize_shape(batch_input_shape)
        elif input_shape is not None:
            self._batch_input_shape = (batch_size,) + _standardize_shape(input_shape)
        elif input_dim is not None:
            self._batch_input_shape = (batch_size, int(input_dim))
        self._inbound_nodes: list[Node] = []

    # --- tracking ----------------------------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        sublayers = self.__dict__.get("_sublayers")
        if sublayers is not None and not name.startswith("_"):
            candidates = value if isinstance(value, (list, tuple)) else [value]
            for item in candidates:
                if isinstance(item, Layer) and item is not self and not any(item is s for s in sublayers):
                    sublayers.append(item)
        object.__setattr__(self, name, value)

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for layer in self._sublayers:
            layer.trainable = value

    def add_weight(
        self,
        shape: Any = (),
        initializer: Any = "glorot_uniform",
        dtype: Any = None,
        trainable: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        name: str | None = None,
    ) -> Variable:
        """Create a weight of `shape` with values from `initializer`, owned by this layer.

        `regularizer` adds its penalty to `losses` (while the weight is trainable); `constraint` is
        stored on the variable, and optimizers apply `w ← constraint(w)` after each update.
        """
        init = initializers.get(initializer)
        value = np.asarray(init(tuple(shape), dtype=dtype or self.dtype))
        variable = Variable(
            value, trainable=trainable, name=f"{self.name}/{name or 'variable'}", dtype=dtype or self.dtype
        )
        variable.constraint = constraints.get(constraint)
        self._own_weights.append(variable)
        if regularizer is not None:
            self._weight_regularizers.append((regularizers.get(regularizer), variable))
        return variable

    @property
    def weights(self) -> list[Variable]:
        """All weights: this layer's trainable then non-trainable ones, then those of its sublayers."""
        own = [w for w in self._own_weights if w.trainable] + [
            w for w in self._own_weights if not w.trainable
        ]
        return _unique(own + [w for layer in self._sublayers for w in layer.weights])

    variables = weights

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        own = [w for w in self._own_weights if w.trainable]
        return _unique(own + [w for layer in self._sublayers for w in layer.trainable_weights])

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self) -> list[Variable]:
        trainable = {id(w) for w in self.trainable_weights}
        return [w for w in self.weights if id(w) not in trainable]

    non_trainable_variables = non_trainable_weights

    @property
    def losses(self) -> list[Tensor]:
        """Regularization penalties: weight regularizers of the trainable weights (recomputed now, as
        Keras: a frozen weight adds no penalty) and activity regularizers of the last call, for this layer
        and its sublayers."""
        trainable = self.trainable
        own = [reg(w) for reg, w in self._weight_regularizers if trainable and w.trainable]
        own += self._activity_losses
        return own + [loss for layer in self._sublayers for loss in layer.losses]

    def get_weights(self) -> list[np.ndarray]:
        """The values of `weights` as NumPy arrays (copies)."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Set `weights` from a list of arrays with the same shapes, in the order of `get_weights()`."""
        params = self.weights
        if len(weights) != len(params):
            raise ValueError(
                f"Layer '{self.name}' expects {len(params)} weight arrays, but set_weights received "
                f"{len(weights)}. Pass a list shaped like layer.get_weights()."
            )
        arrays = [np.asarray(w) for w in weights]
        for variable, array in zip(params, arrays):
            if variable.shape != array.shape:
                raise ValueError(
                    f"Weight shape mismatch for '{variable.name}': expected {variable.shape}, received "
                    f"{array.shape}. Pass arrays shaped like layer.get_weights()."
                )
        for variable, array in zip(params, arrays):
            variable.assign(array)

    def count_params(self) -> int:
        """The number of scalars in all weights (the layer must be built)."""
        if not self.built:
            raise ValueError(
                f"Layer '{self.name}' is not built yet, so it has no weights to count. Call it on data, "
                "or give the model an input shape (e.g. neurona.Input(shape=...)) first."
            )
        return int(sum(w.size for w in self.weights))

    # --- building and calling ------------------------------------------------------------------------
    def build(self, input_shape: Any) -> None:
        """Create the weights for inputs of `input_shape` (override in layers that have weights)."""
        self.built = True

    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        return inputs

    def _build_for(self, shapes: Any) -> None:
        self._check_spec(shapes)
        self.build(shapes)
        self.built = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if not args:
            args = (kwargs.pop("inputs"),)
        inputs = args[0]
        if isinstance(inputs, Tensor):  # the common case, kept cheap: it runs per layer per batch
            if inputs.data.dtype != self.dtype:
                inputs = self._to_tensor(inputs)
            shapes: Any = inputs.data.shape
        elif isinstance(inputs, np.ndarray):
            inputs = self._to_tensor(inputs)
            shapes = inputs.data.shape
        elif is_symbolic(inputs):
            return self._symbolic_call(inputs, *args[1:], **kwargs)
        else:
            inputs = map_structure(self._to_tensor, inputs)
            shapes = map_structure(lambda t: t.shape, inputs)
        if not self.built:
            self._build_for(shapes)
            self._passed_shapes = None
        elif shapes != self._passed_shapes or self.input_spec is not self._passed_spec:
            self._check_spec(shapes)
            self._passed_shapes, self._passed_spec = shapes, self.input_spec  # (checked once per shape)
        if not self._call_takes_training:
            kwargs.pop("training", None)
        outputs = self.call(inputs, *args[1:], **kwargs)
        if self.activity_regularizer is not None:
            self._activity_losses = [self.activity_regularizer(o) / o.shape[0] for o in flatten(outputs)]
        return outputs

    #: The input shapes and spec of the last call that passed `_check_spec` (the check runs per new shape).
    _passed_shapes: Any = None
    _passed_spec: Any = None

    #: Layers that look values up (`StringLookup`, `IntegerLookup`, `Hashing`) set this: their inputs
    #: reach `call` as they are (strings, objects, integers), wrapped in a Tensor, never cast.
    accepts_strings: bool = False

    def _to_tensor(self, value: Any) -> Tensor:
        """Inputs as tensors of the layer's dtype (a differentiable cast for tensors on a tape)."""
        if self.accepts_strings:
            return value if isinstance(value, Tensor) else Tensor._wrap(np.asarray(value))
        if not isinstance(value, Tensor):
            array = np.asarray(value)
            if array.dtype.kind not in "fiub":
                raise TypeError(
                    f"Layer '{self.name}' takes numbers. Received an input of dtype {array.dtype}. "
                    "Convert strings or categories to numbers first."
                )
            if array.dtype != self.dtype:
                array = array.astype(self.dtype)
            return Tensor._wrap(array)
        if value.data.dtype != self.dtype and value.data.dtype.kind in "fiub":
            return ops.cast(value, self.dtype)
        return value

    def _check_spec(self, shapes: Any) -> None:
        spec = self.input_spec
        if spec is None or isinstance(shapes, list):
            return
        rank = len(shapes)
        if spec.ndim is not None and rank != spec.ndim:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected ndim={spec.ndim}, "
                f"found ndim={rank}. Full shape received: {tuple(shapes)}"
            )
        if spec.min_ndim is not None and rank < spec.min_ndim:
            raise ValueError(
                f"Input 0 of layer '{self.name}' is incompatible with the layer: expected min_ndim="
                f"{spec.min_ndim}, found ndim={rank}. Full shape received: {tuple(shapes)}. "
                "A batch of samples has a leading batch axis: use x.reshape(1, -1) for a single sample."
            )
        for axis, size in spec.axes.items():
            if shapes[axis] is not None and shapes[axis] != size:
                raise ValueError(
                    f"Input 0 of layer '{self.name}' is incompatible with the layer: expected axis {axis} of "
                    f"input shape to have value {size}, but received input with shape {tuple(shapes)}. "
                    f"The data must have {size} features on that axis, as when the layer was built."
                )

    def _symbolic_call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        shapes = map_structure(lambda t: t.shape, inputs)
        if not self.built:
            self._build_for(shapes)
        else:
            self._check_spec(shapes)
        out_shapes = self.compute_output_shape(shapes)
        single = isinstance(out_shapes, tuple) and (
            not out_shapes or not isinstance(out_shapes[0], (tuple, list))
        )
        shape_list = [out_shapes] if single else list(out_shapes)
        outputs = [
            KerasTensor(s, self.dtype, name=f"{self.name}_output_{i}") for i, s in enumerate(shape_list)
        ]
        node = Node(self, inputs, outputs, kwargs)
        for index, tensor in enumerate(outputs):
            tensor.node, tensor.index = node, index
        self._inbound_nodes.append(node)
        return outputs[0] if single else outputs

    def compute_output_shape(self, input_shape: Any) -> Any:
        """The output shape for `input_shape` (default: run the layer on zeros with batch size 1)."""

        def dummy(shape: tuple[int | None, ...]) -> np.ndarray:
            return np.zeros(tuple(1 if d is None else d for d in shape), dtype=self.dtype)

        def symbolic_batch(shape: tuple[int, ...]) -> tuple[int | None, ...]:
            return (None,) + tuple(shape[1:]) if shape else shape

        is_list = isinstance(input_shape, list)
        data = [dummy(s) for s in input_shape] if is_list else dummy(input_shape)
        with no_grad():
            out = self.call(
                map_structure(Tensor._wrap, data),
                **({"training": False} if self._call_takes_training else {}),
            )
        if isinstance(out, (list, tuple)):
            return [symbolic_batch(o.shape) for o in out]
        return symbolic_batch(out.shape)

    # --- configuration -------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        if self._batch_input_shape is not None:
            config["batch_input_shape"] = list(self._batch_input_shape)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layer:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _unique(variables: list[Variable]) -> list[Variable]:
    seen: set[int] = set()
    out = []
    for v in variables:
        if id(v) not in seen:
            seen.add(id(v))
            out.append(v)
    return out
