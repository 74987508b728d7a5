"""The autodiff engine: tensors, variables, the gradient tape, and the finite-difference checker.

It knows no Keras words; everything above it (ops, layers, models) is built from these pieces.
"""

from .function import Op, apply, get_op, register, registered_ops
from .gradcheck import GradcheckError, gradcheck
from .tape import GradientTape, is_recording, no_grad, unbroadcast
from .tensor import Tensor, Variable, to_array

__all__ = [
    "GradcheckError",
    "GradientTape",
    "Op",
    "Tensor",
    "Variable",
    "apply",
    "get_op",
    "gradcheck",
    "is_recording",
    "no_grad",
    "register",
    "registered_ops",
    "to_array",
    "unbroadcast",
]
