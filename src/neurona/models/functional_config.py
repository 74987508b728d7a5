"""The config of a functional model (Keras's layout) and the model rebuilt from it.

Config: `{"name", "trainable", "layers", "input_layers", "output_layers"}`. Each entry of `layers` is the
layer's own config plus its `name` and `inbound_nodes`: one entry per call of the layer inside this
model, `{"args": [...], "kwargs": {...}}`, where every symbolic tensor is
`{"class_name": "__keras_tensor__", "config": {"keras_history": [layer_name, node_index, tensor_index]}}`
(the `tensor_index`-th output of the `node_index`-th call of that layer; an `Input` is `[name, 0, 0]`).
`input_layers` / `output_layers` hold `[layer_name, node_index, tensor_index]` in the structure
(single, list or dict) the model was made with.

Rebuilding replays the calls on new `Input` tensors, each call once all its inputs exist, so shared
layers (several nodes) and nested models (a model called as a layer) come back as they were.
"""

from __future__ import annotations

from typing import Any

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
from ..utils.tree import map_structure

TENSOR = "__keras_tensor__"


# --- config ----------------------------------------------------------------------------------------------
def functional_config(model: Any) -> dict[str, Any]:
    graph = model._graph
    node_index: dict[int, int] = {}
    calls: dict[int, list[Any]] = {}
    for node in graph.nodes:
        calls.setdefault(id(node.layer), []).append(node)
        node_index[id(node)] = len(calls[id(node.layer)]) - 1

    def history(tensor: KerasTensor) -> list[Any]:
        node = tensor.node
        if isinstance(node.layer, InputLayer):
            return [node.layer.name, 0, 0]
        return [node.layer.name, node_index[id(node)], tensor.index]

    def encode(value: Any) -> Any:
        if isinstance(value, KerasTensor):
            return {"class_name": TENSOR, "config": {"keras_history": history(value)}}
        if isinstance(value, (list, tuple)):
            return [encode(item) for item in value]
        if isinstance(value, dict):
            return {str(key): encode(item) for key, item in value.items()}
        return serialize_keras_object(value)

    entries = []
    names: set[str] = set()
    for layer in graph.layers:
        check_layer_name(layer.name, f"model '{model.name}'")
        if layer.name in names:
            raise ValueError(
                f"Model '{model.name}' has two layers named {layer.name!r}; names must be unique to save it. "
                "Give the layers distinct names (name=...)."
            )
        names.add(layer.name)
        entry = serialize_keras_object(layer)
        entry["name"] = layer.name
        entry["inbound_nodes"] = [
            {"args": [encode(node.inputs)], "kwargs": encode(node.kwargs)}
            for node in calls.get(id(layer), [])
        ]
        entries.append(entry)
    return {
        "name": model.name,
        "trainable": model.trainable,
        "layers": entries,
        "input_layers": map_structure(history, graph.input_structure),
        "output_layers": map_structure(history, graph.output_structure),
    }


# --- rebuilding ------------------------------------------------------------------------------------------
def _is_history(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value[1:])
    )


class _Replay:
    """The tensors produced so far, by (layer name, node index)."""

    def __init__(self) -> None:
        self.produced: dict[tuple[str, int], list[KerasTensor]] = {}

    def tensor(self, history: Any) -> KerasTensor | None:
        if not _is_history(history):
            raise ModelFileError(f"Invalid tensor reference {history!r} in a functional config.")
        outputs = self.produced.get((history[0], history[1]))
        if outputs is None:
            return None
        if not 0 <= history[2] < len(outputs):
            raise ModelFileError(
                f"The functional config refers to output {history[2]} of {history[:2]}, which has {len(outputs)}."
            )
        return outputs[history[2]]

    def decode(self, value: Any) -> tuple[Any, bool]:
        """The value with tensors filled in, and whether every tensor it refers to exists yet."""
        if isinstance(value, dict) and value.get("class_name") == TENSOR:
            config = value.get("config")
            tensor = self.tensor(config.get("keras_history") if isinstance(config, dict) else None)
            return tensor, tensor is not None
        if isinstance(value, list):
            items = [self.decode(item) for item in value]
            return [item for item, _ in items], all(ready for _, ready in items)
        if isinstance(value, dict):
            items = {key: self.decode(item) for key, item in value.items()}
            return {key: item for key, (item, _) in items.items()}, all(ready for _, ready in items.values())
        return value, True

    def outputs_of(self, structure: Any, what: str) -> Any:
        if _is_history(structure):
            tensor = self.tensor(structure)
            if tensor is None:
                raise ModelFileError(
                    f"The functional config's {what} refer to {structure!r}, which no layer produces."
                )
            return tensor
        if isinstance(structure, list):
            return [self.outputs_of(item, what) for item in structure]
        if isinstance(structure, dict):
            return {key: self.outputs_of(item, what) for key, item in structure.items()}
        raise ModelFileError(f"Invalid {what} in a functional config: {structure!r}")


