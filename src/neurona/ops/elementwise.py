"""Element-wise ops: arithmetic and the math functions. Each op: forward and gradient rule together.

Gradients are returned in the broadcast shape of the output; the tape sums them back to input shapes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Op, Tensor, apply, register


def _is_float(array: np.ndarray) -> bool:
    return np.issubdtype(array.dtype, np.inexact)


# --- arithmetic -------------------------------------------------------------------------------------
@register
class Add(Op):
    name = "add"

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, g):
        return g, g


@register
class Subtract(Op):
    name = "subtract"

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, g):
        return g, -g


@register
class Multiply(Op):
    name = "multiply"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        return a * b

    @staticmethod
    def backward(ctx, g):
        return g * ctx.b, g * ctx.a


@register
class Divide(Op):
    """`a / b`; d/da = 1/b, d/db = −a/b²."""

    name = "divide"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        out = a / b
        return out if _is_float(out) else out.astype("float32")

    @staticmethod
    def backward(ctx, g):
        return g / ctx.b, -g * ctx.a / (ctx.b * ctx.b)


@register
class Negative(Op):
    name = "negative"

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, g):
        return (-g,)


@register
class Power(Op):
    """`a ** b`; d/da = b·a^(b−1), d/db = a^b·log(a) (only where a > 0)."""

    name = "power"

    @staticmethod
    def forward(ctx, a, b):
        out = np.power(a, b)
        ctx.a, ctx.b, ctx.out = a, b, out
        return out

    @staticmethod
    def backward(ctx, g):
        a, b, out = ctx.a, ctx.b, ctx.out
        grad_a = g * b * np.power(a, b - 1) if _is_float(a) or _is_float(b) else None
        grad_b = None
        if _is_float(b):
            safe_log = np.log(np.where(a > 0, a, 1))
            grad_b = g * out * safe_log
        return grad_a, grad_b


# --- math functions ---------------------------------------------------------------------------------
@register
class Exp(Op):
    name = "exp"

    @staticmethod
    def forward(ctx, a):
        ctx.out = np.exp(a)
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.out,)


@register
class Log(Op):
    name = "log"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        return np.log(a)

    @staticmethod
    def backward(ctx, g):
        return (g / ctx.a,)


@register
class Log1p(Op):
    name = "log1p"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        return np.log1p(a)

    @staticmethod
    def backward(ctx, g):
        return (g / (1 + ctx.a),)


@register
class Sqrt(Op):
    """d/da √a = 1 / (2√a)."""

    name = "sqrt"

    @staticmethod
    def forward(ctx, a):
        ctx.out = np.sqrt(a)
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g / (2 * ctx.out),)


@register
class Square(Op):
    name = "square"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        return a * a

    @staticmethod
    def backward(ctx, g):
        return (2 * g * ctx.a,)


@register
class Abs(Op):
    name = "abs"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        return np.abs(a)

    @staticmethod
    def backward(ctx, g):
        return (g * np.sign(ctx.a),)


@register
class Sin(Op):
    name = "sin"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        return np.sin(a)

    @staticmethod
    def backward(ctx, g):
        return (g * np.cos(ctx.a),)


@register
class Cos(Op):
    name = "cos"

    @staticmethod
    def forward(ctx, a):
        ctx.a = a
        return np.cos(a)

    @staticmethod
    def backward(ctx, g):
        return (-g * np.sin(ctx.a),)


@register
class Maximum(Op):
    """Element-wise max; the gradient goes to the larger input (to `a` on ties)."""

    name = "maximum"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a_wins = a >= b
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.a_wins, g * ~ctx.a_wins


@register
class Minimum(Op):
    """Element-wise min; the gradient goes to the smaller input (to `a` on ties)."""

    name = "minimum"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a_wins = a <= b
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.a_wins, g * ~ctx.a_wins


@register
class Clip(Op):
    """`clip(a, lo, hi)`; the gradient passes where lo ≤ a ≤ hi and is 0 outside."""

    name = "clip"

    @staticmethod
    def forward(ctx, a, lo, hi):
        ctx.inside = (a >= lo) & (a <= hi)
        return np.clip(a, lo, hi)

    @staticmethod
    def backward(ctx, g):
        return g * ctx.inside, None, None


@register
class Where(Op):
    """`where(condition, a, b)`: `a` where the condition holds, `b` elsewhere."""

    name = "where"

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.condition = condition.astype(bool)
        return np.where(ctx.condition, a, b)

    @staticmethod
    def backward(ctx, g):
        zero = np.zeros((), dtype=g.dtype)
        return None, np.where(ctx.condition, g, zero), np.where(ctx.condition, zero, g)


@register
class Cast(Op):
    """Change the dtype; the gradient is cast back (none for non-float results)."""

    name = "cast"

    @staticmethod
    def forward(ctx, a, dtype=None):
        ctx.dtype = a.dtype
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, g):
        if not _is_float(g) or not np.issubdtype(ctx.dtype, np.inexact):
            return (None,)
        return (g.astype(ctx.dtype),)


# --- Keras-named functions --------------------------------------------------------------------------
def add(x1: Any, x2: Any) -> Tensor:
    return apply(Add, x1, x2)


def subtract(x1: Any, x2: Any) -> Tensor:
    return apply(Subtract, x1, x2)


def multiply(x1: Any, x2: Any) -> Tensor:
    return apply(Multiply, x1, x2)


def divide(x1: Any, x2: Any) -> Tensor:
    return apply(Divide, x1, x2)


true_divide = divide


def negative(x: Any) -> Tensor:
    return apply(Negative, x)


def power(x1: Any, x2: Any) -> Tensor:
    return apply(Power, x1, x2)


def exp(x: Any) -> Tensor:
    return apply(Exp, x)


def log(x: Any) -> Tensor:
    return apply(Log, x)


def log1p(x: Any) -> Tensor:
    return apply(Log1p, x)


def sqrt(x: Any) -> Tensor:
    return apply(Sqrt, x)


def square(x: Any) -> Tensor:
    return apply(Square, x)


def abs(x: Any) -> Tensor:  # noqa: A001 - Keras's name
    return apply(Abs, x)


absolute = abs


def sin(x: Any) -> Tensor:
    return apply(Sin, x)


def cos(x: Any) -> Tensor:
    return apply(Cos, x)


def maximum(x1: Any, x2: Any) -> Tensor:
    return apply(Maximum, x1, x2)


def minimum(x1: Any, x2: Any) -> Tensor:
    return apply(Minimum, x1, x2)


def clip(x: Any, x_min: Any, x_max: Any) -> Tensor:
    return apply(Clip, x, x_min, x_max)


def where(condition: Any, x1: Any, x2: Any) -> Tensor:
    return apply(Where, condition, x1, x2)


def cast(x: Any, dtype: Any) -> Tensor:
    return apply(Cast, x, dtype=np.dtype(dtype))


def sign(x: Any) -> Tensor:
    """Not differentiable (its derivative is 0 almost everywhere)."""
    return Tensor(np.sign(Tensor(x).data) if not isinstance(x, Tensor) else np.sign(x.data))
