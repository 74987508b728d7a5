"""PyTorch eager peers (CPU), written the idiomatic fast way.

* ``nn.Sequential(Linear, ReLU, ..., Linear)`` with Glorot-uniform weights and zero
  biases (the Keras ``Dense`` defaults) instead of PyTorch's own init, so that
  the networks are the same; init does not affect timing.
* ``torch.optim.Adam(lr=1e-3, betas=(0.9, 0.999), eps=1e-7)`` (Keras
  defaults) with PyTorch's default implementation choice (on CPU that is the
  per-parameter loop; ``foreach``/``fused`` are not forced).
* ``nn.CrossEntropyLoss`` on logits with int64 labels.
* The training data are wrapped with ``torch.from_numpy`` (zero-copy) and each
  epoch iterates over ``torch.randperm`` index batches with tensor indexing.
  No ``DataLoader``: with data already in memory its per-batch collation would
  only add Python overhead, and a fair comparison uses PyTorch's fastest
  idiomatic path.
* ``torch.set_num_threads`` is left at its default.
* Inference runs under ``torch.no_grad()`` in ``eval()`` mode and converts
  NumPy input/output with ``torch.from_numpy`` / ``.numpy()`` (zero-copy), so
  that every peer takes and returns NumPy arrays.
* W4 (``TorchPlayground``): ``Linear/Tanh`` x 3, ``nn.MSELoss``,
  ``torch.optim.SGD(lr=0.03)`` (no momentum), the same plain loop over
  ``torch.randperm`` batches for 100 epochs in one call.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn
from workloads import (
    BETA_1,
    BETA_2,
    EPSILON,
    LEARNING_RATE,
    MODEL_SEED,
    PLAYGROUND_LEARNING_RATE,
    PLAYGROUND_SIZES,
    W1_SIZES,
    batch_starts,
    layer_pairs,
)


def build_model(
    sizes: tuple[int, ...] = W1_SIZES,
    seed: int = MODEL_SEED,
    activation: type[nn.Module] = nn.ReLU,
    output_activation: type[nn.Module] | None = None,
) -> nn.Sequential:
    """``Linear`` layers of the given widths with Keras-style initialisation.

    ``activation`` follows every hidden layer, ``output_activation`` (if any)
    the last one.
    """
    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    pairs = layer_pairs(sizes)
    for i, (fan_in, fan_out) in enumerate(pairs):
        linear = nn.Linear(fan_in, fan_out)
        nn.init.xavier_uniform_(linear.weight)
        nn.init.zeros_(linear.bias)
        layers.append(linear)
        if i < len(pairs) - 1:
            layers.append(activation())
        elif output_activation is not None:
            layers.append(output_activation())
    return nn.Sequential(*layers)


class TorchMLP:
    """Eager PyTorch training and inference of the benchmark network."""

    name = "torch"

    def __init__(self, sizes: tuple[int, ...] = W1_SIZES, seed: int = MODEL_SEED) -> None:
        self.model = build_model(sizes, seed)
        self.optimizer = torch.optim.Adam(
            self.model.parameters(), lr=LEARNING_RATE, betas=(BETA_1, BETA_2), eps=EPSILON
        )
        self.loss_fn = nn.CrossEntropyLoss()
        self._generator = torch.Generator().manual_seed(seed + 1)

    def train_epoch(self, x: np.ndarray, y: np.ndarray, batch_size: int) -> None:
        """One epoch over shuffled index batches of in-memory tensors."""
        self.model.train()
        x_all, y_all = torch.from_numpy(x), torch.from_numpy(y)
        order = torch.randperm(len(x), generator=self._generator)
        for start in batch_starts(len(x), batch_size):
            index = order[start : start + batch_size]
            self.optimizer.zero_grad(set_to_none=True)
            loss = self.loss_fn(self.model(x_all[index]), y_all[index])
            loss.backward()
            self.optimizer.step()

    def predict(self, x: np.ndarray, batch_size: int) -> np.ndarray:
        """Logits for ``x`` in batches, without autograd."""
        self.model.eval()
        x_all = torch.from_numpy(x)
        with torch.no_grad():
            outputs = [
                self.model(x_all[start : start + batch_size]) for start in batch_starts(len(x), batch_size)
            ]
        return torch.cat(outputs).numpy()

    def _infer_one(self, x1: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            return self.model(torch.from_numpy(x1)).numpy()

    def latency_calls(self) -> dict[str, Callable[[np.ndarray], object]]:
        """Single-sample inference under ``no_grad``, NumPy in and out."""
        self.model.eval()
        return {"no_grad forward": self._infer_one}


class TorchPlayground:
    """W4: the Playground's network, ``MSELoss`` and plain ``torch.optim.SGD``, 100 epochs per call."""

    name = "torch"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        self.model = build_model(PLAYGROUND_SIZES, seed, activation=nn.Tanh, output_activation=nn.Tanh)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=PLAYGROUND_LEARNING_RATE)
        self.loss_fn = nn.MSELoss()
        self._generator = torch.Generator().manual_seed(seed + 1)

    def fit(self, x: np.ndarray, y: np.ndarray, batch_size: int, epochs: int) -> None:
        """``epochs`` epochs of the plain loop, each over a fresh ``randperm``."""
        self.model.train()
        x_all, y_all = torch.from_numpy(x), torch.from_numpy(y)
        for _ in range(epochs):
            order = torch.randperm(len(x), generator=self._generator)
            for start in batch_starts(len(x), batch_size):
                index = order[start : start + batch_size]
                self.optimizer.zero_grad(set_to_none=True)
                loss = self.loss_fn(self.model(x_all[index]), y_all[index])
                loss.backward()
                self.optimizer.step()

    def predict(self, x: np.ndarray) -> np.ndarray:
        self.model.eval()
        with torch.no_grad():
            return self.model(torch.from_numpy(x)).numpy()
