"""Shape ops: reshape, transpose, expand_dims, squeeze, concatenate, stack, slicing, broadcast_to, take.

Each op moves values without changing them, so each gradient rule moves the gradient back.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from ..engine import Op, Tensor, apply, register


@register
class Reshape(Op):
    name = "reshape"

    @staticmethod
    def forward(ctx, a, newshape=None):
        ctx.shape = a.shape
        return np.reshape(a, newshape)

    @staticmethod
    def backward(ctx, g):
        return (np.reshape(g, ctx.shape),)


@register
class Transpose(Op):
    name = "transpose"

    @staticmethod
    def forward(ctx, a, axes=None):
        ctx.axes = axes
        return np.transpose(a, axes)

    @staticmethod
    def backward(ctx, g):
        inverse = None if ctx.axes is None else tuple(np.argsort(ctx.axes))
        return (np.transpose(g, inverse),)


@register
class ExpandDims(Op):
    name = "expand_dims"

    @staticmethod
    def forward(ctx, a, axis=0):
        ctx.shape = a.shape
        return np.expand_dims(a, axis)

    @staticmethod
    def backward(ctx, g):
        return (np.reshape(g, ctx.shape),)


@register
class Squeeze(Op):
    name = "squeeze"

    @staticmethod
    def forward(ctx, a, axis=None):
        ctx.shape = a.shape
        return np.squeeze(a, axis)

    @staticmethod
    def backward(ctx, g):
        return (np.reshape(g, ctx.shape),)


@register
class Concatenate(Op):
    """Join along an axis; the gradient is split back at the same boundaries."""

    name = "concatenate"

    @staticmethod
    def forward(ctx, *arrays, axis=0):
        ctx.axis = axis
        ctx.bounds = np.cumsum([a.shape[axis] for a in arrays])[:-1]
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, g):
        return tuple(np.split(g, ctx.bounds, axis=ctx.axis))


@register
class Stack(Op):
    """Stack along a new axis; the gradient is unstacked."""

    name = "stack"

    @staticmethod
    def forward(ctx, *arrays, axis=0):
        ctx.axis = axis
        ctx.count = len(arrays)
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx, g):
        return tuple(np.take(g, i, axis=ctx.axis) for i in range(ctx.count))


@register
class GetItem(Op):
    """`a[key]` for any NumPy index; the gradient is scattered back (summed where indices repeat)."""

    name = "get_item"

    @staticmethod
    def forward(ctx, a, key=None):
        if isinstance(key, Tensor):
            key = key.data
        elif isinstance(key, tuple):
            key = tuple(k.data if isinstance(k, Tensor) else k for k in key)
        ctx.shape, ctx.dtype, ctx.key = a.shape, a.dtype, key
        return a[key]

    @staticmethod
    def backward(ctx, g):
        out = np.zeros(ctx.shape, dtype=g.dtype)
        np.add.at(out, ctx.key, g)
        return (out,)


@register
class BroadcastTo(Op):
    name = "broadcast_to"

    @staticmethod
    def forward(ctx, a, shape=None):
        return np.broadcast_to(a, shape)

    @staticmethod
    def backward(ctx, g):
        return (g,)  # the tape sums it back to the input's shape


@register
class Take(Op):
    """`take(a, indices, axis)`: gather along an axis; the gradient is scattered back with `add.at`."""

    name = "take"

    @staticmethod
    def forward(ctx, a, indices, axis=None):
        indices = indices.astype(np.intp)
        ctx.shape, ctx.indices, ctx.axis = a.shape, indices, axis
        return np.take(a, indices, axis=axis)

    @staticmethod
    def backward(ctx, g):
        out = np.zeros(ctx.shape if ctx.axis is not None else (int(np.prod(ctx.shape)),), dtype=g.dtype)
        axis = 0 if ctx.axis is None else ctx.axis
        moved = np.moveaxis(out, axis, 0)
        g_moved = np.moveaxis(g, list(range(axis, axis + ctx.indices.ndim)), list(range(ctx.indices.ndim)))
        np.add.at(moved, ctx.indices, g_moved)
        return out.reshape(ctx.shape), None


# --- Keras-named functions --------------------------------------------------------------------------
def reshape(x: Any, newshape: Sequence[int] | int) -> Tensor:
    if isinstance(newshape, int):
        newshape = (newshape,)
    return apply(Reshape, x, newshape=tuple(newshape))


def transpose(x: Any, axes: Sequence[int] | None = None) -> Tensor:
    return apply(Transpose, x, axes=None if axes is None else tuple(axes))


def expand_dims(x: Any, axis: int | Sequence[int]) -> Tensor:
    return apply(ExpandDims, x, axis=axis)


def squeeze(x: Any, axis: int | Sequence[int] | None = None) -> Tensor:
    return apply(Squeeze, x, axis=axis)


def concatenate(xs: Sequence[Any], axis: int = 0) -> Tensor:
    return apply(Concatenate, *xs, axis=axis)


def stack(x: Sequence[Any], axis: int = 0) -> Tensor:
    return apply(Stack, *x, axis=axis)


def broadcast_to(x: Any, shape: Sequence[int]) -> Tensor:
    return apply(BroadcastTo, x, shape=tuple(shape))


def take(x: Any, indices: Any, axis: int | None = None) -> Tensor:
    return apply(Take, x, indices, axis=axis)


def flatten(x: Any) -> Tensor:
    """Flatten everything after the first (batch) axis."""
    shape = x.shape
    return reshape(x, (shape[0], -1)) if len(shape) > 1 else reshape(x, (-1,))
