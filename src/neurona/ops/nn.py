"""Neural-network ops: activations, the fused dense op, and the fused (stable) cross-entropies.

Each op keeps what its gradient rule needs (often its own output) and states the rule it implements.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import config
from ..engine import Op, Tensor, apply, register

_SELU_ALPHA = 1.6732632423543772
_SELU_SCALE = 1.0507009873554805
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_erf = np.vectorize(math.erf, otypes=[np.float64])


def _sigmoid(x: np.ndarray) -> np.ndarray:
    """1/(1 + e^−x) for x ≥ 0 and e^x/(1 + e^x) for x < 0: no overflow on either side."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


# --- activations --------------------------------------------------------------------------------------
@register
class Relu(Op):
    """max(x, 0); the gradient is 1 where x > 0 and 0 elsewhere (0 at x = 0)."""

    name = "relu"

    @staticmethod
    def forward(ctx, x):
        ctx.out = np.maximum(x, 0)
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g * (ctx.out > 0),)


@register
class Sigmoid(Op):
    """σ(x) = 1 / (1 + e^−x); σ' = σ(1 − σ)."""

    name = "sigmoid"

    @staticmethod
    def forward(ctx, x):
        ctx.out = _sigmoid(x).astype(x.dtype, copy=False)
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.out * (1 - ctx.out),)


@register
class Tanh(Op):
    """tanh' = 1 − tanh²."""

    name = "tanh"

    @staticmethod
    def forward(ctx, x):
        ctx.out = np.tanh(x)
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g * (1 - ctx.out * ctx.out),)


@register
class Softmax(Op):
    """softmax(x)ᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m), m = max(x); grad: s·(g − Σ g·s)."""

    name = "softmax"

    @staticmethod
    def forward(ctx, x, axis=-1):
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        ctx.out, ctx.axis = e / np.sum(e, axis=axis, keepdims=True), axis
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        s = ctx.out
        return (s * (g - np.sum(g * s, axis=ctx.axis, keepdims=True)),)


@register
class LogSoftmax(Op):
    """log_softmax(x) = x − m − log Σ exp(x − m); grad: g − softmax(x)·Σ g."""

    name = "log_softmax"

    @staticmethod
    def forward(ctx, x, axis=-1):
        shifted = x - np.max(x, axis=axis, keepdims=True)
        ctx.out = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        ctx.axis = axis
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g - np.exp(ctx.out) * np.sum(g, axis=ctx.axis, keepdims=True),)


@register
class Softplus(Op):
    """softplus(x) = log(1 + e^x) (computed as logaddexp(x, 0)); its derivative is σ(x)."""

    name = "softplus"

    @staticmethod
    def forward(ctx, x):
        ctx.x = x
        return np.logaddexp(x, 0).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return (g * _sigmoid(ctx.x),)


@register
class Softsign(Op):
    """x / (1 + |x|); derivative 1 / (1 + |x|)²."""

    name = "softsign"

    @staticmethod
    def forward(ctx, x):
        ctx.den = 1 + np.abs(x)
        return x / ctx.den

    @staticmethod
    def backward(ctx, g):
        return (g / (ctx.den * ctx.den),)


@register
class Elu(Op):
    """x for x > 0, α(eˣ − 1) otherwise; derivative 1, or out + α."""

    name = "elu"

    @staticmethod
    def forward(ctx, x, alpha=1.0):
        ctx.positive = x > 0
        ctx.out = np.where(ctx.positive, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype, copy=False)
        ctx.alpha = alpha
        return ctx.out

    @staticmethod
    def backward(ctx, g):
        return (g * np.where(ctx.positive, 1, ctx.out + ctx.alpha),)


@register
class Selu(Op):
    """scale · elu(x, α) with α ≈ 1.67326 and scale ≈ 1.05070 (Klambauer et al., 2017)."""

    name = "selu"

    @staticmethod
    def forward(ctx, x):
        ctx.positive = x > 0
        ctx.neg = _SELU_ALPHA * np.exp(np.minimum(x, 0))
        out = _SELU_SCALE * np.where(ctx.positive, x, ctx.neg - _SELU_ALPHA)
        return out.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return (g * _SELU_SCALE * np.where(ctx.positive, 1, ctx.neg),)


@register
class LeakyRelu(Op):
    """x for x > 0, negative_slope·x otherwise."""

    name = "leaky_relu"

    @staticmethod
    def forward(ctx, x, negative_slope=0.2):
        ctx.slope = np.where(x > 0, 1, negative_slope).astype(x.dtype, copy=False)
        return x * ctx.slope

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.slope,)


