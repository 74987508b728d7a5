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
from .normalization import BatchNormalization, LayerNormalization
from .preprocessing import (
    CategoryEncoding,
    Discretization,
    Hashing,
    IntegerLookup,
    Normalization,
    StringLookup,
)
from .regularization import ActivityRegularization, AlphaDropout, Dropout, GaussianDropout, GaussianNoise
from .reshaping import Flatten, Reshape
from .symbolic import KerasTensor

__all__ = [
    "StringLookup",
    "Normalization",
    "IntegerLookup",
    "Hashing",
    "Discretization",
    "CategoryEncoding",
    "Activation",
    "ActivityRegularization",
    "Add",
    "AlphaDropout",
    "Average",
    "BatchNormalization",
    "Concatenate",
    "Dense",
    "Dropout",
    "ELU",
    "Flatten",
    "GaussianDropout",
    "GaussianNoise",
    "Input",
    "InputLayer",
    "InputSpec",
    "KerasTensor",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "Maximum",
    "Minimum",
    "Multiply",
    "ReLU",
    "Reshape",
    "Softmax",
    "Subtract",
    "add",
    "average",
    "concatenate",
    "maximum",
    "minimum",
    "multiply",
    "subtract",
]