def functional_from_config(cls: type, config: dict[str, Any], custom_objects: dict[str, Any] | None) -> Any:
    entries = config.get("layers")
    if not isinstance(entries, list):
        raise ModelFileError("A functional config needs a list of `layers`.")
    budget = current_budget()
    layers: list[tuple[Any, list[Any]]] = []
    replay = _Replay()
    seen: set[str] = set()
    for entry in entries:
        if not isinstance(entry, dict):
            raise ModelFileError(
                f"Each entry of a functional config's `layers` must be a dict. Received: {entry!r}"
            )
        spec = {key: value for key, value in entry.items() if key not in ("name", "inbound_nodes")}
        layer = deserialize_keras_object(spec, "layer", custom_objects)
        name = entry.get("name", layer.name)
        if layer.name != name or name in seen:
            raise ModelFileError(f"The functional config names the layer {name!r} twice or inconsistently.")
        seen.add(name)
        nodes = entry.get("inbound_nodes", [])
        if not isinstance(nodes, list):
            raise ModelFileError(f"`inbound_nodes` of layer {name!r} must be a list.")
        if isinstance(layer, InputLayer):
            check_input_shape(layer.batch_shape, layer.dtype, current_input_cap(), f"Input {name!r}")
            replay.produced[(name, 0)] = [layer.output]
        else:
            layers.append((layer, nodes))
    every_layer = [sub for layer, _ in layers for sub in all_layers(layer)]
    with allocation_guard(every_layer, budget):
        _replay_calls(layers, replay)
    inputs = replay.outputs_of(config.get("input_layers"), "inputs")
    outputs = replay.outputs_of(config.get("output_layers"), "outputs")
    return cls(
        inputs=inputs, outputs=outputs, name=config.get("name"), trainable=config.get("trainable", True)
    )


def _replay_calls(layers: list[tuple[Any, list[Any]]], replay: _Replay) -> None:
    done = [0] * len(layers)
    progress = True
    while progress:
        progress = False
        for position, (layer, nodes) in enumerate(layers):
            while done[position] < len(nodes):
                node = nodes[done[position]]
                if (
                    not isinstance(node, dict)
                    or not isinstance(node.get("args"), list)
                    or len(node["args"]) != 1
                ):
                    raise ModelFileError(f"Invalid inbound node {node!r} of layer {layer.name!r}.")
                (inputs,), ready = replay.decode(node["args"])
                kwargs, kwargs_ready = replay.decode(node.get("kwargs", {}))
                if not (ready and kwargs_ready):
                    break
                if not isinstance(kwargs, dict):
                    raise ModelFileError(f"Invalid call arguments {kwargs!r} of layer {layer.name!r}.")
                result = layer(inputs, **kwargs)
                outputs = list(result) if isinstance(result, (list, tuple)) else [result]
                replay.produced[(layer.name, done[position])] = outputs
                done[position] += 1
                progress = True
    stuck = [layer.name for (layer, nodes), count in zip(layers, done) if count < len(nodes)]
    if stuck:
        raise ModelFileError(
            f"The functional config cannot be rebuilt: the calls of {stuck[:5]} refer to tensors no layer "
            "produces (a missing layer or a cycle)."
        )