@register
class Gelu(Op):
    """GELU. Exact: x·Φ(x) = ½x(1 + erf(x/√2)), derivative Φ(x) + x·φ(x).
    Approximate: ½x(1 + tanh(u)), u = √(2/π)(x + 0.044715x³)."""

    name = "gelu"

    @staticmethod
    def forward(ctx, x, approximate=True):
        ctx.x, ctx.approximate = x, approximate
        if approximate:
            ctx.t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x**3))
            return (0.5 * x * (1 + ctx.t)).astype(x.dtype, copy=False)
        ctx.cdf = 0.5 * (1 + _erf(x / math.sqrt(2.0)))
        return (x * ctx.cdf).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x = ctx.x
        if ctx.approximate:
            du = _SQRT_2_OVER_PI * (1 + 3 * 0.044715 * x * x)
            return (g * (0.5 * (1 + ctx.t) + 0.5 * x * (1 - ctx.t * ctx.t) * du),)
        pdf = np.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
        return ((g * (ctx.cdf + x * pdf)).astype(g.dtype, copy=False),)


@register
class Silu(Op):
    """silu(x) = x·σ(x) (also called swish); derivative σ + x·σ(1 − σ)."""

    name = "silu"

    @staticmethod
    def forward(ctx, x):
        ctx.x, ctx.s = x, _sigmoid(x).astype(x.dtype, copy=False)
        return x * ctx.s

    @staticmethod
    def backward(ctx, g):
        s = ctx.s
        return (g * (s + ctx.x * s * (1 - s)),)


@register
class HardSigmoid(Op):
    """Keras 3's hard_sigmoid: relu6(x + 3) / 6 = clip(x/6 + ½, 0, 1); slope 1/6 inside (−3, 3)."""

    name = "hard_sigmoid"

    @staticmethod
    def forward(ctx, x):
        ctx.inside = (x > -3) & (x < 3)
        return np.clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.inside / 6,)


@register
class Relu6(Op):
    """min(max(x, 0), 6); slope 1 inside (0, 6)."""

    name = "relu6"

    @staticmethod
    def forward(ctx, x):
        ctx.inside = (x > 0) & (x < 6)
        return np.clip(x, 0, 6)

    @staticmethod
    def backward(ctx, g):
        return (g * ctx.inside,)


