"""neurona peer: the library used exactly as a tf.keras user would use it.

Training is ``model.fit(..., epochs=1, verbose=0, shuffle=True)`` with the
default callbacks and the ``accuracy`` metric on, so the measured time
includes everything a user pays for per epoch (batching, shuffling, metrics,
callbacks, history).  Inference uses ``model.predict``, ``predict_on_batch``
and ``model(x, training=False)``.  ``NeuronaPlayground`` is W4: the
Playground's network trained by one ``fit(..., epochs=100)`` call.
"""

from __future__ import annotations

import cProfile
import io
import pstats
from typing import Callable

import numpy as np
from workloads import (
    BETA_1,
    BETA_2,
    EPSILON,
    LEARNING_RATE,
    MODEL_SEED,
    PLAYGROUND_LEARNING_RATE,
    PLAYGROUND_SIZES,
    W1_SIZES,
)

import neurona


def build_model(sizes: tuple[int, ...] = W1_SIZES, seed: int = MODEL_SEED) -> "neurona.models.Sequential":
    """The benchmark network (relu hidden layers, logits out), compiled with Keras-default Adam and accuracy."""
    neurona.utils.set_random_seed(seed)
    model = neurona.models.Sequential(
        [
            neurona.layers.Input(shape=(sizes[0],)),
            *(neurona.layers.Dense(width, activation="relu") for width in sizes[1:-1]),
            neurona.layers.Dense(sizes[-1]),
        ]
    )
    model.compile(
        optimizer=neurona.optimizers.Adam(
            learning_rate=LEARNING_RATE, beta_1=BETA_1, beta_2=BETA_2, epsilon=EPSILON
        ),
        loss=neurona.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


class NeuronaMLP:
    """Training and inference through neurona's public Keras-style API."""

    name = "neurona"

    def __init__(self, sizes: tuple[int, ...] = W1_SIZES, seed: int = MODEL_SEED) -> None:
        self.model = build_model(sizes, seed)

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """One ``fit`` epoch with shuffling, default callbacks and metrics."""
        self.model.fit(x, y, batch_size=batch_size, epochs=1, verbose=0, shuffle=True)

    def predict(self, x: np.ndarray, batch_size: int) -> object:
        """``model.predict`` in batches."""
        return self.model.predict(x, batch_size=batch_size, verbose=0)

    def _call(self, x1: np.ndarray) -> object:
        return self.model(x1, training=False)

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """Both single-sample entry points a Keras user would reach for."""
        return {"predict_on_batch": self.model.predict_on_batch, "__call__": self._call}


class NeuronaPlayground:
    """W4: the Playground's default network, MSE and plain SGD, trained by one ``fit`` call."""

    name = "neurona"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        neurona.utils.set_random_seed(seed)
        self.model = neurona.models.Sequential(
            [
                neurona.layers.Input(shape=(PLAYGROUND_SIZES[0],)),
                *(neurona.layers.Dense(width, activation="tanh") for width in PLAYGROUND_SIZES[1:]),
            ]
        )
        self.model.compile(
            optimizer=neurona.optimizers.SGD(learning_rate=PLAYGROUND_LEARNING_RATE),
            loss=neurona.losses.MeanSquaredError(),
        )

    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> None:
        """``model.fit(x, y, batch_size, epochs, verbose=0, shuffle=True)``: no metrics."""
        self.model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, shuffle=True)

    def predict(self, x: np.ndarray) -> object:
        return self.model.predict(x, batch_size=len(x), verbose=0)


def profile_fit(x: np.ndarray, y: np.ndarray, batch_size: int, top: int = 15) -> str:
    """cProfile one ``fit`` epoch (after a warm-up epoch); top functions by tottime."""
    peer = NeuronaMLP()
    peer.train_epoch(x, y, batch_size)
    profiler = cProfile.Profile()
    profiler.enable()
    peer.train_epoch(x, y, batch_size)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(top)
    return stream.getvalue()
