"""The Playground's network as a neurona model: built from a State, and its loss and accuracy.

The network follows the TF Playground (`src/nn.ts`): Dense layers with weights U(−0.5, 0.5) and biases
0.1 (both 0 with `initZero`), one activation per hidden layer, and an output of tanh (classification with
`mse`), linear (regression), sigmoid (`bce`) or softmax (`ce`). The initial weights are drawn by seeded
initializers whose seeds come from (`seed`, `initSeed`, layer index): rebuilding gives the same weights.

The TF Playground's loss is ½(o − t)² per point, averaged over the batch. neurona's `mean_squared_error`
is mean((o − t)²), so `mse` compiles it with `loss_weights=0.5`: the loss, and therefore every gradient,
is exactly the TF Playground's (no change of learning rate needed, and every optimizer sees the same
gradients). Its L2 rule, w ← w − lr·rate·w (R = ½w²), is Keras's `L2(rate / 2)` (gradient 2·(rate/2)·w);
its L1 rule, w ← w − lr·rate·sign(w), is `L1(rate)`. Biases are not regularized, as there. (Differences:
the penalty's gradient is added to the batch gradient instead of a second step after it, and L1 has no
"dead link" rule.)

>>> from neurona.playground.state import State
>>> model = build_model(State(seed="1"), n_features=2, classes=2)
>>> [layer.units for layer in dense_layers(model)]
[4, 2, 1]
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np

import neurona as nn

from .state import State

WEIGHT_RANGE = 0.5
BIAS_INIT = 0.1
MOMENTUM = 0.9
EPSILON = 1e-7

OPTIMIZERS = {
    "sgd": ("SGD", {}),
    "momentum": ("SGD", {"momentum": MOMENTUM}),
    "adam": ("Adam", {}),
    "rmsprop": ("RMSprop", {}),
    "adagrad": ("Adagrad", {}),
}


def layer_seed(seed: str, init_seed: int, index: int) -> int:
    """The initializer seed of Dense layer `index`: a 31-bit hash of (seed, initSeed, index)."""
    digest = hashlib.sha256(f"{seed}|{init_seed}|{index}".encode()).digest()
    return int.from_bytes(digest[:4], "big") >> 1


def output_activation(state: State) -> str:
    if state.loss == "ce":
        return "softmax"
    if state.loss == "bce":
        return "sigmoid"
    return "linear" if state.problem == "regression" else "tanh"


def output_units(state: State, classes: int) -> int:
    return classes if state.loss == "ce" else 1


def make_optimizer(state: State) -> Any:
    name, options = OPTIMIZERS[state.optimizer]
    return getattr(nn.optimizers, name)(learning_rate=state.learning_rate, **options)


def regularizer(state: State) -> Any:
    if state.regularization == "L1" and state.regularization_rate > 0:
        return nn.regularizers.L1(state.regularization_rate)
    if state.regularization == "L2" and state.regularization_rate > 0:
        return nn.regularizers.L2(state.regularization_rate / 2)
    return None


def compile_model(model: Any, state: State) -> None:
    """Compile with a fresh optimizer and the state's loss (see the module docstring for `mse`)."""
    if state.loss == "mse":
        model.compile(optimizer=make_optimizer(state), loss="mean_squared_error", loss_weights=0.5)
    elif state.loss == "bce":
        model.compile(optimizer=make_optimizer(state), loss="binary_crossentropy")
    else:
        model.compile(optimizer=make_optimizer(state), loss="sparse_categorical_crossentropy")


def build_model(state: State, n_features: int, classes: int) -> Any:
    """The compiled Sequential network of `state` for `n_features` inputs (`classes` for a softmax)."""
    layers: list[Any] = [nn.Input(shape=(n_features,))]
    sizes = list(state.network_shape) + [output_units(state, classes)]
    activations = list(state.activations) + [output_activation(state)]
    for index, (units, activation) in enumerate(zip(sizes, activations)):
        last = index == len(sizes) - 1
        if state.init_zero:
            kernel, bias = nn.initializers.Zeros(), nn.initializers.Zeros()
        else:
            seed = layer_seed(state.seed, state.init_seed, index)
            kernel = nn.initializers.RandomUniform(-WEIGHT_RANGE, WEIGHT_RANGE, seed=seed)
            bias = nn.initializers.Constant(BIAS_INIT)
        layers.append(
            nn.layers.Dense(
                units,
                activation=activation,
                kernel_initializer=kernel,
                bias_initializer=bias,
                kernel_regularizer=regularizer(state),
                name="output" if last else f"hidden_{index + 1}",
            )
        )
        if not last and state.dropout > 0:
            layers.append(nn.layers.Dropout(state.dropout, name=f"dropout_{index + 1}"))
    model = nn.Sequential(layers, name="playground")
    compile_model(model, state)
    return model


def dense_layers(model: Any) -> list[Any]:
    """The model's Dense layers, input side first (what the protocol's layer index counts)."""
    return [layer for layer in model.layers if isinstance(layer, nn.layers.Dense)]


def targets(labels: np.ndarray, state: State) -> np.ndarray:
    """What the loss trains on: ±1 or regression values (mse), 0/1 (bce), class indices (ce)."""
    if state.loss == "bce":
        return ((labels + 1) / 2).astype("float32")
    if state.loss == "ce":
        return labels.astype("int64")
    return labels.astype("float32")


def loss_and_accuracy(outputs: np.ndarray, labels: np.ndarray, state: State) -> tuple[float, float | None]:
    """The mean loss shown in the Playground (without the regularization penalty) and the accuracy
    (None for regression). `outputs` are the model's outputs, `labels` the data's labels (±1, [−1, 1]
    or class indices)."""
    with np.errstate(all="ignore"):
        o = outputs.astype("float64")
        if state.loss == "ce":
            index = labels.astype("int64")
            picked = np.clip(o[np.arange(len(index)), index], EPSILON, 1.0)
            return float(-np.mean(np.log(picked))), float(np.mean(np.argmax(o, axis=1) == index))
        o = o[:, 0]
        if state.loss == "bce":
            t = (labels + 1) / 2
            p = np.clip(o, EPSILON, 1 - EPSILON)
            loss = -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p))
            return float(loss), float(np.mean((o >= 0.5) == (t > 0.5)))
        loss = float(np.mean(0.5 * (o - labels) ** 2))
        if state.problem == "regression":
            return loss, None
        return loss, float(np.mean((o >= 0) == (labels > 0)))
