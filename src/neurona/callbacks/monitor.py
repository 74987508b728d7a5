"""`MonitorCallback`: what EarlyStopping, ModelCheckpoint and ReduceLROnPlateau share — a monitored log
value, a direction ("min"/"max", inferred by `mode="auto"`), and the improvement test.

neurona's rule (fixing Keras 3.15.1, reference/security-and-reliability.md §2.4): NaN and ±inf are never
an improvement and never become `best`.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

from .. import metrics as metrics_module
from .callback import Callback


def _direction_of(name: str, model: Any) -> str | None:
    """ "down" or "up" for a log key, from the loss, the compiled metrics, or the metric registry."""
    base = name[4:] if name.startswith("val_") else name
    if base == "loss" or base.endswith("_loss"):
        return "down"
    compiled = getattr(model, "_compiled_metrics", None) if model is not None else None
    for _, metric, _ in getattr(compiled, "metrics", None) or []:
        if metric.name == base:
            return getattr(metric, "direction", None)
    if base in ("acc", "accuracy"):
        return "up"
    try:
        return getattr(metrics_module.get(base), "direction", None)
    except (ValueError, TypeError):
        return None


class MonitorCallback(Callback):
    """Base of the callbacks that watch one log value.

    Args:
        monitor: the log key ("val_loss", "accuracy", ...).
        mode: "min", "max" or "auto" (from the metric: losses and errors go down, accuracies up).
        baseline: a value to beat (used by subclasses).
        min_delta: how much an improvement must be: current < best − |min_delta| (min mode).
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        mode: str = "auto",
        baseline: float | None = None,
        min_delta: float = 0.0,
    ) -> None:
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(
                f"{type(self).__name__} mode {mode!r} is unknown, falling back to 'auto'. "
                "Use 'auto', 'min' or 'max'.",
                stacklevel=3,
            )
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.baseline = baseline
        self.min_delta = abs(float(min_delta))
        self.monitor_op: str | None = None

    def _set_monitor_op(self) -> None:
        if self.mode != "auto":
            self.monitor_op = self.mode
            return
        direction = _direction_of(self.monitor, self.model)
        if direction is None:
            raise ValueError(
                f"{type(self).__name__} callback received monitor={self.monitor!r}, but it isn't able to "
                "automatically determine whether that metric should be maximized or minimized. Pass "
                "`mode='max'` in order to monitor based on the highest metric value, or pass `mode='min'` "
                "in order to use the lowest value."
            )
        self.monitor_op = "min" if direction == "down" else "max"

    def _is_improvement(self, current: float, reference: float | None) -> bool:
        """NaN/inf never improves; the first finite value always does."""
        if current is None or not math.isfinite(current):
            return False
        if reference is None or not math.isfinite(reference):
            return True
        if self.monitor_op is None:
            self._set_monitor_op()
        if self.monitor_op == "min":
            return current < reference - self.min_delta
        return current > reference + self.min_delta

    def _beats_baseline(self, current: float) -> bool:
        if self.baseline is None:
            return True
        if self.monitor_op == "min":
            return current < self.baseline
        return current > self.baseline

    def _current(self, logs: dict | None) -> float | None:
        value = (logs or {}).get(self.monitor)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
