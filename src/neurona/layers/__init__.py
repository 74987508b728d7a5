"""`neurona.layers`: the Keras layers, one file per family."""

from .activation_layers import ELU, LeakyReLU, ReLU, Softmax
from .base import InputSpec, Layer
from .core import Activation, Dense
from .input_layer import Input, InputLayer
from .merging import (
    Add,
    Average,
    Concatenate,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .regularization import Dropout
from .reshaping import Flatten, Reshape
from .symbolic import KerasTensor

__all__ = [
    "Activation",
    "Add",
    "ELU",
    "LeakyReLU",
    "ReLU",
    "Softmax",
    "Average",
    "Concatenate",
    "Dense",
    "Dropout",
    "Flatten",
    "Input",
    "InputLayer",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "Maximum",
    "Minimum",
    "Multiply",
    "Reshape",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
