"""Reductions: sum, mean, max, min, logsumexp. Each op: forward and gradient rule together."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..engine import Op, Tensor, apply, register


def _axes(axis: Any, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axis = (axis,)
    return tuple(a % ndim for a in axis) if ndim else ()


def _expand(g: np.ndarray, shape: tuple[int, ...], axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """Put the reduced axes back as size-1 axes so that `g` broadcasts against the input."""
    if not keepdims and axes:
        g = g.reshape(tuple(1 if i in axes else n for i, n in enumerate(shape)))
    return g


def _spread(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """`g` broadcast to `shape`: a small result is materialised (cheaper than a broadcast view's Python
    overhead), a large one stays a read-only view."""
    if g.shape == shape:
        return g
    if g.size == 1 and len(shape) <= 2 and math.prod(shape) <= 65536:
        return np.full(shape, g.reshape(()), dtype=g.dtype)
    return np.broadcast_to(g, shape)


@register
class Sum(Op):
    name = "sum"

    @staticmethod
    def forward(ctx, a, axis=None, keepdims=False):
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, _axes(axis, a.ndim), keepdims
        return np.sum(a, axis=ctx.axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx, g):
        return (_spread(_expand(g, ctx.shape, ctx.axes, ctx.keepdims), ctx.shape),)


@register
class Mean(Op):
    """Mean over `axis`: Σa / n (for floats, NumPy's own `mean`: a pairwise sum, then one division)."""

    name = "mean"

    @staticmethod
    def forward(ctx, a, axis=None, keepdims=False):
        ctx.shape, ctx.axes, ctx.keepdims = a.shape, _axes(axis, a.ndim), keepdims
        count = 1
        for i in ctx.axes:
            count *= a.shape[i]
        ctx.count = count
        if a.dtype.kind == "f" and a.dtype.itemsize >= 4 and count:  # as np.mean, without its Python layers
            total = np.add.reduce(a, axis=ctx.axes, keepdims=keepdims)
            if isinstance(total, np.ndarray):
                return np.true_divide(total, count, out=total)
            return total / count
        out = np.mean(a, axis=ctx.axes, keepdims=keepdims)
        return out if np.issubdtype(a.dtype, np.inexact) else out.astype("float32")

    @staticmethod
    def backward(ctx, g):
        g = _expand(g, ctx.shape, ctx.axes, ctx.keepdims) / ctx.count
        return (_spread(g, ctx.shape),)


class _Extremum(Op):
    """max/min: the gradient is shared equally between the elements that attain the extremum."""

    reducer = staticmethod(np.max)

    @classmethod
    def forward(cls, ctx, a, axis=None, keepdims=False):
        axes = _axes(axis, a.ndim)
        out = cls.reducer(a, axis=axes, keepdims=True)
        ctx.mask = a == out
        ctx.axes, ctx.keepdims = axes, keepdims
        return out if keepdims else np.squeeze(out, axis=axes)

    @staticmethod
    def backward(ctx, g):
        g = _expand(g, ctx.mask.shape, ctx.axes, ctx.keepdims)
        count = ctx.mask.sum(axis=ctx.axes, keepdims=True)
        return (g * ctx.mask / count,)


@register
class Max(_Extremum):
    name = "max"
    reducer = staticmethod(np.max)


@register
class Min(_Extremum):
    name = "min"
    reducer = staticmethod(np.min)


@register
class LogSumExp(Op):
    """`m + log Σ exp(x − m)` with `m = max(x)` (0 where m is ±inf); gradient = softmax(x)."""

    name = "logsumexp"

    @staticmethod
    def forward(ctx, a, axis=None, keepdims=False):
        axes = _axes(axis, a.ndim)
        m = np.max(a, axis=axes, keepdims=True)
        m = np.where(np.isfinite(m), m, 0)
        out = m + np.log(np.sum(np.exp(a - m), axis=axes, keepdims=True))
        ctx.a, ctx.out, ctx.axes, ctx.keepdims = a, out, axes, keepdims
        return out if keepdims else np.squeeze(out, axis=axes)

    @staticmethod
    def backward(ctx, g):
        g = _expand(g, ctx.a.shape, ctx.axes, ctx.keepdims)
        return (g * np.exp(ctx.a - ctx.out),)


# --- Keras-named functions --------------------------------------------------------------------------
def sum(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras's name
    return apply(Sum, x, axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return apply(Mean, x, axis=axis, keepdims=keepdims)


def max(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras's name
    return apply(Max, x, axis=axis, keepdims=keepdims)


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:  # noqa: A001 - Keras's name
    return apply(Min, x, axis=axis, keepdims=keepdims)


amax = max
amin = min


def logsumexp(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    return apply(LogSumExp, x, axis=axis, keepdims=keepdims)


def argmax(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Not differentiable: indices of the largest values."""
    data = x.data if isinstance(x, Tensor) else np.asarray(x)
    return Tensor(np.argmax(data, axis=axis, keepdims=keepdims))


def argmin(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Not differentiable: indices of the smallest values."""
    data = x.data if isinstance(x, Tensor) else np.asarray(x)
    return Tensor(np.argmin(data, axis=axis, keepdims=keepdims))
