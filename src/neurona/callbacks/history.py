"""`History`: records the epoch logs of `fit` (always added by `fit`)."""

from __future__ import annotations

from typing import Any

from .callback import Callback


class History(Callback):
    """`history.history` maps each log key ("loss", "accuracy", "val_loss", ...) to one value per epoch;
    `history.epoch` lists the epoch indices."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[float]] = {}
        self.epoch: list[int] = []
        self._previous: History | None = None

    def continue_from(self, previous: History) -> None:
        """Start from `previous`'s epochs (a `fit` that continues with `initial_epoch` extends them)."""
        self._previous = previous

    def on_train_begin(self, logs: dict | None = None) -> None:
        if self._previous is None:
            self.epoch = []
            return
        self.epoch = list(self._previous.epoch)
        self.history = {key: list(values) for key, values in self._previous.history.items()}

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        self.epoch.append(epoch)
        for key, value in (logs or {}).items():
            self.history.setdefault(key, []).append(value)
        if self.model is not None:
            self.model.history = self

    def __repr__(self) -> str:
        return f"<History epochs={len(self.epoch)} keys={list(self.history)}>"

    def get_state(self) -> dict[str, Any]:
        return {"epoch": list(self.epoch), "history": {k: list(v) for k, v in self.history.items()}}

    def set_state(self, state: dict[str, Any]) -> None:
        self.epoch = list(state["epoch"])
        self.history = {k: list(v) for k, v in state["history"].items()}

    def to_dict(self) -> dict[str, Any]:
        return {"epoch": list(self.epoch), "history": {k: list(v) for k, v in self.history.items()}}
