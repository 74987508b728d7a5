"""neurona: a Keras-compatible deep-learning library on its own NumPy autodiff engine.

`import neurona as tf` makes `tf.keras.layers.Dense`, `tf.keras.models.Sequential`, `tf.Variable` and
`tf.GradientTape` work: `neurona.keras` is this package itself.
"""

import sys as _sys

from . import (
    activations,
    callbacks,
    config,
    constraints,
    data,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    nn,
    ops,
    optimizers,
    regularizers,
    saving,
    utils,
    wrappers,
)
from .engine import GradcheckError, GradientTape, Tensor, Variable, gradcheck, no_grad
from .layers import Input
from .models import Model, Sequential
from .tf_names import *  # noqa: F401,F403 - tf.constant, tf.reduce_mean, tf.float32, ...
from .tf_names import __all__ as _tf_names
from .version import __version__

keras = _sys.modules[__name__]
backend = config


def __getattr__(name: str):
    """`neurona.plot` loads on first use; it imports matplotlib only when it draws."""
    if name == "plot":
        import importlib

        return importlib.import_module(f"{__name__}.plot")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "GradcheckError",
    "GradientTape",
    "Input",
    "Model",
    "Sequential",
    "Tensor",
    "Variable",
    "__version__",
    "activations",
    "backend",
    "callbacks",
    "config",
    "constraints",
    "data",
    "datasets",
    "gradcheck",
    "initializers",
    "keras",
    "layers",
    "losses",
    "metrics",
    "models",
    "nn",
    "no_grad",
    "ops",
    "optimizers",
    "regularizers",
    "saving",
    "utils",
    "wrappers",
] + _tf_names
