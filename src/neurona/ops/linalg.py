"""Matrix products: `matmul` and `dot`. Forward and gradient rule together.

For `C = A @ B`: dA = dC @ Bᵀ and dB = Aᵀ @ dC (batch axes are summed back by the tape).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..engine import Op, Tensor, apply, register


@register
class MatMul(Op):
    name = "matmul"

    @staticmethod
    def forward(ctx, a, b):
        ctx.a, ctx.b = a, b
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.a, ctx.b
        need_a, need_b = ctx.needs_input_grad or (True, True)
        if a.ndim == 2 and b.ndim == 2:
            return (g @ b.T if need_a else None), (a.T @ g if need_b else None)
        # Treat vectors as matrices (a row for `a`, a column for `b`), then drop the added axis.
        a2 = a[None, :] if a.ndim == 1 else a
        b2 = b[:, None] if b.ndim == 1 else b
        g2 = g
        if a.ndim == 1:
            g2 = np.expand_dims(g2, -2)
        if b.ndim == 1:
            g2 = np.expand_dims(g2, -1)
        grad_a = g2 @ np.swapaxes(b2, -1, -2)
        grad_b = np.swapaxes(a2, -1, -2) @ g2
        if a.ndim == 1:
            grad_a = np.squeeze(grad_a, -2)
        if b.ndim == 1:
            grad_b = np.squeeze(grad_b, -1)
        return grad_a, grad_b


def matmul(x1: Any, x2: Any) -> Tensor:
    """Matrix product with NumPy's `matmul` rules (batch axes broadcast)."""
    return apply(MatMul, x1, x2)


def dot(x1: Any, x2: Any) -> Tensor:
    """NumPy's `dot`: a product with scalars, the matrix product for arrays of rank 1 or 2, and for an
    N-D `x1` with a 1-D or 2-D `x2` a contraction over the last axis of `x1`."""
    a = x1 if isinstance(x1, Tensor) else Tensor(x1)
    b = x2 if isinstance(x2, Tensor) else Tensor(x2)
    if a.ndim == 0 or b.ndim == 0:
        from .elementwise import multiply

        return multiply(a, b)
    if b.ndim > 2:
        raise ValueError(
            "neurona.ops.dot supports a second argument of rank 0, 1 or 2. "
            f"Received shapes {a.shape} and {b.shape}. Use neurona.ops.matmul for batched products."
        )
    return matmul(a, b)
