"""`BackupAndRestore`: survive a crash — the next `fit` resumes exactly where the last backup was taken.

A backup holds everything the rest of training depends on: the weights, the optimizer's state, the
position (epoch AND batch), the shuffling generator (its state at the start of the epoch, which fixes the
epoch's batch order), every random layer's generator (dropout masks), the running loss and metric
accumulators, every other callback's state (EarlyStopping's best and wait, ...), and the history. An
interrupted run that is resumed therefore ends with the same weights, bit for bit, as a run that was never
interrupted (same seed, machine and thread count). Keras instead replays the interrupted epoch from its
first batch with the later weights and loses the random state.

The backup is one file, `backup.npz` in `backup_dir` (arrays, plus the rest as JSON in a byte array),
read with `allow_pickle=False`, and written atomically: a crash during a backup keeps the previous one.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from ..utils.io import atomic_writer
from .callback import Callback

_FILE = "backup.npz"
_FORMAT = "neurona-backup-1"


def _split_arrays(value: Any, arrays: dict[str, np.ndarray], prefix: str) -> Any:
    """A JSON-able copy of `value` whose arrays are moved into `arrays` (replaced by {"__array__": key})."""
    if isinstance(value, np.ndarray):
        key = f"{prefix}"
        arrays[key] = value
        return {"__array__": key}
    if isinstance(value, dict):
        return {str(k): _split_arrays(v, arrays, f"{prefix}/{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_split_arrays(v, arrays, f"{prefix}/{i}") for i, v in enumerate(value)]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _join_arrays(value: Any, arrays: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__array__"}:
            return np.array(arrays[value["__array__"]])
        return {k: _join_arrays(v, arrays) for k, v in value.items()}
    if isinstance(value, list):
        return [_join_arrays(v, arrays) for v in value]
    return value


def _random_layers(model: Any) -> list[Any]:
    """Every layer that owns a generator (`_rng`), in a fixed order (depth first, as tracked)."""
    found, stack = [], list(reversed(model._sublayers))
    while stack:
        layer = stack.pop()
        if isinstance(getattr(layer, "_rng", None), np.random.Generator):
            found.append(layer)
        stack.extend(reversed(layer._sublayers))
    return found


class BackupAndRestore(Callback):
    """Back up the training state regularly; after a crash, `fit` continues from the last backup.

    Args:
        backup_dir: the folder of the backup (created if needed). Use one folder per training run.
        save_freq: `"epoch"` (a backup at the end of every epoch) or an integer N (every N batches).
        delete_checkpoint: delete the backup when training ends normally. It is kept when training was
            stopped by a NaN/inf loss (`TerminateOnNaN`), so that you can resume from before it.

    Example (run the same script again after a crash; it continues from the backup):

        model.fit(x, y, epochs=10, callbacks=[BackupAndRestore(backup_dir="run-1", save_freq=100)])
    """

    def __init__(
        self,
        backup_dir: str | os.PathLike[str],
        save_freq: Any = "epoch",
        delete_checkpoint: bool = True,
        double_checkpoint: bool = False,
    ) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError(
                "Empty `backup_dir` argument passed. Give the folder where the backup should live."
            )
        if save_freq != "epoch" and (
            isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq < 1
        ):
            raise ValueError(
                f"Invalid value for argument `save_freq`. Received: save_freq={save_freq!r}. "
                "Expected either 'epoch' or a positive integer (a backup every N batches)."
            )
        self.backup_dir = Path(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen = 0
        self._pending = False

    @property
    def path(self) -> Path:
        return self.backup_dir / _FILE

    # --- hooks -------------------------------------------------------------------------------------
    # A backup is due after a batch or an epoch, but it is written at the start of the next batch or epoch:
    # by then every callback has seen the batch/epoch that just ended (EarlyStopping has its new best,
    # History its new row), whatever their order in the list.
    def on_train_begin(self, logs: dict | None = None) -> None:
        self._batches_seen = 0
        self._pending = False

    def restore_training_state(self) -> None:
        """Called by `fit` after every callback's `on_train_begin` (so that their resets come first)."""
        if self.path.exists():
            self._restore()

    def on_train_batch_begin(self, batch: int, logs: dict | None = None) -> None:
        if self._pending:
            self._backup()

    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self._pending:
            self._backup()

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._batches_seen += 1
        if self.save_freq != "epoch" and self._batches_seen % self.save_freq == 0:
            self._pending = True

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if self.save_freq == "epoch":
            self._pending = True

    def on_train_end(self, logs: dict | None = None) -> None:
        self._pending = False
        if self.delete_checkpoint and not getattr(self.model, "_stopped_on_nan", False):
            self.path.unlink(missing_ok=True)
            try:
                self.backup_dir.rmdir()
            except OSError:
                pass  # not empty: other files live there

    # --- the state ---------------------------------------------------------------------------------
    def _stateful(self, callbacks: list[Any]) -> dict[str, Any]:
        """The other callbacks that have a state, keyed "ClassName:k" (k-th of its class)."""
        keyed: dict[str, Any] = {}
        counts: dict[str, int] = {}
        for callback in callbacks:
            if callback is self or not hasattr(callback, "get_state"):
                continue
            name = type(callback).__name__
            keyed[f"{name}:{counts.get(name, 0)}"] = callback
            counts[name] = counts.get(name, 0) + 1
        return keyed

    def _state(self) -> dict[str, Any]:
        model, state = self.model, self.model._training_state
        optimizer_store: dict[str, np.ndarray] = {}
        model.optimizer.save_own_variables(optimizer_store)
        others = {key: callback.get_state() for key, callback in self._stateful(state.callbacks).items()}
        return {
            "format": _FORMAT,
            "epoch": state.epoch,
            "step": state.step,
            "batches_seen": self._batches_seen,
            "rng_state": state.rng.bit_generator.state,
            "epoch_rng_state": state.epoch_rng_state,
            "layer_rng_states": [layer._rng.bit_generator.state for layer in _random_layers(model)],
            "weights": model.get_weights(),
            "optimizer": [optimizer_store[str(i)] for i in range(len(optimizer_store))],
            "trackers": model._tracker_state(),
            "callbacks": others,
        }

    def _backup(self) -> None:
        self._pending = False
        arrays: dict[str, np.ndarray] = {}
        meta = _split_arrays(self._state(), arrays, "a")
        arrays["meta"] = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        with atomic_writer(self.path) as handle:
            handle.write(buffer.getvalue())

    def _restore(self) -> None:
        try:
            with np.load(self.path, allow_pickle=False) as archive:
                arrays = {key: archive[key] for key in archive.files}
            meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
        except (OSError, ValueError, KeyError) as error:
            raise ValueError(
                f"The backup {self.path} cannot be read ({error}). Delete it to start training from scratch."
            ) from None
        if meta.get("format") != _FORMAT:
            raise ValueError(f"{self.path} is not a neurona backup (format {meta.get('format')!r}).")
        saved = _join_arrays(meta, arrays)
        model, state = self.model, self.model._training_state
        model.set_weights(saved["weights"])
        model.optimizer.build(model.trainable_weights)
        model.optimizer.load_own_variables({str(i): a for i, a in enumerate(saved["optimizer"])})
        layers = _random_layers(model)
        if len(layers) != len(saved["layer_rng_states"]):
            raise ValueError(
                f"The backup {self.path} was taken from another model: its random layers differ."
            )
        for layer, rng_state in zip(layers, saved["layer_rng_states"]):
            layer._rng.bit_generator.state = rng_state
        state.epoch, state.step = saved["epoch"], saved["step"]
        state.epoch_rng_state = saved["epoch_rng_state"]
        state.rng.bit_generator.state = saved["epoch_rng_state"] if state.step > 0 else saved["rng_state"]
        if state.step > 0:
            model._set_tracker_state(saved["trackers"])
        current = self._stateful(state.callbacks)
        if set(current) != set(saved["callbacks"]):
            warnings.warn(
                f"The backup {self.path} holds the state of the callbacks {sorted(saved['callbacks'])}, but this "
                f"fit has {sorted(current)}; only the ones in both are restored. Pass the same callbacks to resume "
                "exactly.",
                stacklevel=2,
            )
        for key, callback in current.items():
            if key in saved["callbacks"]:
                callback.set_state(saved["callbacks"][key])
        self._batches_seen = saved["batches_seen"]
