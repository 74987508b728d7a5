"""`ModelCheckpoint`: save the model (or its weights) during training, every epoch, every N batches, or
only when the monitored value improves."""

from __future__ import annotations

import os
from typing import Any

from .monitor import MonitorCallback


class ModelCheckpoint(MonitorCallback):
    """Save the model or its weights while training.

    Args:
        filepath: a path that may hold `str.format` fields filled with the 1-based `epoch`, the 1-based
            `batch` and any log value, e.g. `"ckpt-{epoch:02d}-{val_loss:.3f}.keras"`. It must end in
            `.keras` (the whole model), or in `.weights.npz` / `.weights.h5` with `save_weights_only=True`.
        monitor, mode: the value that decides "best" (see `MonitorCallback`).
        save_best_only: save only when `monitor` improves. NaN/inf never improves. If the monitor is
            not in the logs this raises (Keras only warns and saves every epoch, silently).
        save_weights_only: write `model.save_weights(path)` instead of `model.save(path)`.
        save_freq: `"epoch"` or an integer N: save every N batches.
        initial_value_threshold: the value to beat at the start (carries `best` over a restart).

    Saves are atomic: a crash during a save leaves the previous file intact.
    """

    def __init__(
        self,
        filepath: str | os.PathLike[str],
        monitor: str = "val_loss",
        verbose: int = 0,
        save_best_only: bool = False,
        save_weights_only: bool = False,
        mode: str = "auto",
        save_freq: Any = "epoch",
        initial_value_threshold: float | None = None,
    ) -> None:
        super().__init__(monitor=monitor, mode=mode)
        self.filepath = os.fspath(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        self.save_freq = save_freq
        self.initial_value_threshold = initial_value_threshold
        self.best = initial_value_threshold
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1
        ):
            raise ValueError(
                f"Unrecognized save_freq: {save_freq!r}. Expected save_freq to be 'epoch' or a positive integer "
                "(save every N batches)."
            )
        suffixes = (".weights.npz", ".weights.h5") if save_weights_only else (".keras",)
        if not self.filepath.endswith(suffixes):
            what = "weights" if save_weights_only else "the whole model"
            raise ValueError(
                f"When saving {what}, the filepath must end in {' or '.join(suffixes)}. Received: "
                f"filepath={self.filepath!r}."
                + ("" if save_weights_only else " Pass save_weights_only=True to save only the weights.")
            )
        self._batches_seen = 0
        self._current_epoch = 0

    def on_train_begin(self, logs: dict | None = None) -> None:
        self._set_monitor_op()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._current_epoch, batch, logs or {})

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            self._save(epoch, None, logs or {})

    def _save(self, epoch: int, batch: int | None, logs: dict[str, Any]) -> None:
        path = self._format(epoch, batch, logs)
        if os.path.isdir(path):
            raise IsADirectoryError(
                f"Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an existing "
                f"directory: {path}"
            )
        if self.save_best_only:
            current = self._current(logs)
            if current is None:
                raise KeyError(
                    f"ModelCheckpoint(save_best_only=True) monitors {self.monitor!r}, which is not in the logs "
                    f"(available: {sorted(logs)}). Fix `monitor`, or add validation data for 'val_' values."
                )
            if not self._is_improvement(current, self.best):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best}")
                return
            if self.verbose > 0:
                print(
                    f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best} to {current}, saving model to {path}"
                )
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)

    def _format(self, epoch: int, batch: int | None, logs: dict[str, Any]) -> str:
        fields = {"epoch": epoch + 1, **logs}
        if batch is not None:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as error:
            raise KeyError(
                f'Failed to format this callback filepath: "{self.filepath}". Reason: {error!r} is not a log key '
                f"(available: {sorted(fields)})."
            ) from None

    def get_state(self) -> dict[str, Any]:
        return {"best": self.best, "batches_seen": self._batches_seen}

    def set_state(self, state: dict[str, Any]) -> None:
        self.best, self._batches_seen = state["best"], state["batches_seen"]


__all__ = ["ModelCheckpoint"]
