"""Workload definitions and synthetic data shared by every peer.

The benchmark compares several implementations ("peers") of the same small
networks on the same data.  Everything a peer needs to know about the problem
lives here, so that no peer can quietly benchmark a different problem.

W1: MNIST-shaped MLP ``784 -> 128 relu -> 10`` trained with Adam (Keras
    defaults) on sparse categorical cross-entropy from logits, one epoch with
    shuffling, timed in seconds per epoch at several batch sizes.
W2: the same training setup on the wider, deeper ``784 -> 512 relu -> 512
    relu -> 10`` at batch 128.
W3: inference with the W1 network: ``predict`` on 10 000 samples at batch
    1024 (seconds per call) and single-sample latency (microseconds per call).
W4: the TensorFlow Playground's default regime: ``2 -> 4 tanh -> 2 tanh -> 1
    tanh``, mean squared error, plain SGD at learning rate 0.03, batch 10,
    500 "circle" samples, 100 epochs with a fresh shuffle each, timed as one
    ``fit`` call.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

import numpy as np

INPUT_DIM = 784
HIDDEN_DIM = 128
NUM_CLASSES = 10

# Layer widths, input first and output last.
W1_SIZES: tuple[int, ...] = (INPUT_DIM, HIDDEN_DIM, NUM_CLASSES)
W2_SIZES: tuple[int, ...] = (INPUT_DIM, 512, 512, NUM_CLASSES)
W2_BATCH_SIZE = 128

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

# W4: the TensorFlow Playground's default network and training settings.
PLAYGROUND_SIZES: tuple[int, ...] = (2, 4, 2, 1)
PLAYGROUND_SAMPLES = 500
PLAYGROUND_BATCH_SIZE = 10
PLAYGROUND_EPOCHS = 100
QUICK_PLAYGROUND_EPOCHS = 10
PLAYGROUND_LEARNING_RATE = 0.03
CIRCLE_RADIUS = 5.0


@dataclass(frozen=True)
class Dataset:
    """Synthetic, MNIST-shaped data: float32 pixels in [0, 1), int labels."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray

    @property
    def train_megabytes(self) -> float:
        """Size of the training arrays (``x`` and ``y``) in MB (10**6 bytes)."""
        return (self.x_train.nbytes + self.y_train.nbytes) / 1e6


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


def circle_numpy(
    num_samples: int = PLAYGROUND_SAMPLES, seed: int = DATA_SEED
) -> tuple[np.ndarray, np.ndarray]:
    """The Playground's noise-free "circle" data drawn with a seeded NumPy generator.

    Half the points (rounded up) have radius ``U(0, 2.5)`` and label +1, the
    rest radius ``U(3.5, 5)`` and label -1; angles are ``U(0, 2 pi)``.  Used
    when neurona (and so ``neurona.datasets.playground``) cannot be imported.
    """
    rng = np.random.default_rng(seed)
    inner = (num_samples + 1) // 2
    radius = np.concatenate(
        [
            rng.uniform(0.0, CIRCLE_RADIUS * 0.5, inner),
            rng.uniform(CIRCLE_RADIUS * 0.7, CIRCLE_RADIUS, num_samples - inner),
        ]
    )
    angle = rng.uniform(0.0, 2 * np.pi, num_samples)
    x = np.stack([radius * np.sin(angle), radius * np.cos(angle)], axis=1)
    y = np.where(radius < CIRCLE_RADIUS * 0.5, 1.0, -1.0)
    return x.astype(np.float32), y.astype(np.float32)


def make_playground_data(
    num_samples: int = PLAYGROUND_SAMPLES, seed: int = DATA_SEED
) -> tuple[np.ndarray, np.ndarray, str]:
    """W4 data: ``x`` float32 ``(n, 2)``, ``y`` float32 ``(n, 1)`` of +1/-1, and its source.

    The points come from ``neurona.datasets.playground.generate("circle")``
    (the Playground's own formulas, noise 0) when neurona is importable, else
    from the equivalent ``circle_numpy``.
    """
    try:
        from neurona.datasets import playground
    except ImportError:
        x, y = circle_numpy(num_samples, seed)
        source = f"circle_numpy(seed={seed})"
    else:
        x, y = playground.generate("circle", num_samples, noise=0.0, seed=seed)
        source = f"neurona.datasets.playground circle, noise 0, seed {seed}"
    x = np.ascontiguousarray(x, dtype=np.float32)
    y = np.ascontiguousarray(np.asarray(y, dtype=np.float32).reshape(-1, 1))
    return x, y, source


def glorot_uniform(
    rng: np.random.Generator, fan_in: int, fan_out: int, dtype: type = np.float32
) -> np.ndarray:
    """Glorot (Xavier) uniform initialisation, the Keras ``Dense`` default."""
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=(fan_in, fan_out)).astype(dtype)


def batch_starts(num_samples: int, batch_size: int) -> range:
    """Start offsets of the batches of one epoch (the last one may be short)."""
    return range(0, num_samples, batch_size)


def layer_pairs(sizes: tuple[int, ...]) -> list[tuple[int, int]]:
    """``(fan_in, fan_out)`` of every Dense layer of a network with these widths."""
    return list(zip(sizes[:-1], sizes[1:]))


def gemm_flops_per_sample(sizes: tuple[int, ...]) -> int:
    """Floating-point operations of the GEMMs of one training step, per sample.

    Forward ``h @ W`` and the weight gradient ``h.T @ d`` for every layer, and
    the input gradient ``d @ W.T`` for every layer but the first (no ``dx``
    is needed for the data); each multiply-add counts as 2 operations.
    """
    pairs = layer_pairs(sizes)
    macs = sum(2 * a * b for a, b in pairs) + sum(a * b for a, b in pairs[1:])
    return 2 * macs


class Peer(Protocol):
    """What the runner needs from one implementation of W1, W2 and W3.

    A peer is built once per batch size for W1 (so every series starts from a
    fresh model) and once for W2 and for W3; its constructor takes the layer
    widths ``sizes`` (input first).  ``train_epoch`` runs one full epoch with a
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


class PlaygroundPeer(Protocol):
    """What the runner needs from one implementation of W4.

    ``fit`` trains the Playground network for ``epochs`` epochs over
    ``(x, y)`` (``y`` of shape ``(n, 1)``) with a fresh shuffle per epoch, in
    one call; ``predict`` returns the network outputs for ``x``.
    """

    name: str

    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> None:
        """Train for ``epochs`` epochs, shuffling every epoch."""

    def predict(self, x: np.ndarray) -> object:
        """The network outputs for ``x``."""