@register
class LogSigmoid(Op):
    """log σ(x) = −softplus(−x); derivative 1 − σ(x) = σ(−x)."""

    name = "log_sigmoid"

    @staticmethod
    def forward(ctx, x):
        ctx.x = x
        return (-np.logaddexp(-x, 0)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return (g * _sigmoid(-ctx.x),)


# --- fused ops for the training hot path -----------------------------------------------------------
_FUSED_ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")
_ACTIVATION_CODES = {"linear": 0, "relu": 1, "sigmoid": 2, "tanh": 3}  # as in _kernels_dense.c

#: Layers with batch·inputs·units at most this go through one compiled call (when the kernels are built):
#: below it the three or six NumPy calls of a step cost more than their arithmetic.
SMALL_DENSE = 4096


def _small_dense_kernels(x: np.ndarray, w: np.ndarray) -> Any:
    """The compiled kernels when this layer is small enough for them (2-D input), else None."""
    if x.ndim != 2 or x.shape[0] * w.size > SMALL_DENSE:
        return None
    return config.kernels()


@register
class Dense(Op):
    """y = act(x·W + b) over the last axis of x, for act ∈ {linear, relu, sigmoid, tanh}.

    These activations have derivatives that are functions of their output y, so one op holds the
    whole layer: g' = g·act'(y); dx = g'·Wᵀ (only when asked for), dW = xᵀ·g', db = Σ g' over the batch.
    """

    name = "dense"

    @staticmethod
    def forward(ctx, x, w, b, activation="linear"):
        out = _small_dense_forward(x, w, b, activation)  # x·W + b (and relu), or None
        if out is None:
            out = x @ w
            if not _bias_act(out, b, activation == "relu"):  # one compiled pass, or NumPy's two
                out += b
                if activation == "relu":
                    np.maximum(out, 0, out=out)
        if activation == "tanh":
            np.tanh(out, out=out)
        elif activation == "sigmoid":
            out = _sigmoid(out).astype(x.dtype, copy=False)
        elif activation not in ("linear", "relu"):
            raise ValueError(
                f"The fused dense op supports the activations {_FUSED_ACTIVATIONS}. Received: {activation!r}"
            )
        ctx.x, ctx.w, ctx.out, ctx.activation = x, w, out, activation
        return out

    @staticmethod
    def backward(ctx, g):
        x, w, out = ctx.x, ctx.w, ctx.out
        grads = _small_dense_backward(ctx, g)
        if grads is not None:
            return grads
        if ctx.activation == "relu":
            g = _relu_grad(g, out)
        elif ctx.activation == "tanh":
            slope = out * out
            np.subtract(1, slope, out=slope)
            g = np.multiply(slope, g, out=slope)  # g·(1 − y²), computed in one scratch array
        elif ctx.activation == "sigmoid":
            g = g * out * (1 - out)
        grad_x = g @ w.T if not ctx.needs_input_grad or ctx.needs_input_grad[0] else None
        if x.ndim > 2:
            x, g = x.reshape(-1, x.shape[-1]), g.reshape(-1, g.shape[-1])
        return grad_x, x.T @ g, np.add.reduce(g, axis=0)


def _bias_act(out: np.ndarray, b: np.ndarray, relu: bool) -> bool:
    """out += b (then relu) in place in one compiled pass; False when NumPy must do it (no kernels, a
    strided or mixed-dtype operand, a bias that is not one row of `out`)."""
    kernels = config.kernels()
    if kernels is None or b.ndim != 1 or not out.ndim or out.shape[-1] != b.shape[0]:
        return False
    m = b.shape[0]
    try:
        kernels.bias_act(out, b, out.size // m if m else 0, m, relu)
    except (TypeError, ValueError):
        return False
    return True


def _relu_grad(g: np.ndarray, out: np.ndarray) -> np.ndarray:
    """g·(out > 0), in one compiled pass when it can (bit for bit NumPy's product)."""
    kernels = config.kernels()
    if kernels is not None and g.shape == out.shape:
        grad = np.empty(g.shape, dtype=g.dtype)
        try:
            kernels.relu_grad(g, out, grad, g.size)
            return grad
        except (TypeError, ValueError):
            pass
    return g * (out > 0)


def _small_dense_forward(x: np.ndarray, w: np.ndarray, b: np.ndarray, activation: str) -> np.ndarray | None:
    """x·W + b (and relu) in one compiled call for a small layer; None when the NumPy path must run."""
    kernels = _small_dense_kernels(x, w)
    if kernels is None or activation not in _ACTIVATION_CODES:
        return None
    n, (k, m) = x.shape[0], w.shape
    out = np.empty((n, m), dtype=x.dtype)
    try:
        kernels.dense_forward(x, w, b, out, n, k, m, activation == "relu")
    except (TypeError, ValueError):
        return None  # mixed dtypes, a strided view, a bias of another shape: NumPy takes it
    return out


def _small_dense_backward(ctx: Any, g: np.ndarray) -> tuple | None:
    """(dx, dW, db) of a small layer in one compiled call; None when the NumPy path must run."""
    x, w = ctx.x, ctx.w
    kernels = _small_dense_kernels(x, w)
    if kernels is None:
        return None
    n, (k, m) = x.shape[0], w.shape
    wants_dx = not ctx.needs_input_grad or ctx.needs_input_grad[0]
    scratch = np.empty((n, m), dtype=x.dtype)
    grad_x = np.empty_like(x) if wants_dx else None
    grad_w, grad_b = np.empty_like(w), np.empty((m,), dtype=x.dtype)
    try:
        kernels.dense_backward(
            x, w, ctx.out, g, scratch, grad_x, grad_w, grad_b, n, k, m, _ACTIVATION_CODES[ctx.activation]
        )
    except (TypeError, ValueError):
        return None
    return grad_x, grad_w, grad_b


@register
class MeanSquaredError(Op):
    """Per-sample mean((p − t)², axis=−1): subtract, square and mean as one op.

    Gradient: ∂/∂p = 2·(g/n)·(p − t) with n the size of the last axis; ∂/∂t is its negative. The same
    arithmetic as the three separate ops, in the same order, so the numbers are the same.
    """

    name = "mean_squared_error"

    @staticmethod
    def forward(ctx, prediction, target):
        diff = prediction - target
        ctx.diff = diff
        square = diff * diff
        ctx.n = diff.shape[-1] if diff.ndim else 1
        if not diff.ndim:
            return square
        total = np.add.reduce(square, axis=-1)
        if isinstance(total, np.ndarray):
            return np.true_divide(total, ctx.n, out=total)
        return total / ctx.n

    @staticmethod
    def backward(ctx, g):
        diff = ctx.diff
        scale = (g[..., None] if diff.ndim else g) / ctx.n
        grad = (2 * scale) * diff
        needs = ctx.needs_input_grad or (True, True)
        return (grad if needs[0] else None), (-grad if needs[1] else None)


#: Softmax cross-entropies with at most SMALL_CE_CLASSES classes and batch·classes at most SMALL_CE run in
#: one compiled call (when the kernels are built). Measured on 2 cores, float32: 10 classes, batch 32:
#: 21 → 7 µs forward + backward, batch 1024: 107 → 60 µs; with 100 or 1 000 classes (or 4 096 rows of 16)
#: NumPy's SIMD exp over the whole array is faster than the C library's, one value at a time.
SMALL_CE = 12288
SMALL_CE_CLASSES = 16


def _small_ce_forward(
    index: np.ndarray, logits: np.ndarray, axis: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """(softmax(z), −log softmax(z)[y]) in one compiled call for a small 2-D batch; None: the NumPy rule."""
    if logits.ndim != 2 or axis not in (-1, 1) or index.shape != logits.shape[:1]:
        return None
    if logits.shape[1] > SMALL_CE_CLASSES or logits.size > SMALL_CE:
        return None
    kernels = config.kernels()
    if kernels is None:
        return None
    n, c = logits.shape
    probs = np.empty_like(logits)
    loss = np.empty(n, dtype=logits.dtype)
    try:
        kernels.sparse_softmax_ce_forward(logits, index, probs, loss, n, c)
    except (TypeError, ValueError, IndexError):
        return None  # another dtype, a strided view, a label out of range: the NumPy rule decides
    return probs, loss


def _small_ce_backward(probs: np.ndarray, index: np.ndarray, g: np.ndarray) -> np.ndarray | None:
    """probs·g − g at each row's label, in one compiled call; None: the NumPy rule."""
    kernels = config.kernels()
    if kernels is None:
        return None
    grad = np.empty_like(probs)
    try:
        kernels.sparse_softmax_ce_backward(probs, index, g, grad, *probs.shape)
    except (TypeError, ValueError, IndexError):
        return None
    return grad


@register
class SparseSoftmaxCrossEntropy(Op):
    """Per-sample −log softmax(z)[y] from logits z and integer labels y.

    Gradient with respect to the logits: softmax(z) − one_hot(y), times the incoming gradient.
    """

    name = "sparse_softmax_cross_entropy"

    @staticmethod
    def forward(ctx, labels, logits, axis=-1):
        index = labels.astype(np.intp, copy=False)
        compiled = _small_ce_forward(index, logits, axis)  # (probs, loss) for a small batch, or None
        if compiled is not None:
            ctx.probs, ctx.index, ctx.axis, ctx.compiled = compiled[0], index, -1, True
            return compiled[1]
        ctx.compiled = False
        logits_last = np.moveaxis(logits, axis, -1) if axis not in (-1, logits.ndim - 1) else logits
        probs = logits_last - logits_last.max(axis=-1, keepdims=True)  # (methods: no Python wrapper)
        if probs.ndim == 2:
            rows = np.arange(len(index))
            picked = probs[rows, index]
        else:
            rows = None
            picked = np.take_along_axis(probs, index[..., None], axis=-1)[..., 0]
        np.exp(probs, out=probs)
        total = probs.sum(axis=-1, keepdims=True)
        probs /= total
        ctx.probs, ctx.index, ctx.rows, ctx.axis = probs, index, rows, axis
        return np.log(total[..., 0]) - picked

    @staticmethod
    def backward(ctx, g):
        if ctx.compiled:
            grad = _small_ce_backward(ctx.probs, ctx.index, g)
            if grad is not None:
                return None, grad
            ctx.rows = np.arange(len(ctx.index))
        grad = ctx.probs * g[..., None]
        if ctx.rows is not None:
            grad[ctx.rows, ctx.index] -= g
        else:
            index = ctx.index[..., None]
            np.put_along_axis(grad, index, np.take_along_axis(grad, index, axis=-1) - g[..., None], axis=-1)
        if ctx.axis not in (-1, grad.ndim - 1):
            grad = np.moveaxis(grad, -1, ctx.axis)
        return None, grad


@register
class SoftmaxCrossEntropy(Op):
    """Per-sample −Σ y·log softmax(z) from logits z and target distributions y.

    Gradients: dz = g·(softmax(z)·Σy − y), dy = −g·log softmax(z).
    """

    name = "softmax_cross_entropy"

    @staticmethod
    def forward(ctx, labels, logits, axis=-1):
        shifted = logits - np.max(logits, axis=axis, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))
        ctx.labels, ctx.log_probs, ctx.axis = labels, log_probs, axis
        return -np.sum(labels * log_probs, axis=axis)

    @staticmethod
    def backward(ctx, g):
        g = np.expand_dims(g, ctx.axis)
        probs = np.exp(ctx.log_probs)
        total = np.sum(ctx.labels, axis=ctx.axis, keepdims=True)
        return -g * ctx.log_probs, g * (probs * total - ctx.labels)


@register
class SigmoidCrossEntropy(Op):
    """Element-wise BCE from logits x and targets z: max(x, 0) − x·z + log(1 + e^−|x|).

    Gradients: dx = σ(x) − z (exact, also for confidently wrong logits), dz = −x.
    """

    name = "sigmoid_cross_entropy"

    @staticmethod
    def forward(ctx, labels, logits):
        ctx.labels, ctx.logits = labels, logits
        out = np.maximum(logits, 0) - logits * labels + np.log1p(np.exp(-np.abs(logits)))
        return out.astype(logits.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        return -g * ctx.logits, g * (_sigmoid(ctx.logits).astype(g.dtype, copy=False) - ctx.labels)


# --- Keras-named functions --------------------------------------------------------------------------
def relu(x: Any) -> Tensor:
    return apply(Relu, x)


def sigmoid(x: Any) -> Tensor:
    return apply(Sigmoid, x)


def tanh(x: Any) -> Tensor:
    return apply(Tanh, x)


def softmax(x: Any, axis: int = -1) -> Tensor:
    return apply(Softmax, x, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    return apply(LogSoftmax, x, axis=axis)


def softplus(x: Any) -> Tensor:
    return apply(Softplus, x)


def softsign(x: Any) -> Tensor:
    return apply(Softsign, x)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    return apply(Elu, x, alpha=alpha)


def selu(x: Any) -> Tensor:
    return apply(Selu, x)


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    return apply(LeakyRelu, x, negative_slope=negative_slope)


def gelu(x: Any, approximate: bool = True) -> Tensor:
    return apply(Gelu, x, approximate=approximate)


def silu(x: Any) -> Tensor:
    return apply(Silu, x)


swish = silu


def hard_sigmoid(x: Any) -> Tensor:
    return apply(HardSigmoid, x)


def relu6(x: Any) -> Tensor:
    return apply(Relu6, x)


def log_sigmoid(x: Any) -> Tensor:
    return apply(LogSigmoid, x)


def dense(x: Any, kernel: Any, bias: Any = None, activation: str = "linear") -> Tensor:
    """`activation(x @ kernel + bias)` as one fused op, for activation ∈ {linear, relu, sigmoid, tanh}
    (without a bias: a plain matmul, then the activation)."""
    if bias is None:
        from .linalg import matmul

        out = matmul(x, kernel)
        return (
            out
            if activation == "linear"
            else {"relu": relu, "sigmoid": sigmoid, "tanh": tanh}[activation](out)
        )
    return apply(Dense, x, kernel, bias, activation=activation)


def mean_squared_error(prediction: Any, target: Any) -> Tensor:
    """Per-sample mean((prediction − target)², axis=−1), fused (the two must have the same shape)."""
    return apply(MeanSquaredError, prediction, target)


def sparse_softmax_cross_entropy(labels: Any, logits: Any, axis: int = -1) -> Tensor:
    """Per-sample cross-entropy of integer `labels` against `logits` (stable, fused)."""
    return apply(SparseSoftmaxCrossEntropy, labels, logits, axis=axis)


def softmax_cross_entropy(labels: Any, logits: Any, axis: int = -1) -> Tensor:
    """Per-sample cross-entropy of target distributions `labels` against `logits` (stable, fused)."""
    return apply(SoftmaxCrossEntropy, labels, logits, axis=axis)


def sigmoid_cross_entropy(labels: Any, logits: Any) -> Tensor:
    """Element-wise binary cross-entropy of `labels` against `logits` (stable form)."""
    return apply(SigmoidCrossEntropy, labels, logits)


def one_hot(x: Any, num_classes: int, axis: int = -1, dtype: Any = None) -> Tensor:
    """Not differentiable: integer labels to one-hot rows."""
    from .. import config

    labels = np.asarray(x.data if isinstance(x, Tensor) else x).astype(np.intp)
    out = (labels[..., None] == np.arange(num_classes)).astype(dtype or config.floatx())
    return Tensor(np.moveaxis(out, -1, axis) if axis != -1 else out)
