"""Workload definitions and synthetic data shared by every peer.

The benchmark compares several implementations ("peers") of the same small
network on the same data.  Everything a peer needs to know about the problem
lives here, so that no peer can quietly benchmark a different problem.

W1: MNIST-shaped MLP ``784 -> 128 relu -> 10`` trained with Adam (Keras
    defaults) on sparse categorical cross-entropy from logits, one epoch with
    shuffling, timed in seconds per epoch at several batch sizes.
W3: inference with the same network: ``predict`` on 10 000 samples at batch
    1024 (seconds per call) and single-sample latency (microseconds per call).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

INPUT_DIM = 784
HIDDEN_DIM = 128
NUM_CLASSES = 10

# Keras defaults for ``keras.optimizers.Adam``.
LEARNING_RATE = 1e-3
BETA_1 = 0.9
BETA_2 = 0.999
EPSILON = 1e-7

TRAIN_SAMPLES = 60_000
QUICK_TRAIN_SAMPLES = 6_000
PREDICT_SAMPLES = 10_000
PREDICT_BATCH_SIZE = 1024
DEFAULT_BATCH_SIZES = (32, 128, 1024)
DATA_SEED = 1234
MODEL_SEED = 0


@dataclass(frozen=True)
class Dataset:
    """Synthetic, MNIST-shaped data: float32 pixels in [0, 1), int labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray


def make_dataset(
    train_samples: int = TRAIN_SAMPLES,
    test_samples: int = PREDICT_SAMPLES,
    seed: int = DATA_SEED,
) -> Dataset:
    """Generate random data with MNIST's shapes and dtypes (no download).

    ``x`` is uniform in [0, 1) as float32 with shape ``(n, 784)`` and ``y``
    holds int64 class labels in ``0..9``.  The data is not learnable, which
    does not matter for timing; ``peers_numpy.check_numpy_loop`` uses a
    learnable toy problem instead.
    """
    rng = np.random.default_rng(seed)
    x_train = rng.random((train_samples, INPUT_DIM), dtype=np.float32)
    y_train = rng.integers(0, NUM_CLASSES, size=train_samples, dtype=np.int64)
    x_test = rng.random((test_samples, INPUT_DIM), dtype=np.float32)
    return Dataset(x_train=x_train, y_train=y_train, x_test=x_test)


def glorot_uniform(
    rng: np.random.Generator, fan_in: int, fan_out: int, dtype: type = np.float32
) -> np.ndarray:
    """Glorot (Xavier) uniform initialisation, the Keras ``Dense`` default."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(dtype)


def batch_starts(num_samples: int, batch_size: int) -> range:
    """Start offsets of the batches of one epoch (the last one may be short)."""
    return range(0, num_samples, batch_size)


class Peer(Protocol):
    """What the runner needs from one implementation of the workloads.

    A peer is built once per batch size for W1 (so every series starts from a
    fresh model) and once for W3.  ``train_epoch`` runs one full epoch with a
    fresh shuffle; ``predict`` returns the logits of ``x`` computed in batches;
    ``latency_calls`` maps a label to a callable that takes one sample of
    shape ``(1, 784)`` and runs inference on it.
    """

    name: str

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """Train for one epoch over ``(x, y)`` with shuffling."""

    def predict(self, x: np.ndarray, batch_size: int) -> object:
        """Compute the network outputs for ``x`` in batches."""

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """Single-sample inference entry points, keyed by a short label."""
