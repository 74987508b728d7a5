"""Callbacks that change the learning rate: `ReduceLROnPlateau` and `LearningRateScheduler`. Both add the
rate used in the epoch to the epoch logs as `learning_rate` (so History, CSVLogger and TensorBoard see it)."""

from __future__ import annotations

from typing import Any, Callable

from ..optimizers.schedules import LearningRateSchedule
from .callback import Callback
from .monitor import MonitorCallback


def _current_rate(model: Any) -> float:
    return float(model.optimizer.learning_rate.data)


def _check_settable(model: Any, who: str) -> None:
    if isinstance(getattr(model.optimizer, "_learning_rate", None), LearningRateSchedule):
        raise ValueError(
            f"{who} changes the learning rate, but the optimizer's learning rate is a schedule "
            f"({type(model.optimizer._learning_rate).__name__}). Use a float learning rate with {who}, or "
            "the schedule alone."
        )


class ReduceLROnPlateau(MonitorCallback):
    """Multiply the learning rate by `factor` when `monitor` has not improved for `patience` epochs.

    Formula: new_lr = max(old_lr · factor, min_lr), then `cooldown` epochs without counting.

    Args:
        monitor: the log value to watch ("val_loss").
        factor: < 1 (0.1).
        patience: epochs without improvement before a reduction (10).
        min_delta: the smallest change that counts as an improvement (1e-4).
        cooldown: epochs to wait after a reduction before counting again (0).
        min_lr: the floor of the learning rate (0).
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        factor: float = 0.1,
        patience: int = 10,
        verbose: int = 0,
        mode: str = "auto",
        min_delta: float = 1e-4,
        cooldown: int = 0,
        min_lr: float = 0.0,
        **kwargs: Any,
    ) -> None:
        if "epsilon" in kwargs:
            min_delta = kwargs.pop("epsilon")
        if kwargs:
            raise TypeError(f"ReduceLROnPlateau got unexpected keyword arguments: {sorted(kwargs)}")
        super().__init__(monitor=monitor, mode=mode, min_delta=min_delta)
        if not factor < 1.0:
            raise ValueError(f"ReduceLROnPlateau does not support a factor >= 1.0. Received: factor={factor}")
        self.factor, self.patience, self.verbose = float(factor), patience, verbose
        self.cooldown, self.min_lr = cooldown, float(min_lr)
        self._reset()

    def _reset(self) -> None:
        self.wait = 0
        self.cooldown_counter = 0
        self.best: float | None = None

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._reset()
        self._set_monitor_op()
        _check_settable(self.model, "ReduceLROnPlateau")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        logs = logs if logs is not None else {}
        logs["learning_rate"] = _current_rate(self.model)
        current = self._current(logs)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._is_improvement(current, self.best):
            self.best = current
            self.wait = 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                old_lr = _current_rate(self.model)
                if old_lr > self.min_lr:
                    new_lr = max(old_lr * self.factor, self.min_lr)
                    self.model.optimizer.learning_rate = new_lr
                    if self.verbose > 0:
                        print(f"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {new_lr}.")
                    self.cooldown_counter = self.cooldown
                    self.wait = 0

    def get_state(self) -> dict[str, Any]:
        return {"wait": self.wait, "cooldown_counter": self.cooldown_counter, "best": self.best}

    def set_state(self, state: dict[str, Any]) -> None:
        self.wait, self.cooldown_counter, self.best = state["wait"], state["cooldown_counter"], state["best"]


class LearningRateScheduler(Callback):
    """Set the learning rate at the start of each epoch to `schedule(epoch, lr)` (epoch counted from 0;
    a one-argument `schedule(epoch)` works too)."""

    def __init__(self, schedule: Callable[..., float], verbose: int = 0) -> None:
        super().__init__()
        if not callable(schedule):
            raise TypeError(f"`schedule` must be a function (epoch, lr) -> lr. Received: {schedule!r}")
        self.schedule = schedule
        self.verbose = verbose

    def on_train_begin(self, logs: dict | None = None) -> None:
        _check_settable(self.model, "LearningRateScheduler")

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        current = _current_rate(self.model)
        try:
            rate = self.schedule(epoch, current)
        except TypeError:  # a schedule(epoch) written for the old API
            rate = self.schedule(epoch)
        try:
            rate = float(rate)
        except (TypeError, ValueError):
            raise ValueError(
                f"The output of the `schedule` function should be a float. Got: {rate!r} at epoch {epoch}"
            ) from None
        self.model.optimizer.learning_rate = rate
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {rate}.")

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if logs is not None:
            logs["learning_rate"] = _current_rate(self.model)
