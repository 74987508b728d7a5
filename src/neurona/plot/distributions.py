"""`weights` and `activations`: histograms, one panel per weight array or per layer output.

Weights show how initialisation and training spread the kernels (and how L2 shrinks them); activations
on a batch of inputs show saturated sigmoids/tanh (mass at ±1) and dead ReLUs (a spike at 0; the share of
exact zeros is written on each panel).
"""

from __future__ import annotations

import math
import os
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from .. import engine
from ..layers import InputLayer
from ._data import as_array
from ._mpl import BLUE, ORANGE, figure, finish

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def weights(
    model: Any,
    *,
    bins: int = 40,
    figsize: tuple[float, float] | None = None,
    dpi: float = 100,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Histograms of the model's weights: one row per layer that has weights, one panel per array
    (kernel, bias, BatchNormalization's gamma/beta/moving statistics...), with mean and standard deviation.

    Args:
        model: a built model.
        bins: histogram bins per panel.
        figsize, dpi, path: the size (default: 3.4 × 2.4 inches per panel), resolution, where to save it.
    """
    _check_bins(bins)
    if not hasattr(model, "layers"):
        raise TypeError(f"`model` must be a neurona model. Received: {type(model).__name__}")
    rows = []
    for layer in model.layers:
        arrays = [np.asarray(w.numpy()) for w in layer.weights]
        if arrays:
            rows.append((layer, [(w.name.split("/")[-1], a) for w, a in zip(layer.weights, arrays)]))
    if not rows:
        raise ValueError(
            f"The model {getattr(model, 'name', '')!r} has no weights to draw. Build it first (give the first "
            "layer `input_shape=`, start with `Input(shape=...)`, or call it on data)."
        )
    columns = max(len(arrays) for _, arrays in rows)
    fig = figure(figsize=figsize or (3.4 * columns, 2.4 * len(rows)), dpi=dpi)
    axes = fig.subplots(len(rows), columns, squeeze=False)
    for row, (layer, arrays) in zip(axes, rows):
        for ax, (name, values) in zip(row, arrays):
            _histogram(ax, values.ravel(), bins, BLUE if name != "bias" else ORANGE)
            ax.set_title(f"{layer.name}/{name} {'×'.join(map(str, values.shape))}", fontsize=9)
        for ax in row[len(arrays) :]:
            ax.remove()
    fig.suptitle(f"{getattr(model, 'name', 'model')}: weights", fontsize=10)
    return finish(fig, path)


def activations(
    model: Any,
    x: Any,
    *,
    layers: Sequence[str] | None = None,
    bins: int = 40,
    figsize: tuple[float, float] | None = None,
    dpi: float = 100,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Histograms of each layer's output on `x` (inference mode: Dropout off, BatchNorm's moving statistics).

    Args:
        model: a model whose layers form a chain (a `Sequential`, or a functional model without branches):
            `x` is passed through `model.layers` in order, as `model(x, training=False)` does.
        x: a batch of inputs.
        layers: the names of the layers to draw; default: all.
        bins, figsize, dpi, path: as in `weights` (default: 3.4 × 2.4 inches per panel, 3 per row).

    The numbers counted in a panel are samples × the layer's output size.
    """
    _check_bins(bins)
    if not hasattr(model, "layers"):
        raise TypeError(f"`model` must be a neurona model. Received: {type(model).__name__}")
    x = as_array(x, "x")
    if x.ndim == 0 or len(x) == 0:
        raise ValueError(f"`x` must be a non-empty batch of inputs. Received: x with shape {x.shape}")
    outputs = _layer_outputs(model, x)
    if layers is not None:
        names = [name for name, _ in outputs]
        unknown = [name for name in layers if name not in names]
        if unknown or not layers:
            raise ValueError(
                f"`layers` must name layers of the model. Received: {list(layers)}; it has {names}."
            )
        outputs = [(name, values) for name, values in outputs if name in layers]
    columns = min(3, len(outputs))
    rows = math.ceil(len(outputs) / columns)
    fig = figure(figsize=figsize or (3.4 * columns, 2.4 * rows), dpi=dpi)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, (name, values) in zip(axes, outputs):
        flat = values.ravel()
        _histogram(ax, flat, bins, BLUE)
        zeros = float(np.mean(flat == 0)) if flat.size else 0.0
        note = f": {zeros:.0%} zeros" if zeros > 0 else ""  # dead ReLUs show up as exact zeros
        ax.set_title(f"{name} {'×'.join(map(str, values.shape[1:]))}{note}", fontsize=9)
    for ax in axes[len(outputs) :]:
        ax.remove()
    fig.suptitle(f"{getattr(model, 'name', 'model')}: activations on {len(x)} samples", fontsize=10)
    return finish(fig, path)


def _layer_outputs(model: Any, x: np.ndarray) -> list[tuple[str, np.ndarray]]:
    """(layer name, output) for each layer, passing `x` through the chain of `model.layers`."""
    outputs = []
    with engine.no_grad():
        value: Any = x
        try:
            for layer in model.layers:
                if isinstance(layer, InputLayer):
                    continue
                value = layer(value, training=False)
                outputs.append((layer.name, np.asarray(value.numpy(), dtype=np.float64)))
            expected = np.asarray(model(x, training=False).numpy(), dtype=np.float64)
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(
                "`plot.activations` passes `x` through `model.layers` in order, so the layers must form a "
                f"chain and `x` must fit the first one. That failed: {error}"
            ) from None
    if not outputs or outputs[-1][1].shape != expected.shape or not np.allclose(outputs[-1][1], expected):
        raise ValueError(
            "`plot.activations` passes `x` through `model.layers` in order, but that does not compute this "
            "model's output: its layers do not form a chain (branches, shared layers). Draw a "
            "Sequential model, or a functional model without branches."
        )
    return outputs


def _histogram(ax: Any, values: np.ndarray, bins: int, color: str) -> None:
    finite = values[np.isfinite(values)]
    ax.hist(finite, bins=bins, color=color, alpha=0.85)
    if finite.size:
        ax.text(
            0.98, 0.95, f"mean {finite.mean():.3g}\nstd {finite.std():.3g}", transform=ax.transAxes,
            ha="right", va="top", fontsize=7, bbox={"fc": "white", "ec": "none", "alpha": 0.7},
        )  # fmt: skip
    ax.tick_params(labelsize=7)


def _check_bins(bins: Any) -> None:
    if isinstance(bins, bool) or not isinstance(bins, (int, np.integer)) or bins < 1:
        raise ValueError(f"`bins` must be a positive integer. Received: bins={bins!r}")
