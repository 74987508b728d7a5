"""Activation functions by name or callable (`keras.activations`): `get`, `serialize`, `deserialize`.

Every function takes and returns a tensor and is built from the differentiable ops in `neurona.ops`.
"""

from __future__ import annotations

from typing import Any, Callable

from . import ops
from .engine import Tensor


def linear(x: Any) -> Tensor:
    """The identity: f(x) = x."""
    return ops.convert_to_tensor(x)


def relu(
    x: Any, negative_slope: float = 0.0, max_value: float | None = None, threshold: float = 0.0
) -> Tensor:
    """Formula: f(x) = max(x, 0); with options, x for x ≥ threshold else negative_slope·(x − threshold),
    capped at max_value."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return ops.relu(x)
    x = ops.convert_to_tensor(x)
    out = ops.where(x.data > threshold, x, (x - threshold) * negative_slope)
    if max_value is not None:
        out = ops.minimum(out, max_value)
    return out


def leaky_relu(x: Any, negative_slope: float = 0.2) -> Tensor:
    """Formula: f(x) = x for x > 0, negative_slope·x otherwise."""
    return ops.leaky_relu(x, negative_slope=negative_slope)


def relu6(x: Any) -> Tensor:
    """Formula: f(x) = min(max(x, 0), 6)."""
    return ops.relu6(x)


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """Formula: f(x) = x for x > 0, α(eˣ − 1) otherwise."""
    return ops.elu(x, alpha=alpha)


def selu(x: Any) -> Tensor:
    """Formula: f(x) = scale·elu(x, α), α ≈ 1.6733, scale ≈ 1.0507."""
    return ops.selu(x)


def gelu(x: Any, approximate: bool = False) -> Tensor:
    """Formula: f(x) = x·Φ(x) (exact, the Keras default here) or the tanh approximation."""
    return ops.gelu(x, approximate=approximate)


def sigmoid(x: Any) -> Tensor:
    """Formula: f(x) = 1 / (1 + e^−x)."""
    return ops.sigmoid(x)


def tanh(x: Any) -> Tensor:
    """Formula: f(x) = (eˣ − e^−x) / (eˣ + e^−x)."""
    return ops.tanh(x)


def softplus(x: Any) -> Tensor:
    """Formula: f(x) = log(1 + eˣ)."""
    return ops.softplus(x)


def softsign(x: Any) -> Tensor:
    """Formula: f(x) = x / (1 + |x|)."""
    return ops.softsign(x)


def silu(x: Any) -> Tensor:
    """Formula: f(x) = x·σ(x). Also called swish."""
    return ops.silu(x)


swish = silu


def hard_sigmoid(x: Any) -> Tensor:
    """Formula: f(x) = clip(x/6 + ½, 0, 1) (Keras 3's definition)."""
    return ops.hard_sigmoid(x)


def exponential(x: Any) -> Tensor:
    """Formula: f(x) = eˣ."""
    return ops.exp(x)


def softmax(x: Any, axis: int = -1, temperature: float = 1.0) -> Tensor:
    """Formula: softmax(x)ᵢ = exp(xᵢ/T − m) / Σⱼ exp(xⱼ/T − m), m = max(x/T), over `axis`.

    `temperature` T is a neurona addition (no Keras has it): T = 1 is the usual softmax, T → ∞ tends to
    equal probabilities, T → 0 to a one-hot of the largest input.

    Example:
        >>> softmax([0.1, 1.0, 5.0]).numpy()
        array([0.00725956, 0.01785564, 0.9748848 ], dtype=float32)
    """
    if not temperature > 0:
        raise ValueError(f"`temperature` must be a positive number. Received: temperature={temperature}")
    x = ops.convert_to_tensor(x)
    if x.ndim == 0:
        raise ValueError("softmax needs at least a 1-D input. Received a scalar.")
    return ops.softmax(x if temperature == 1.0 else x / temperature, axis=axis)


def log_softmax(x: Any, axis: int = -1) -> Tensor:
    """Formula: log_softmax(x) = x − m − log Σ exp(x − m), m = max(x)."""
    return ops.log_softmax(x, axis=axis)


_ACTIVATIONS: dict[str, Callable[..., Tensor]] = {
    "linear": linear,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "relu6": relu6,
    "elu": elu,
    "selu": selu,
    "gelu": gelu,
    "sigmoid": sigmoid,
    "tanh": tanh,
    "softplus": softplus,
    "softsign": softsign,
    "silu": silu,
    "swish": swish,
    "hard_sigmoid": hard_sigmoid,
    "exponential": exponential,
    "softmax": softmax,
    "log_softmax": log_softmax,
}


def get(identifier: str | Callable[..., Any] | None) -> Callable[..., Tensor]:
    """An activation from its name, a callable, or `None` (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        try:
            return _ACTIVATIONS[identifier]
        except KeyError:
            raise ValueError(
                f"Unknown activation function: {identifier!r}. Valid names are: {sorted(_ACTIVATIONS)}. "
                "Pass one of these, or a callable."
            ) from None
    if isinstance(identifier, dict) and "class_name" in identifier:
        return get(identifier["class_name"])
    if callable(identifier):
        return identifier
    raise TypeError(f"Could not interpret activation identifier: {identifier!r}")


def serialize(activation: Callable[..., Any]) -> str:
    """The name of a built-in activation (a custom one serializes as its `__name__`)."""
    for name, fn in _ACTIVATIONS.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", str(activation))


def deserialize(name: str) -> Callable[..., Tensor]:
    return get(name)


__all__ = sorted(_ACTIVATIONS) + ["deserialize", "get", "serialize"]
