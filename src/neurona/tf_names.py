"""TensorFlow's top-level names that tf.keras course code uses next to GradientTape (`tf.constant`,
`tf.reduce_mean`, `tf.square`, `tf.float32`, ...), as aliases of `neurona.ops`. Imported into
`neurona` so that `import neurona as tf` keeps such code running."""

from __future__ import annotations

from typing import Any

from . import ops
from .engine import Tensor

float16, float32, float64 = "float16", "float32", "float64"
int32, int64, bool_ = "int32", "int64", "bool"


def constant(value: Any, dtype: Any = None) -> Tensor:
    return ops.convert_to_tensor(value, dtype=dtype)


reduce_sum = ops.sum
reduce_mean = ops.mean
reduce_max = ops.max
reduce_min = ops.min
reduce_logsumexp = ops.logsumexp
add, subtract, multiply, divide = ops.add, ops.subtract, ops.multiply, ops.divide
square, sqrt, exp, log, abs, maximum, minimum = (
    ops.square,
    ops.sqrt,
    ops.exp,
    ops.log,
    ops.abs,
    ops.maximum,
    ops.minimum,
)
matmul, reshape, transpose, cast, where, concat = (
    ops.matmul,
    ops.reshape,
    ops.transpose,
    ops.cast,
    ops.where,
    ops.concatenate,
)
zeros, ones, zeros_like, ones_like, one_hot, argmax, stop_gradient = (
    ops.zeros,
    ops.ones,
    ops.zeros_like,
    ops.ones_like,
    ops.one_hot,
    ops.argmax,
    ops.stop_gradient,
)
convert_to_tensor = ops.convert_to_tensor

__all__ = [
    "abs",
    "add",
    "argmax",
    "bool_",
    "cast",
    "concat",
    "constant",
    "convert_to_tensor",
    "divide",
    "exp",
    "float16",
    "float32",
    "float64",
    "int32",
    "int64",
    "log",
    "matmul",
    "maximum",
    "minimum",
    "multiply",
    "one_hot",
    "ones",
    "ones_like",
    "reduce_logsumexp",
    "reduce_max",
    "reduce_mean",
    "reduce_min",
    "reduce_sum",
    "reshape",
    "sqrt",
    "square",
    "stop_gradient",
    "subtract",
    "transpose",
    "where",
    "zeros",
    "zeros_like",
]
