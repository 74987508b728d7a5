"""Keras 3 peers on the JAX backend (CPU), used the way the Keras guides use them.

* `keras.Sequential([Input(784), Dense(w, relu), ..., Dense(10)])` (Glorot-uniform kernels, zero biases:
  the Keras defaults, the same networks as every other peer).
* `compile(Adam(), SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])` with Keras's
  default `jit_compile="auto"` (XLA on JAX); one `fit(..., epochs=1, shuffle=True, verbose=0)` call per
  timed epoch, as neurona's peer does. The runner's warm-up epoch pays the compilation (the warm-up-tax
  table measures it).
* Inference: `model.predict(x, batch_size)`; latency through `predict_on_batch` (jit-compiled, Keras's
  fastest single-batch path).
* W4 (`KerasPlayground`): `Dense(4, tanh), Dense(2, tanh), Dense(1, tanh)`, `compile(SGD(0.03), "mse")`,
  one `fit(x, y, batch_size=10, epochs=100, verbose=0, shuffle=True)` per timed call.

`KERAS_BACKEND` is set to "jax" unless it is already set; if Keras or JAX is missing the runner tries to
install them (`pip install keras jax`) or skips this peer and says so.
"""

from __future__ import annotations

import os
from typing import Callable

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402 - the backend must be chosen before the import
import numpy as np  # noqa: E402
from workloads import (  # noqa: E402
    LEARNING_RATE,
    MODEL_SEED,
    PLAYGROUND_LEARNING_RATE,
    PLAYGROUND_SIZES,
    W1_SIZES,
)


class KerasMLP:
    """Keras 3 (JAX backend) training and inference of the benchmark network."""

    name = "keras/jax"

    def __init__(self, sizes: tuple[int, ...] = W1_SIZES, seed: int = MODEL_SEED) -> None:
        keras.utils.set_random_seed(seed)
        self.model = keras.Sequential(
            [
                keras.Input(shape=(sizes[0],)),
                *(keras.layers.Dense(width, activation="relu") for width in sizes[1:-1]),
                keras.layers.Dense(sizes[-1]),
            ]
        )
        self.model.compile(
            optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        self.model.fit(x, y, batch_size=batch_size, epochs=1, shuffle=True, verbose=0)

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        return np.asarray(self.model.predict(x, batch_size=batch_size, verbose=0))

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        # one entry, like the other peers: Keras's fastest single-batch path (jit-compiled);
        # an eager model(x, training=False) call costs ~700 µs on JAX
        return {"predict_on_batch": lambda x1: self.model.predict_on_batch(x1)}


class KerasPlayground:
    """W4: the Playground's network, MSE and plain SGD, trained by one ``fit(..., epochs=100)`` call."""

    name = "keras/jax"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        keras.utils.set_random_seed(seed)
        self.model = keras.Sequential(
            [
                keras.Input(shape=(PLAYGROUND_SIZES[0],)),
                *(keras.layers.Dense(width, activation="tanh") for width in PLAYGROUND_SIZES[1:]),
            ]
        )
        self.model.compile(
            optimizer=keras.optimizers.SGD(learning_rate=PLAYGROUND_LEARNING_RATE),
            loss=keras.losses.MeanSquaredError(),
        )

    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> None:
        self.model.fit(x, y, batch_size=batch_size, epochs=epochs, shuffle=True, verbose=0)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return np.asarray(self.model.predict(x, batch_size=len(x), verbose=0))
