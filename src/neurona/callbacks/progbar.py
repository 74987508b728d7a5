"""`ProgbarLogger`: progress output for `fit`/`evaluate`/`predict` (`verbose=1` bar, `verbose=2` a line
per epoch).

In a terminal, `verbose=1` redraws one bar in place (with ETA and running metrics, at most every 0.05 s).
When stdout is not a terminal (a log file, CI, a pipe) a redrawn bar would flood the file, so it prints
one line per epoch instead, as `verbose=2` does.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from .callback import Callback


def _format_logs(logs: dict[str, Any]) -> str:
    parts = []
    for key, value in logs.items():
        try:
            parts.append(f"{key}: {float(value):.4f}")
        except (TypeError, ValueError):
            continue
    return " - ".join(parts)


def _format_duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{seconds:.0f}s"


def _format_step_time(seconds_per_step: float) -> str:
    if seconds_per_step >= 1:
        return f"{seconds_per_step:.0f}s/step"
    if seconds_per_step >= 1e-3:
        return f"{seconds_per_step * 1e3:.0f}ms/step"
    return f"{seconds_per_step * 1e6:.0f}us/step"


class ProgbarLogger(Callback):
    """Prints training progress. `fit` adds one when `verbose != 0`; with `verbose=0` it stays silent."""

    def __init__(self, stream: TextIO | None = None, interval: float = 0.05, width: int = 30) -> None:
        super().__init__()
        self.stream = stream
        self.interval = interval
        self.width = width

    # --- setup -----------------------------------------------------------------------------------
    def _out(self) -> TextIO:
        return self.stream or sys.stdout

    def _is_terminal(self) -> bool:
        isatty = getattr(self._out(), "isatty", None)
        return bool(isatty and isatty())

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        verbose = params.get("verbose", 1)
        self.verbose = 1 if verbose == "auto" else int(verbose or 0)
        self.live = self.verbose == 1 and self._is_terminal()
        self.epochs = params.get("epochs", 1)
        self.steps = params.get("steps")

    def _write(self, text: str) -> None:
        self._out().write(text)
        self._out().flush()

    # --- training ------------------------------------------------------------------------------------
    def on_epoch_begin(self, epoch: int, logs: dict | None = None) -> None:
        if self.verbose:
            self._write(f"Epoch {epoch + 1}/{self.epochs}\n")
        self._start = time.perf_counter()
        self._last_draw = 0.0
        self._seen = 0

    def on_train_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._seen = batch + 1
        if not self.live:
            return
        now = time.perf_counter()
        if now - self._last_draw < self.interval and self._seen != self.steps:
            return
        self._last_draw = now
        self._draw(self._seen, logs or {}, now - self._start, final=False)

    def on_epoch_end(self, epoch: int, logs: dict | None = None) -> None:
        if not self.verbose:
            return
        elapsed = time.perf_counter() - self._start
        self._draw(self._seen or self.steps or 0, logs or {}, elapsed, final=True)

    def _draw(self, current: int, logs: dict[str, Any], elapsed: float, final: bool) -> None:
        steps = self.steps or current
        per_step = elapsed / max(current, 1)
        if self.live:
            filled = int(self.width * current / max(steps, 1))
            bar = (
                "=" * max(filled - 1, 0) + (">" if filled < self.width else "=") + "." * (self.width - filled)
            )
            timing = (
                f"{_format_duration(elapsed)} {_format_step_time(per_step)}"
                if final
                else f"ETA: {_format_duration(per_step * (steps - current))}"
            )
            line = f"\r{current}/{steps} [{bar}] - {timing}"
        else:
            line = f"{current}/{steps} - {_format_duration(elapsed)} - {_format_step_time(per_step)}"
        metrics = _format_logs(logs)
        if metrics:
            line += f" - {metrics}"
        self._write(line + ("\n" if final else ""))

    # --- evaluate / predict --------------------------------------------------------------------------
    def on_test_begin(self, logs: dict | None = None) -> None:
        if self.params.get("mode") == "evaluate":
            self._start = time.perf_counter()
            self._seen = 0

    def on_test_batch_end(self, batch: int, logs: dict | None = None) -> None:
        if self.params.get("mode") == "evaluate":  # (fit's validation must not move the epoch's count)
            self._seen = batch + 1

    def on_test_end(self, logs: dict | None = None) -> None:
        if self.verbose and self.params.get("mode") == "evaluate":
            elapsed = time.perf_counter() - self._start
            self._draw(self._seen, logs or {}, elapsed, final=True)

    def on_predict_begin(self, logs: dict | None = None) -> None:
        self._start = time.perf_counter()
        self._seen = 0

    def on_predict_batch_end(self, batch: int, logs: dict | None = None) -> None:
        self._seen = batch + 1

    def on_predict_end(self, logs: dict | None = None) -> None:
        if self.verbose:
            self._draw(self._seen, {}, time.perf_counter() - self._start, final=True)
