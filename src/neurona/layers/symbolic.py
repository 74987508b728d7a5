"""Symbolic tensors for the functional API: `KerasTensor` (a shape and a dtype, no values) and `Node`
(one call of a layer on symbolic inputs). `Model(inputs, outputs)` walks the nodes back from its outputs.
"""

from __future__ import annotations

from typing import Any

from ..utils.tree import flatten


class KerasTensor:
    """A placeholder with a shape (`None` for the batch axis) and a dtype, produced by `Input` and by
    calling layers on other `KerasTensor`s."""

    __slots__ = ("shape", "dtype", "name", "node", "index")

    def __init__(
        self, shape: tuple[int | None, ...], dtype: str = "float32", name: str | None = None
    ) -> None:
        self.shape = tuple(shape)
        self.dtype = dtype
        self.name = name
        self.node: Node | None = None
        self.index = 0

    @property
    def ndim(self) -> int:
        return len(self.shape)

    def __repr__(self) -> str:
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(
            "A symbolic KerasTensor (from neurona.Input or a layer called on one) has no values. "
            "Build a Model from it and call the model on real data instead."
        )


class Node:
    """One call of `layer` on symbolic `inputs` (a tensor or a list of them) giving `outputs`."""

    __slots__ = ("layer", "inputs", "outputs", "kwargs")

    def __init__(self, layer: Any, inputs: Any, outputs: list[KerasTensor], kwargs: dict[str, Any]) -> None:
        self.layer = layer
        self.inputs = inputs
        self.outputs = outputs
        self.kwargs = kwargs

    @property
    def parent_tensors(self) -> list[KerasTensor]:
        return flatten(self.inputs)


def is_symbolic(structure: Any) -> bool:
    return any(isinstance(leaf, KerasTensor) for leaf in flatten(structure))
