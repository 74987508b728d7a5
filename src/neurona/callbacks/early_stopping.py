"""`EarlyStopping`: stop when the monitored value stops improving (Keras 3 semantics, with NaN fixed)."""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from .monitor import MonitorCallback


class EarlyStopping(MonitorCallback):
    """Stop training when `monitor` has not improved for `patience` epochs.

    At each epoch end (from `start_from_epoch` on): `wait += 1`; an improvement (see
    `MonitorCallback`) makes the value `best`, remembers the weights when `restore_best_weights`, and resets
    `wait` only if there is no `baseline` or the value beats it; training stops once `wait ≥ patience`
    (never at epoch 0). With `restore_best_weights=True` the best weights are put back when training ends,
    whatever ended it. NaN/inf is never an improvement: a run whose first value is NaN is not stopped by
    it and does not restore the NaN epoch's weights (Keras 3.15.1 does both).

    Attributes: `best`, `best_epoch`, `stopped_epoch`, `wait`, `best_weights`.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        min_delta: float = 0.0,
        patience: int = 0,
        verbose: int = 0,
        mode: str = "auto",
        baseline: float | None = None,
        restore_best_weights: bool = False,
        start_from_epoch: int = 0,
    ) -> None:
        super().__init__(monitor=monitor, mode=mode, baseline=baseline, min_delta=min_delta)
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"`patience` must be a non-negative integer. Received: patience={patience!r}")
        self.patience = patience
        self.verbose = verbose
        self.restore_best_weights = restore_best_weights
        self.start_from_epoch = start_from_epoch
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.stopped_epoch = 0
        self.best: float | None = None
        self.best_weights: list[np.ndarray] | None = None
        self.best_epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()
        self._set_monitor_op()

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        current = self._current(logs)
        if current is None:
            warnings.warn(
                f"Early stopping conditioned on metric `{self.monitor}` which is not available. "
                f"Available metrics are: {','.join(logs or {})}",
                stacklevel=2,
            )
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None and math.isfinite(current):
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            if self._beats_baseline(current):
                self.wait = 0
            return
        if not math.isfinite(current) and self.best is not None:
            warnings.warn(
                f"EarlyStopping: {self.monitor} is {current} at epoch {epoch + 1}; it counts as no improvement "
                f"(best so far: {self.best:.6g}).",
                stacklevel=2,
            )
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs: dict | None = None) -> None:
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: {self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)

    def get_state(self) -> dict[str, Any]:
        return {
            "wait": self.wait,
            "stopped_epoch": self.stopped_epoch,
            "best": self.best,
            "best_epoch": self.best_epoch,
            "best_weights": self.best_weights,
        }

    def set_state(self, state: dict[str, Any]) -> None:
        self.wait, self.stopped_epoch = state["wait"], state["stopped_epoch"]
        self.best, self.best_epoch, self.best_weights = (
            state["best"],
            state["best_epoch"],
            state["best_weights"],
        )
