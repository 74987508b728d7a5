"""Normalization ops: batch normalization (with given statistics, and fused with the batch statistics)
and layer normalization, each one op with its exact gradient rule.

Notation: x̂ = (x − μ)·inv, inv = 1/√(σ² + ε); `mean_R` is a mean over the reduced axes R (the batch axes
for batch normalization, the normalized axes for layer normalization), N the number of elements averaged.
Parameters (mean, variance, scale γ, offset β) are reshaped to broadcast against x; their gradients are
summed back to their own shapes here (not by the tape, which only un-broadcasts leading axes).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import config
from ..engine import Op, Tensor, apply, register


def _positive_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """`axis` (an int or a sequence) as sorted non-negative axes, checked against the rank."""
    axes = [axis] if isinstance(axis, (int, np.integer)) else list(axis)
    for a in axes:
        if not -ndim <= a < ndim:
            raise ValueError(
                f"Axis {a} is out of bounds for an input of rank {ndim}. Received: axis={axis!r}"
            )
    return tuple(sorted(int(a) % ndim for a in axes))


def _broadcast_shape(x: np.ndarray, axes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of x with every axis outside `axes` set to 1 (the shape parameters broadcast in)."""
    return tuple(n if i in axes else 1 for i, n in enumerate(x.shape))


