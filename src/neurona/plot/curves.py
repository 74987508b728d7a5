"""`history`: the training curves of `fit`, one panel per metric, with the best epoch marked."""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from .. import metrics as metrics_module
from ._mpl import BLUE, ORANGE, figure, finish

if TYPE_CHECKING:
    from matplotlib.figure import Figure

_GOES_DOWN = ("loss", "error", "crossentropy", "hinge", "divergence", "mse", "mae", "mape", "msle")
_GOES_UP = ("acc", "accuracy", "auc", "precision", "recall", "f1_score", "r2_score")


def history(
    history: Any,
    *,
    metrics: Sequence[str] | None = None,
    monitor: str | None = "val_loss",
    mode: str = "auto",
    figsize: tuple[float, float] | None = None,
    dpi: float = 100,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Training curves: one panel per metric, the training and the validation curve on the same panel.

    Args:
        history: the `History` that `model.fit` returns, or its `.history` dict
            (`{"loss": [...], "val_loss": [...], ...}`).
        metrics: the metrics to draw, by name without the `val_` prefix (`["loss", "accuracy"]`);
            default: all of them, `loss` first.
        monitor: the log key that picks the best epoch (as `EarlyStopping` would); that epoch is marked
            with a star on its curve, a dotted line on every panel and a note. Default `"val_loss"`, or
            `"loss"` when there is no validation. `None`: no mark.
        mode: `"min"`, `"max"` or `"auto"` (losses and errors go down, accuracies up).
        figsize, dpi: the figure's size in inches and its resolution; default 4.5 × 3.4 inches per panel.
        path: where to save the figure (.png, .svg or .pdf), written atomically; default: not saved.

    The x axis is the epoch number counted from 1, as `fit` prints it.
    """
    logs, epochs = _logs_of(history)
    names = _metric_names(logs, metrics)
    monitor = _resolve_monitor(logs, monitor)
    best = _best_epoch(logs, epochs, monitor, mode) if monitor is not None else None

    columns = min(len(names), 3)
    rows = math.ceil(len(names) / columns)
    fig = figure(figsize=figsize or (4.5 * columns, 3.4 * rows), dpi=dpi)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax in axes[len(names) :]:
        ax.remove()
    for ax, name in zip(axes, names):
        for key, label, color in ((name, "training", BLUE), (f"val_{name}", "validation", ORANGE)):
            if key in logs:
                values = logs[key]
                ax.plot(_x_positions(epochs, len(values)), values, color=color, label=label, gid=key, lw=1.6)
        if best is not None:
            ax.axvline(best[0], color="0.45", ls=":", lw=1.2, gid="best_epoch_line")
        if best is not None and monitor in (name, f"val_{name}"):
            _mark_best(ax, monitor, best)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    return finish(fig, path)


def _logs_of(history: Any) -> tuple[dict[str, np.ndarray], np.ndarray]:
    if isinstance(history, dict):
        logs, epoch_list = history, None
    elif isinstance(getattr(history, "history", None), dict):
        logs, epoch_list = history.history, getattr(history, "epoch", None)
    else:
        raise TypeError(
            "`history` must be the History object that `model.fit` returns, or its `.history` dict. "
            f"Received: history of type {type(history).__name__}"
        )
    arrays = {}
    for key, values in logs.items():
        try:
            arrays[str(key)] = np.asarray(values, dtype=np.float64).reshape(-1)
        except (TypeError, ValueError):
            raise TypeError(
                f"Every entry of `history` must be a list of numbers, one per epoch. Received: {key}={values!r}"
            ) from None
    n = max((len(v) for v in arrays.values()), default=0)
    if n == 0:
        raise ValueError(
            f"`history` is empty: it has no epochs to draw. Received: {dict(logs)!r}. Pass the History that "
            "`model.fit` returns after at least one epoch."
        )
    epochs = np.asarray(epoch_list, dtype=np.float64) + 1 if epoch_list and len(epoch_list) == n else None
    return arrays, epochs if epochs is not None else np.arange(1, n + 1, dtype=np.float64)


def _metric_names(logs: dict[str, np.ndarray], metrics: Sequence[str] | None) -> list[str]:
    available = list(dict.fromkeys(k[4:] if k.startswith("val_") else k for k in logs))
    available.sort(key=lambda name: name != "loss")  # loss first, the rest in the order fit logged them
    if metrics is None:
        return available
    if isinstance(metrics, str):
        metrics = [metrics]
    names = [m[4:] if m.startswith("val_") else m for m in metrics]
    unknown = [m for m in names if m not in available]
    if unknown or not names:
        raise ValueError(
            f"`metrics` must name metrics recorded in the history. Received: metrics={list(metrics)!r}; "
            f"the history has {available}."
        )
    return list(dict.fromkeys(names))


def _resolve_monitor(logs: dict[str, np.ndarray], monitor: str | None) -> str | None:
    if monitor is None or monitor in logs:
        return monitor
    if monitor == "val_loss" and "loss" in logs:  # the default, on a fit without validation
        return "loss"
    raise ValueError(
        f"`monitor` must be a key of the history, or None for no best-epoch mark. Received: "
        f"monitor={monitor!r}; the history has {sorted(logs)}."
    )


def _x_positions(epochs: np.ndarray, count: int) -> np.ndarray:
    """Epoch numbers of a curve; a shorter one (`validation_freq` > 1) ran on every k-th epoch."""
    if count == len(epochs):
        return epochs
    step = len(epochs) / count
    return epochs[np.round(step * np.arange(1, count + 1)).astype(int) - 1]


def _direction(monitor: str, mode: str) -> str:
    if mode not in ("auto", "min", "max"):
        raise ValueError(f"`mode` must be 'auto', 'min' or 'max'. Received: mode={mode!r}")
    if mode != "auto":
        return mode
    base = monitor[4:] if monitor.startswith("val_") else monitor
    if base.endswith(_GOES_DOWN):
        return "min"
    if base.endswith(_GOES_UP):
        return "max"
    try:
        direction = getattr(metrics_module.get(base), "direction", None)
    except (ValueError, TypeError):
        direction = None
    if direction is None:
        raise ValueError(
            f"Cannot tell whether monitor={monitor!r} should be minimized or maximized. "
            "Pass mode='min' or mode='max'."
        )
    return "min" if direction == "down" else "max"


def _best_epoch(
    logs: dict[str, np.ndarray], epochs: np.ndarray, monitor: str, mode: str
) -> tuple[float, float] | None:
    """(epoch, value) of the best finite value of `monitor`; None when it has none."""
    op = _direction(monitor, mode)
    values = logs[monitor]
    finite = np.isfinite(values)
    if not finite.any():
        return None
    masked = np.where(finite, values, np.inf if op == "min" else -np.inf)
    index = int(np.argmin(masked) if op == "min" else np.argmax(masked))
    return float(_x_positions(epochs, len(values))[index]), float(values[index])


def _mark_best(ax: Any, monitor: str, best: tuple[float, float]) -> None:
    epoch, value = best
    ax.plot([epoch], [value], marker="*", ms=13, color="black", ls="none", gid="best_epoch", label="best")
    ax.annotate(
        f"best: epoch {epoch:g}\n{monitor} = {value:.4g}",
        xy=(epoch, value),
        xytext=(0.5, 0.93),
        textcoords="axes fraction",
        ha="center",
        va="top",
        fontsize=8,
        bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.9},
        arrowprops={"arrowstyle": "->", "color": "0.4"},
    )
