"""`neurona.nn`: the handful of `tf.nn` functions that tf.keras course code calls (`tf.nn.softmax`,
`tf.nn.relu`, the `*_cross_entropy_with_logits` pair), as thin names over `neurona.ops`."""

from __future__ import annotations

from typing import Any

from . import ops
from .engine import Tensor
from .ops import elu, leaky_relu, log_softmax, relu, relu6, selu, sigmoid, silu, softplus, softsign, tanh

swish = silu


def softmax(logits: Any, axis: int = -1) -> Tensor:
    return ops.softmax(logits, axis=axis)


def sigmoid_cross_entropy_with_logits(labels: Any, logits: Any) -> Tensor:
    """Element-wise max(x, 0) − x·z + log(1 + e^−|x|)."""
    return ops.sigmoid_cross_entropy(
        ops.convert_to_tensor(labels, dtype=ops.convert_to_tensor(logits).dtype), logits
    )


def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1) -> Tensor:
    """Per sample −Σ labels·log softmax(logits)."""
    return ops.softmax_cross_entropy(
        ops.convert_to_tensor(labels, dtype=ops.convert_to_tensor(logits).dtype), logits, axis=axis
    )


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any) -> Tensor:
    """Per sample −log softmax(logits)[label]."""
    return ops.sparse_softmax_cross_entropy(labels, logits)


__all__ = [
    "elu",
    "leaky_relu",
    "log_softmax",
    "relu",
    "relu6",
    "selu",
    "sigmoid",
    "sigmoid_cross_entropy_with_logits",
    "silu",
    "softmax",
    "softmax_cross_entropy_with_logits",
    "softplus",
    "softsign",
    "sparse_softmax_cross_entropy_with_logits",
    "swish",
    "tanh",
]
