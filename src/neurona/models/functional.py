"""The functional graph: from the symbolic `inputs` and `outputs` of `Model(inputs, outputs)`, the layer
calls (nodes) in an order that computes each value before it is used, and a `run` that replays them on
real tensors."""

from __future__ import annotations

from typing import Any

from ..layers.input_layer import InputLayer
from ..layers.symbolic import KerasTensor, Node
from ..utils.tree import flatten, map_structure


class Graph:
    """The nodes between `inputs` and `outputs`, in topological order."""

    def __init__(self, inputs: Any, outputs: Any) -> None:
        self.input_structure = inputs
        self.output_structure = outputs
        self.inputs: list[KerasTensor] = flatten(inputs)
        self.outputs: list[KerasTensor] = flatten(outputs)
        for tensor in self.inputs + self.outputs:
            if not isinstance(tensor, KerasTensor):
                raise TypeError(
                    "Model(inputs, outputs) takes symbolic tensors: `inputs` from neurona.Input(shape=...), "
                    f"`outputs` from layers called on them. Received: {tensor!r}"
                )
        for tensor in self.inputs:
            if tensor.node is None or not isinstance(tensor.node.layer, InputLayer):
                raise ValueError(f"Every model input must come from neurona.Input(...). Received: {tensor!r}")
        self.nodes = self._sort()

    def _sort(self) -> list[Node]:
        input_ids = {id(t) for t in self.inputs}
        order: list[Node] = []
        done: set[int] = set()
        visiting: set[int] = set()

        def visit(tensor: KerasTensor) -> None:
            node = tensor.node
            if id(tensor) in input_ids or id(node) in done:
                return
            if node is None or isinstance(node.layer, InputLayer):
                raise ValueError(
                    f"Graph disconnected: cannot obtain a value for {tensor!r}, which is not among the model's "
                    "inputs. Pass every Input the outputs depend on to Model(inputs=[...])."
                )
            if id(node) in visiting:
                raise ValueError("The layer graph has a cycle.")
            visiting.add(id(node))
            for parent in node.parent_tensors:
                visit(parent)
            visiting.discard(id(node))
            done.add(id(node))
            order.append(node)

        for output in self.outputs:
            visit(output)
        return order

    @property
    def layers(self) -> list[Any]:
        """Input layers first, then every layer in the order of first use (each layer once)."""
        seen: set[int] = set()
        layers = []
        for layer in [t.node.layer for t in self.inputs] + [n.layer for n in self.nodes]:
            if id(layer) not in seen:
                seen.add(id(layer))
                layers.append(layer)
        return layers

    def run(
        self, inputs: list[Any], training: Any = None, by_layer: dict[str, list[Any]] | None = None
    ) -> list[Any]:
        """Compute the outputs from one value per input (in the order of `self.inputs`). With `by_layer`,
        also put every layer's outputs there (a list per layer name, input layers included)."""
        values = {id(t): value for t, value in zip(self.inputs, inputs)}
        if by_layer is not None:
            by_layer.update({t.node.layer.name: [value] for t, value in zip(self.inputs, inputs)})
        for node in self.nodes:
            args = map_structure(lambda t: values[id(t)], node.inputs)
            result = node.layer(args, training=training, **node.kwargs)
            results = result if isinstance(result, (list, tuple)) else [result]
            for tensor, value in zip(node.outputs, results):
                values[id(tensor)] = value
            if by_layer is not None:
                by_layer[node.layer.name] = results
        return [values[id(t)] for t in self.outputs]
