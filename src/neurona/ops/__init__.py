"""`neurona.ops`: every differentiable primitive, under Keras 3's `keras.ops` names.

The primitives live in families (`elementwise`, `reduce`, `shape`, `linalg`, `nn`), each op's forward
pass beside its gradient rule; `registered_ops()` lists them all.
"""

from ..engine import gradcheck, registered_ops
from .creation import (
    arange,
    convert_to_numpy,
    convert_to_tensor,
    eye,
    full,
    ones,
    ones_like,
    shape,
    stop_gradient,
    zeros,
    zeros_like,
)
from .crossentropy import binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy
from .elementwise import (
    abs,
    absolute,
    add,
    cast,
    clip,
    cos,
    divide,
    exp,
    log,
    log1p,
    maximum,
    minimum,
    multiply,
    negative,
    power,
    sign,
    sin,
    sqrt,
    square,
    subtract,
    true_divide,
    where,
)
from .linalg import dot, matmul
from .nn import (
    dense,
    elu,
    gelu,
    hard_sigmoid,
    leaky_relu,
    log_sigmoid,
    log_softmax,
    one_hot,
    relu,
    relu6,
    selu,
    sigmoid,
    sigmoid_cross_entropy,
    silu,
    softmax,
    softmax_cross_entropy,
    softplus,
    softsign,
    sparse_softmax_cross_entropy,
    swish,
    tanh,
)
from .reduce import amax, amin, argmax, argmin, logsumexp, max, mean, min, sum
from .shaping import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    reshape,
    squeeze,
    stack,
    take,
    transpose,
)

__all__ = [
    "abs", "absolute", "add", "amax", "amin", "arange", "argmax", "argmin", "binary_crossentropy",
    "broadcast_to", "cast", "categorical_crossentropy", "clip", "concatenate", "convert_to_numpy",
    "convert_to_tensor", "cos", "dense", "divide", "dot", "elu", "exp", "expand_dims", "eye", "flatten",
    "full", "gelu", "gradcheck", "hard_sigmoid", "leaky_relu", "log", "log1p", "log_sigmoid",
    "log_softmax", "logsumexp", "matmul", "max", "maximum", "mean", "min", "minimum", "multiply",
    "negative", "one_hot", "ones", "ones_like", "power", "registered_ops", "relu", "relu6", "reshape",
    "selu", "shape", "sigmoid", "sigmoid_cross_entropy", "sign", "silu", "sin", "softmax",
    "softmax_cross_entropy", "softplus", "softsign", "sparse_categorical_crossentropy",
    "sparse_softmax_cross_entropy", "sqrt", "square", "squeeze", "stack", "stop_gradient", "subtract",
    "sum", "swish", "take", "tanh", "transpose", "true_divide", "where", "zeros", "zeros_like",
]
