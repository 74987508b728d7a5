"""PyTorch eager peer (CPU), written the idiomatic fast way.

* ``nn.Sequential(Linear, ReLU, Linear)`` with Glorot-uniform weights and zero
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
    HIDDEN_DIM,
    INPUT_DIM,
    LEARNING_RATE,
    MODEL_SEED,
    NUM_CLASSES,
    batch_starts,
)


def build_model(seed: int = MODEL_SEED) -> nn.Sequential:
    """The benchmark network with Keras-style initialisation."""
    torch.manual_seed(seed)
    model = nn.Sequential(
        nn.Linear(INPUT_DIM, HIDDEN_DIM),
        nn.ReLU(),
        nn.Linear(HIDDEN_DIM, NUM_CLASSES),
    )
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.xavier_uniform_(layer.weight)
            nn.init.zeros_(layer.bias)
    return model


class TorchMLP:
    """Eager PyTorch training and inference of the benchmark network."""

    name = "torch"

    def __init__(self, seed: int = MODEL_SEED) -> None:
        self.model = build_model(seed)
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
