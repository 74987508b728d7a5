"""Differentiable ops: the `Op` base class, the op registry, and `apply`, which runs an op and lets the
active tapes record it.

An op is a pair of static methods on ndarrays:

* `forward(ctx, *arrays, **attrs) -> ndarray` computes the output and saves on `ctx` what the gradient
  rule needs;
* `backward(ctx, grad) -> tuple` maps the gradient of the output to one gradient per input (`None` for
  an input with no gradient, e.g. integer labels). The tape sets `ctx.needs_input_grad` (one bool per
  input) first, so that an op may skip work nobody asked for (a data batch needs no gradient).

Gradients may come back with the broadcast shape of the output; the tape sums them back to each input's
shape (`unbroadcast`), so no op deals with broadcasting itself.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .tape import record
from .tensor import Tensor, to_array

_REGISTRY: dict[str, type[Op]] = {}


class Op:
    """Base class of the differentiable primitives; subclasses set `name` and register themselves."""

    name: str = ""

    @staticmethod
    def forward(ctx: Any, *arrays: np.ndarray, **attrs: Any) -> np.ndarray:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Any, grad: np.ndarray) -> tuple[np.ndarray | None, ...]:
        raise NotImplementedError


class Context:
    """What a forward pass leaves for its backward pass (plain attributes, set by the op)."""

    needs_input_grad: tuple[bool, ...] = ()


def register(op: type[Op]) -> type[Op]:
    """Class decorator: add an op to the registry under its `name`."""
    if not op.name:
        raise ValueError(f"Op class {op.__name__} has no `name`.")
    if op.name in _REGISTRY:
        raise ValueError(f"An op named {op.name!r} is already registered ({_REGISTRY[op.name]}).")
    _REGISTRY[op.name] = op
    return op


def get_op(name: str) -> type[Op]:
    """The registered op called `name`."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"No op named {name!r}. Registered ops: {sorted(_REGISTRY)}") from None


def registered_ops() -> dict[str, type[Op]]:
    """A copy of the registry: op name → op class."""
    return dict(_REGISTRY)


def _scalar_to_array(item: Any, reference: np.dtype) -> np.ndarray:
    """A Python number next to a tensor takes the tensor's dtype when that loses nothing."""
    if isinstance(item, bool):
        return np.asarray(item)
    if np.issubdtype(reference, np.floating):
        return np.asarray(item, dtype=reference)
    if isinstance(item, int) and np.issubdtype(reference, np.integer):
        return np.asarray(item, dtype=reference)
    return to_array(item)


def _coerce(inputs: tuple[Any, ...]) -> list[Tensor]:
    """Turn the inputs of an op into tensors; Python numbers take the dtype of the tensor operands."""
    reference = None
    for item in inputs:
        if isinstance(item, (Tensor, np.ndarray)):
            reference = item.data.dtype if isinstance(item, Tensor) else item.dtype
            break
    tensors = []
    for item in inputs:
        if isinstance(item, Tensor):
            tensors.append(item)
        elif isinstance(item, np.ndarray):
            tensors.append(Tensor._wrap(item))
        elif reference is not None and isinstance(item, (int, float)):
            tensors.append(Tensor._wrap(_scalar_to_array(item, reference)))
        else:
            tensors.append(Tensor._wrap(to_array(item)))
    return tensors


def apply(op: type[Op], *inputs: Any, **attrs: Any) -> Tensor:
    """Run `op` forward on `inputs` and record it on every tape that watches one of them."""
    tensors = inputs
    for item in inputs:
        if not isinstance(item, Tensor):
            tensors = _coerce(inputs)
            break
    ctx = Context()
    out = op.forward(ctx, *[t.data for t in tensors], **attrs)
    if not isinstance(out, np.ndarray):  # a full reduction gives a NumPy scalar: keep it a 0-d array
        out = np.asarray(out)
    result = Tensor._wrap(out)
    record(op, ctx, tensors, result, attrs)
    return result
