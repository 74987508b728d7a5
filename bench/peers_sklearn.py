"""scikit-learn peers: ``MLPClassifier`` (W1, W2) and ``MLPRegressor`` (W4).

* W1/W2 (``SklearnMLP``): ``MLPClassifier(hidden_layer_sizes=<hidden widths>, activation="relu",
  solver="adam", alpha=0.0, learning_rate_init=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
  shuffle=True)`` with ``batch_size`` set to the workload's; one ``partial_fit`` call per timed epoch.
  ``partial_fit`` runs exactly one epoch (shuffled) and, unlike ``fit`` with ``warm_start``, keeps the
  Adam moments and step count between calls.  sklearn's Adam is Keras's formulation (epsilon added to
  ``sqrt(v)``); its loss is softmax cross-entropy (log-loss) on one-hot labels, computed per batch,
  with the weight-decay term evaluated (and multiplied by ``alpha=0``).  Weights are initialised
  sklearn's way (Glorot-uniform-like, biases random), which does not affect timing.
* W4 (``SklearnPlayground``): ``MLPRegressor(hidden_layer_sizes=(4, 2), activation="tanh",
  solver="sgd", batch_size=10, learning_rate_init=0.03, learning_rate="constant", momentum=0.0,
  nesterovs_momentum=False, alpha=0.0, max_iter=100, shuffle=True, tol=0, n_iter_no_change=10**9,
  early_stopping=False)``; one ``fit(x, y.ravel())`` call (which re-initialises the weights) per timed
  call, its ``ConvergenceWarning`` silenced.  Differences from the other peers: the output unit of
  ``MLPRegressor`` is linear (identity), not tanh, and its squared-error loss is half the mean
  squared error, so its gradients are half as large at the same learning rate.

The ``random_state`` is a seeded ``np.random.RandomState`` *instance*, so every epoch draws a fresh
shuffle (an integer seed would re-seed, and repeat the same permutation, on every ``partial_fit``).
"""

from __future__ import annotations

import warnings
from typing import Callable

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier, MLPRegressor
from workloads import (
    BETA_1,
    BETA_2,
    EPSILON,
    LEARNING_RATE,
    MODEL_SEED,
    PLAYGROUND_BATCH_SIZE,
    PLAYGROUND_EPOCHS,
    PLAYGROUND_LEARNING_RATE,
    PLAYGROUND_SIZES,
    W1_SIZES,
)


class SklearnMLP:
    """``MLPClassifier`` with Adam, one ``partial_fit`` epoch per call."""

    name = "sklearn"

    def __init__(self, sizes: tuple[int, ...] = W1_SIZES, seed: int = MODEL_SEED) -> None:
        self.model = MLPClassifier(
            hidden_layer_sizes=tuple(sizes[1:-1]),
            activation="relu",
            solver="adam",
            alpha=0.0,
            learning_rate_init=LEARNING_RATE,
            beta_1=BETA_1,
            beta_2=BETA_2,
            epsilon=EPSILON,
            shuffle=True,
            random_state=np.random.RandomState(seed),
        )
        self.classes = np.arange(sizes[-1])

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """One shuffled epoch: ``partial_fit`` with ``batch_size`` set."""
        self.model.set_params(batch_size=batch_size)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model.partial_fit(x, y, classes=self.classes)

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        """Class probabilities (sklearn has no logits output); only after training."""
        return self.model.predict_proba(x)

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        return {"predict_proba": self.model.predict_proba}


class SklearnPlayground:
    """``MLPRegressor`` with plain SGD, one ``fit`` of ``epochs`` epochs per call (linear output unit)."""

    name = "sklearn"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        self.model = MLPRegressor(
            hidden_layer_sizes=tuple(PLAYGROUND_SIZES[1:-1]),
            activation="tanh",
            solver="sgd",
            batch_size=PLAYGROUND_BATCH_SIZE,
            learning_rate_init=PLAYGROUND_LEARNING_RATE,
            learning_rate="constant",
            momentum=0.0,
            nesterovs_momentum=False,
            alpha=0.0,
            max_iter=PLAYGROUND_EPOCHS,
            shuffle=True,
            tol=0,
            n_iter_no_change=10**9,
            early_stopping=False,
            random_state=np.random.RandomState(seed),
        )

    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> None:
        """``MLPRegressor.fit(x, y.ravel())`` for exactly ``epochs`` epochs."""
        self.model.set_params(batch_size=batch_size, max_iter=epochs)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model.fit(x, y.ravel())

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.model.predict(x).reshape(-1, 1)