def _other_axes(ndim: int, axes: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(i for i in range(ndim) if i not in axes)


@register
class BatchNormalization(Op):
    """Normalization with given statistics (inference-mode batch norm), over the channel axis `axis`.

    Formula: y = (x − mean)·inv·scale + offset, inv = 1/√(variance + ε).
    Gradients (Σ over every axis but `axis`):
        dx = g·inv·scale        d_offset = Σ g        d_scale = Σ g·(x − mean)·inv
        d_mean = −Σ g·inv·scale        d_variance = −½·Σ g·(x − mean)·scale·inv³
    """

    name = "batch_normalization"

    @staticmethod
    def forward(ctx, x, mean, variance, offset, scale, axis=-1, epsilon=1e-3):
        channel = _positive_axes(axis, x.ndim)
        shape = _broadcast_shape(x, channel)
        mean_b, scale_b = mean.reshape(shape), scale.reshape(shape)
        inv = 1 / np.sqrt(variance.reshape(shape) + epsilon)
        centered = x - mean_b
        ctx.centered, ctx.inv, ctx.scale_b = centered, inv, scale_b
        ctx.reduce = _other_axes(x.ndim, channel)
        ctx.param_shapes = (mean.shape, variance.shape, offset.shape, scale.shape)
        return (centered * (inv * scale_b) + offset.reshape(shape)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        centered, inv, scale_b, reduce = ctx.centered, ctx.inv, ctx.scale_b, ctx.reduce
        mean_shape, variance_shape, offset_shape, scale_shape = ctx.param_shapes
        needs = ctx.needs_input_grad or (True,) * 5
        grad_x = g * (inv * scale_b)
        grad_mean = -np.sum(grad_x, axis=reduce).reshape(mean_shape) if needs[1] else None
        grad_variance = None
        if needs[2]:
            grad_variance = (
                -0.5 * np.sum(g * centered, axis=reduce, keepdims=True) * scale_b * inv**3
            ).reshape(variance_shape)
        grad_offset = np.sum(g, axis=reduce).reshape(offset_shape) if needs[3] else None
        grad_scale = np.sum(g * centered * inv, axis=reduce).reshape(scale_shape) if needs[4] else None
        return grad_x, grad_mean, grad_variance, grad_offset, grad_scale


@register
class FusedBatchNorm(Op):
    """Training-mode batch normalization: normalize with the statistics of the batch itself.

    Formula (μ, σ² over every axis but `axis`; σ² is the biased variance, as Keras):
        y = γ·x̂ + β,  x̂ = (x − μ)·inv,  inv = 1/√(σ² + ε)
    Gradients (μ and σ² depend on x):
        dx = γ·inv·(g − mean_R(g) − x̂·mean_R(g·x̂))        dγ = Σ_R g·x̂        dβ = Σ_R g
    `moments` may carry (μ, σ²) already computed from this x (the wrapper passes them, so that they are
    computed once and returned for the moving averages).
    """

    name = "fused_batch_norm"

    @staticmethod
    def forward(ctx, x, scale, offset, axis=-1, epsilon=1e-3, moments=None):
        channel = _positive_axes(axis, x.ndim)
        shape = _broadcast_shape(x, channel)
        reduce = _other_axes(x.ndim, channel)
        if moments is None:
            moments = _moments(x, reduce)
        mean, variance = moments
        inv = 1 / np.sqrt(variance + epsilon)
        x_hat = (x - mean) * inv
        scale_b = scale.reshape(shape)
        ctx.x_hat, ctx.inv, ctx.scale_b, ctx.reduce = x_hat, inv, scale_b, reduce
        ctx.param_shapes = (scale.shape, offset.shape)
        return (x_hat * scale_b + offset.reshape(shape)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        x_hat, reduce = ctx.x_hat, ctx.reduce
        scale_shape, offset_shape = ctx.param_shapes
        g_sum = np.sum(g, axis=reduce, keepdims=True)
        g_x_hat_sum = np.sum(g * x_hat, axis=reduce, keepdims=True)
        n = g.size // g_sum.size
        grad_x = (ctx.scale_b * ctx.inv) * (g - g_sum / n - x_hat * (g_x_hat_sum / n))
        return grad_x, g_x_hat_sum.reshape(scale_shape), g_sum.reshape(offset_shape)


@register
class LayerNormalization(Op):
    """Layer normalization over the axes `axis` of each sample.

    Formula (μ, σ² over `axis`, biased):
        y = γ·x̂ + β,  x̂ = (x − μ)·inv,  inv = 1/√(σ² + ε)
        with rms_scaling (Keras's deprecated option): y = γ·x·inv (no centering, no β)
    Gradients (u = g·γ; R = the normalized axes; Σ_B over the other axes):
        dx = inv·(u − mean_R(u) − x̂·mean_R(u·x̂))        dγ = Σ_B g·x̂        dβ = Σ_B g
        rms_scaling: dx = inv·u − inv³·(x − μ)·mean_R(u·x),  dγ = Σ_B g·x·inv
    """

    name = "layer_normalization"

    @staticmethod
    def forward(ctx, x, gamma, beta, axis=(-1,), epsilon=1e-3, rms_scaling=False):
        axes = _positive_axes(axis, x.ndim)
        shape = _broadcast_shape(x, axes)
        mean, variance = _moments(x, axes)
        inv = 1 / np.sqrt(variance + epsilon)
        gamma_b = gamma.reshape(shape)
        ctx.inv, ctx.gamma_b, ctx.axes, ctx.rms_scaling = inv, gamma_b, axes, rms_scaling
        ctx.other = _other_axes(x.ndim, axes)
        ctx.param_shapes = (gamma.shape, beta.shape)
        if rms_scaling:
            ctx.x, ctx.centered = x, x - mean
            return (x * inv * gamma_b).astype(x.dtype, copy=False)
        ctx.x_hat = (x - mean) * inv
        return (ctx.x_hat * gamma_b + beta.reshape(shape)).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, g):
        inv, axes, other = ctx.inv, ctx.axes, ctx.other
        gamma_shape, beta_shape = ctx.param_shapes
        u = g * ctx.gamma_b
        if ctx.rms_scaling:
            grad_x = inv * u - inv**3 * ctx.centered * np.mean(u * ctx.x, axis=axes, keepdims=True)
            grad_gamma = np.sum(g * ctx.x * inv, axis=other).reshape(gamma_shape)
            return grad_x, grad_gamma, None
        x_hat = ctx.x_hat
        mean_u = np.mean(u, axis=axes, keepdims=True)
        mean_u_x_hat = np.mean(u * x_hat, axis=axes, keepdims=True)
        grad_x = inv * (u - mean_u - x_hat * mean_u_x_hat)
        grad_gamma = np.sum(g * x_hat, axis=other).reshape(gamma_shape)
        grad_beta = np.sum(g, axis=other).reshape(beta_shape)
        return grad_x, grad_gamma, grad_beta


def _moments(x: np.ndarray, axes: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Mean and biased variance over `axes`, kept as size-1 axes."""
    mean = np.mean(x, axis=axes, keepdims=True)
    centered = x - mean
    variance = np.mean(centered * centered, axis=axes, keepdims=True)
    return mean, variance


def _data(value: Any) -> np.ndarray:
    return value.data if isinstance(value, Tensor) else np.asarray(value)


def _channel_parameter(value: Any, fill: float, x: np.ndarray, axes: tuple[int, ...]) -> Any:
    """`value`, or a constant array shaped like the normalized axes of `x` when it is None."""
    if value is not None:
        return value
    return np.full(tuple(x.shape[a] for a in axes), fill, dtype=x.dtype)


# --- Keras-named functions --------------------------------------------------------------------------
def batch_normalization(
    x: Any,
    mean: Any,
    variance: Any,
    axis: int,
    offset: Any = None,
    scale: Any = None,
    epsilon: float = 1e-3,
) -> Tensor:
    """Normalize `x` with the given per-channel `mean` and `variance` (`keras.ops.batch_normalization`).

    Formula: y = (x − mean) / √(variance + ε) · scale + offset, channels on `axis`.
    """
    data = _data(x)
    channel = _positive_axes(axis, data.ndim)
    offset = _channel_parameter(offset, 0.0, data, channel)
    scale = _channel_parameter(scale, 1.0, data, channel)
    return apply(BatchNormalization, x, mean, variance, offset, scale, axis=axis, epsilon=epsilon)


def fused_batch_norm(
    x: Any, scale: Any = None, offset: Any = None, axis: int = -1, epsilon: float = 1e-3
) -> tuple[Tensor, Tensor, Tensor]:
    """Training-mode batch normalization: `(outputs, batch_mean, batch_variance)`.

    Formula: y = γ·(x − μ)/√(σ² + ε) + β, with μ and σ² (biased) over every axis but `axis`.
    The statistics come back as plain tensors of shape `(channels,)` (no gradient flows through them).
    """
    data = _data(x)
    channel = _positive_axes(axis, data.ndim)
    mean, variance = _moments(data, _other_axes(data.ndim, channel))
    scale = _channel_parameter(scale, 1.0, data, channel)
    offset = _channel_parameter(offset, 0.0, data, channel)
    outputs = apply(FusedBatchNorm, x, scale, offset, axis=axis, epsilon=epsilon, moments=(mean, variance))
    size = data.shape[channel[0]]
    return outputs, Tensor._wrap(mean.reshape(size)), Tensor._wrap(variance.reshape(size))


def layer_normalization(
    x: Any,
    gamma: Any = None,
    beta: Any = None,
    axis: Any = -1,
    epsilon: float | None = None,
    rms_scaling: bool = False,
) -> Tensor:
    """Normalize each sample over `axis` (`keras.ops.layer_normalization`).

    Formula: y = γ·(x − μ)/√(σ² + ε) + β, μ and σ² over `axis`; ε defaults to `config.epsilon()`.
    """
    data = _data(x)
    axes = _positive_axes(axis, data.ndim)
    gamma = _channel_parameter(gamma, 1.0, data, axes)
    beta = _channel_parameter(beta, 0.0, data, axes)
    epsilon = config.epsilon() if epsilon is None else epsilon
    return apply(LayerNormalization, x, gamma, beta, axis=axes, epsilon=epsilon, rms_scaling=rms_scaling)


def moments(x: Any, axes: Any, keepdims: bool = False) -> tuple[Tensor, Tensor]:
    """Mean and (biased) variance of `x` over `axes` (`keras.ops.moments`), built from differentiable ops.

    Formula: mean = mean(x), variance = mean((x − mean)²).
    """
    from .reduce import mean as reduce_mean
    from .shaping import squeeze

    axes = tuple(axes) if isinstance(axes, (list, tuple)) else axes
    average = reduce_mean(x, axis=axes, keepdims=True)
    centered = x - average
    variance = reduce_mean(centered * centered, axis=axes, keepdims=keepdims)
    return (average if keepdims else squeeze(average, axis=axes)), variance
