"""`model`: the network drawn as neurons and links, as in the TF Playground.

Each `Dense` layer is a column of neurons (circles); a link joins every pair of neurons of two neighbouring
columns, its width growing with |weight| and its colour blue for a positive weight, orange for a negative
one; the small square at a neuron's lower left is its bias, coloured the same way. Wide layers are
summarised: the first and last neurons are drawn, the rest replaced by a "⋮ N more" mark, and only the
drawn neurons have links. Layers that keep the number of values (Dropout, Activation,
BatchNormalization, Flatten...) are labelled stages between the columns; other layers that change it
(convolutions, pooling...) become an unlinked column joined by a grey band.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..layers import Dense, InputLayer
from ._mpl import figure, finish, matplotlib_module, playground_cmap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SPACING = 3.0  # between columns, in data units (one neuron slot is 1 unit high)
RADIUS = 0.28


@dataclass
class _Column:
    title: str
    size: int
    name: str = "input"
    kernel: np.ndarray | None = None  # (previous size, size): links from the previous column
    bias: np.ndarray | None = None
    band: str | None = None  # a layer that changes the size without links
    stages: list[str] = field(default_factory=list)  # shape-keeping layers after this column


def model(
    model: Any,
    *,
    max_units: int = 12,
    show_values: bool | None = None,
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
    dpi: float = 100,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """Draw the model as neurons and weighted links (the Playground's picture of a network).

    Args:
        model: a built model whose layers form a chain (a `Sequential`, or a functional model without
            branches).
        max_units: the most neurons drawn per column; a wider layer shows its first and last ones and
            "⋮ N more" in between. At least 2.
        show_values: write each weight on its link and each bias by its square; default: only when the
            figure has at most 12 links.
        title, figsize, dpi, path: the title (default: the model's name and parameter count), the size
            (default: from the number of columns and neurons), resolution, and where to save it.
    """
    if isinstance(max_units, bool) or not isinstance(max_units, (int, np.integer)) or max_units < 2:
        raise ValueError(f"`max_units` must be an integer >= 2. Received: max_units={max_units!r}")
    columns = _columns(model)
    shown = [_shown_units(c.size, int(max_units)) for c in columns]
    slots = max(len(s) for s in shown)
    links = [(i, c) for i, c in enumerate(columns) if c.kernel is not None]
    weights = [c.kernel[np.ix_(_units(shown[i - 1]), _units(shown[i]))].ravel() for i, c in links]
    all_weights = np.concatenate(weights + [c.bias for c in columns if c.bias is not None] + [np.zeros(1)])
    scale = float(np.max(np.abs(all_weights[np.isfinite(all_weights)]), initial=0.0)) or 1.0
    if show_values is None:
        show_values = sum(len(w) for w in weights) <= 12

    y_top = (slots - 1) / 2
    x_limits = (-1.2, SPACING * (len(columns) - 1) + (2.8 if columns[-1].stages else 1.2))
    y_limits = (-y_top - 0.8, y_top + 1.9)
    inches = min(0.5, 9.0 / (y_limits[1] - y_limits[0]))  # per data unit; at most 9 inches high
    default_size = (
        max(5.5, (x_limits[1] - x_limits[0]) * inches + 0.6),
        (y_limits[1] - y_limits[0]) * inches + 1.0,
    )
    fig = figure(figsize=figsize or default_size, dpi=dpi)
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    for (index, column), w in zip(links, weights):
        _draw_links(ax, index, column, shown[index - 1], shown[index], w, scale, show_values)
    for index, column in enumerate(columns):
        if column.band is not None:
            _draw_band(ax, index, column, shown[index - 1], shown[index])
        _draw_column(ax, index, column, shown[index], scale, show_values, last=index == len(columns) - 1)
        ax.text(SPACING * index, y_top + 0.9, column.title, ha="center", va="bottom", fontsize=8)
        if column.stages:
            ax.text(
                SPACING * (index + 0.5), y_top + 0.45, "\n".join(column.stages), ha="center", va="bottom",
                fontsize=7, color="0.25", gid="stage",
                bbox={"boxstyle": "round,pad=0.25", "fc": "#f4f4f4", "ec": "0.6", "lw": 0.6},
            )  # fmt: skip
    ax.set_xlim(*x_limits)
    ax.set_ylim(*y_limits)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_xlabel(
        f"links: blue w > 0, orange w < 0, width ∝ |w| (largest |w| = {scale:.3g}); squares: biases",
        fontsize=8,
    )
    if title is None:
        title = f"{getattr(model, 'name', 'model')}: {model.count_params():,} parameters"
    ax.set_title(title, fontsize=10)
    return finish(fig, path)


def _columns(model: Any) -> list[_Column]:
    """The chain of columns: the input, then one per Dense layer (or size-changing layer)."""
    if not hasattr(model, "layers"):
        raise TypeError(f"`model` must be a neurona model. Received: {type(model).__name__}")
    try:
        shape = model.input_shape
    except (AttributeError, ValueError) as error:
        raise ValueError(
            f"The model has no input shape yet, so its weights do not exist ({error}). Build it first: "
            "give the first layer `input_shape=`, start with `Input(shape=...)`, or call it on data."
        ) from None
    if isinstance(shape, list):
        raise ValueError(f"`plot.model` draws models with one input. Received a model with {len(shape)}.")
    size = math.prod(shape[1:])
    described = "×".join(str(d) for d in shape[1:])
    columns = [_Column(title=f"input\n{described}" if len(shape) > 2 else f"input\n{size}", size=size)]
    for layer in model.layers:
        if isinstance(layer, InputLayer):
            continue
        try:
            new_shape = tuple(layer.compute_output_shape(shape))
        except Exception as error:
            raise ValueError(
                f"`plot.model` draws a chain of layers, each fed by the one before. Layer {layer.name!r} "
                f"does not take the previous output of shape {shape} ({error})."
            ) from None
        new_size = math.prod(d for d in new_shape[1:] if d is not None)
        if isinstance(layer, Dense):
            kernel, *rest = layer.get_weights()
            if kernel.shape[0] != shape[-1]:
                raise ValueError(
                    f"`plot.model` draws a chain of layers. Layer {layer.name!r} takes {kernel.shape[0]} "
                    f"inputs, but the layer before it gives {shape[-1]}: the model branches."
                )
            activation = layer.get_config().get("activation")
            note = f", {activation}" if isinstance(activation, str) and activation != "linear" else ""
            title = f"{layer.name}\n{layer.units} unit{'s' if layer.units > 1 else ''}{note}"
            if len(shape) == 2:
                columns.append(
                    _Column(title, layer.units, layer.name, kernel=kernel, bias=rest[0] if rest else None)
                )
            else:
                columns.append(_Column(title, new_size, layer.name, band=f"{layer.name} (per position)"))
        elif new_size == columns[-1].size:
            columns[-1].stages.append(_stage_label(layer))
        else:
            columns.append(
                _Column(f"{layer.name}\n{new_size}", new_size, layer.name, band=type(layer).__name__)
            )
        shape = new_shape
    return columns


def _stage_label(layer: Any) -> str:
    config = layer.get_config()
    for key in ("rate", "activation", "stddev"):
        if isinstance(config.get(key), (str, int, float)):
            return f"{type(layer).__name__}({config[key]})"
    return type(layer).__name__


def _shown_units(size: int, max_units: int) -> list[int | None]:
    """The units drawn, top to bottom; None is the "⋮ N more" slot of a summarised layer."""
    if size <= max_units:
        return list(range(size))
    head = (max_units + 1) // 2
    tail = max_units - head
    return list(range(head)) + [None] + list(range(size - tail, size))


def _units(slots: list[int | None]) -> list[int]:
    return [u for u in slots if u is not None]


def _slot_y(slots: list[int | None]) -> dict[int | None, float]:
    top = (len(slots) - 1) / 2
    return {unit: top - position for position, unit in enumerate(slots)}


def _weight_colors(values: np.ndarray, scale: float) -> np.ndarray:
    """Blue for positive, orange for negative, deeper with |value|; never grey unless exactly 0."""
    strength = 0.15 + 0.35 * np.clip(np.abs(values) / scale, 0, 1)
    return playground_cmap()(0.5 + np.sign(np.nan_to_num(values)) * strength)


def _draw_links(ax, index, column, source_slots, target_slots, w, scale, show_values) -> None:
    collections = matplotlib_module("matplotlib.collections")
    source_y, target_y = _slot_y(source_slots), _slot_y(target_slots)
    x0, x1 = SPACING * (index - 1) + RADIUS, SPACING * index - RADIUS
    segments = [
        [(x0, source_y[i]), (x1, target_y[j])] for i in _units(source_slots) for j in _units(target_slots)
    ]
    lines = collections.LineCollection(
        segments,
        linewidths=0.3 + 3.7 * np.clip(np.abs(w) / scale, 0, 1),
        colors=_weight_colors(w, scale),
        alpha=0.85,
        zorder=1,
        gid=f"links:{column.name}",
    )
    ax.add_collection(lines)
    if show_values:
        for (start, end), value in zip(segments, w):
            at = 0.3  # near the source, where the links of one neuron are still apart
            ax.text(
                start[0] + at * (end[0] - start[0]), start[1] + at * (end[1] - start[1]), f"{value:.2f}",
                fontsize=7, ha="center", va="center", zorder=2, gid="weight_value",
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8},
            )  # fmt: skip


def _draw_band(ax, index, column, source_slots, target_slots) -> None:
    patches = matplotlib_module("matplotlib.patches")
    source_top, target_top = (len(source_slots) - 1) / 2, (len(target_slots) - 1) / 2
    x0, x1 = SPACING * (index - 1) + RADIUS, SPACING * index - RADIUS
    corners = [(x0, source_top), (x1, target_top), (x1, -target_top), (x0, -source_top)]
    ax.add_patch(patches.Polygon(corners, closed=True, fc="0.85", ec="0.6", alpha=0.6, zorder=1, gid="band"))
    ax.text((x0 + x1) / 2, 0, column.band, ha="center", va="center", fontsize=7, rotation=90, zorder=2)


def _draw_column(ax, index, column, slots, scale, show_values, *, last) -> None:
    patches = matplotlib_module("matplotlib.patches")
    x = SPACING * index
    for unit, y in _slot_y(slots).items():
        if unit is None:
            hidden = column.size - len(slots) + 1
            ax.text(x, y, f"⋮\n{hidden} more", ha="center", va="center", fontsize=7, gid="ellipsis")
            continue
        ax.add_patch(patches.Circle((x, y), RADIUS, fc="white", ec="0.3", lw=1.2, zorder=3, gid="neuron"))
        if column.bias is not None:
            value = column.bias[unit]
            square = patches.Rectangle(
                (x - RADIUS - 0.1, y - RADIUS - 0.1), 0.2, 0.2, fc=_weight_colors(np.array([value]), scale)[0],
                ec="0.3", lw=0.5, zorder=4, gid="bias",
            )  # fmt: skip
            ax.add_patch(square)
            if show_values:
                ax.text(
                    x - RADIUS - 0.15,
                    y - RADIUS - 0.05,
                    f"b={value:.2f}",
                    ha="right",
                    va="center",
                    fontsize=6,
                )
        if index == 0 and len(slots) <= 16:
            ax.text(x - RADIUS - 0.12, y, f"x{_subscript(unit + 1)}", ha="right", va="center", fontsize=8)
        elif last:
            ax.text(x + RADIUS + 0.12, y, str(unit), ha="left", va="center", fontsize=7, color="0.3")


def _subscript(number: int) -> str:
    return str(number).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))
