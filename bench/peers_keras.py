"""Keras 3 peer on the JAX backend (CPU), used the way the Keras guides use it.

* `keras.Sequential([Input(784), Dense(128, relu), Dense(10)])` (Glorot-uniform kernels, zero biases:
  the Keras defaults, the same network as every other peer).
* `compile(Adam(), SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])` with Keras's
  default `jit_compile="auto"` (XLA on JAX); one `fit(..., epochs=1, shuffle=True, verbose=0)` call per
  timed epoch, as neurona's peer does. The runner's warm-up epoch pays the compilation.
* Inference: `model.predict(x, batch_size)`; latency through `predict_on_batch` (jit-compiled, Keras's
  fastest single-batch path).

`KERAS_BACKEND` is set to "jax" unless it is already set; if Keras or JAX is missing the runner skips this
peer and says so (`pip install keras jax jaxlib`).
"""

from __future__ import annotations

import os
from typing import Callable

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402 - the backend must be chosen before the import
import numpy as np  # noqa: E402
from workloads import HIDDEN_DIM, INPUT_DIM, LEARNING_RATE, MODEL_SEED, NUM_CLASSES  # noqa: E402


class KerasMLP:
    """Keras 3 (JAX backend) training and inference of the benchmark network."""

    name = "keras/jax"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        keras.utils.set_random_seed(seed)
        self.model = keras.Sequential(
            [
                keras.Input(shape=(INPUT_DIM,)),
                keras.layers.Dense(HIDDEN_DIM, activation="relu"),
                keras.layers.Dense(NUM_CLASSES),
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
