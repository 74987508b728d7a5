"""`decision_boundary`: what a model of two input features predicts over the plane, with the data on top.

Binary (one output, sigmoid or logit): the probability of class 1 shaded orange → grey → blue as in the
TF Playground, with the 0.5 contour. k classes (k outputs, softmax or logits): each point of the plane
takes the colour of its predicted class, paler where the model is less sure. Regression (one output,
continuous targets): the output shaded continuously, the targets on the same colour scale.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ._data import as_array, check_lengths, class_ids
from ._mpl import figure, finish, matplotlib_module, playground_cmap

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KINDS = ("auto", "binary", "multiclass", "regression")


def decision_boundary(
    model: Any,
    x: Any,
    y: Any = None,
    *,
    resolution: int = 200,
    kind: str = "auto",
    from_logits: bool | None = None,
    padding: float = 0.1,
    feature_names: Sequence[str] = ("x₁", "x₂"),
    class_names: Sequence[str] | None = None,
    title: str | None = None,
    figsize: tuple[float, float] = (6.0, 5.0),
    dpi: float = 100,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """The model's predictions over the plane of its two input features, with the samples on top.

    Args:
        model: a model with 2 inputs features (`model.predict` takes an array of shape (n, 2)).
        x: the samples, shape (n, 2); they also set the region drawn (their range plus `padding`).
        y: their targets: class ids, one-hot rows, or continuous values for a regression; or None.
        resolution: grid points per axis (the model is evaluated resolution² times).
        kind: "binary", "multiclass", "regression", or "auto": several outputs are classes; one output
            is binary when `y` holds two distinct whole values (or, without `y`, when the outputs lie in
            [0, 1]), else a regression.
        from_logits: whether the outputs are logits (sigmoid / softmax is then applied); default: logits
            when they are not probabilities (outside [0, 1], or rows that do not sum to 1).
        padding: the margin around the data, as a fraction of its range.
        feature_names, class_names, title: axis labels, legend labels, the figure title.
        figsize, dpi, path: the figure's size and resolution; where to save it (.png/.svg/.pdf).
    """
    x = as_array(x, "x").astype(np.float64)
    if x.ndim != 2 or x.shape[1] != 2:
        raise ValueError(
            "`decision_boundary` draws models of two input features over the plane, so `x` must have shape "
            f"(n, 2). Received: x with shape {x.shape}. Pass two feature columns (and a model trained on them)."
        )
    targets = None if y is None else as_array(y, "y")
    check_lengths(x=x, **({} if targets is None else {"y": targets}))
    if not np.all(np.isfinite(x)):
        raise ValueError("`x` contains NaN or infinite values. Remove or fix those samples.")
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise ValueError(f"`resolution` must be an integer >= 2. Received: resolution={resolution!r}")
    if isinstance(padding, bool) or not isinstance(padding, (int, float)) or not padding >= 0:
        raise ValueError(
            f"`padding` must be a number >= 0 (a fraction of the data range). Received: padding={padding!r}"
        )
    if kind not in KINDS:
        raise ValueError(f"`kind` must be one of {KINDS}. Received: kind={kind!r}")

    axis_1, axis_2 = (_axis(x[:, i], padding, int(resolution)) for i in (0, 1))
    grid = np.stack(np.meshgrid(axis_1, axis_2), axis=-1).reshape(-1, 2)
    outputs = _predict(model, grid)
    kind = _kind(kind, outputs, targets)

    fig = figure(figsize=figsize, dpi=dpi)
    ax = fig.add_subplot()
    extent = (axis_1[0], axis_1[-1], axis_2[0], axis_2[-1])
    shape = (len(axis_2), len(axis_1))
    if kind == "binary":
        _binary(
            fig, ax, _probabilities(outputs, from_logits).reshape(shape), axis_1, axis_2, extent, x, targets
        )
    elif kind == "multiclass":
        _multiclass(ax, _probabilities(outputs, from_logits), shape, extent, x, targets, class_names)
    else:
        _regression(fig, ax, outputs[:, 0].reshape(shape), extent, x, targets)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(feature_names[0])
    ax.set_ylabel(feature_names[1])
    ax.set_title(title if title is not None else f"{getattr(model, 'name', 'model')}: {kind}")
    return finish(fig, path)


def _axis(values: np.ndarray, padding: float, resolution: int) -> np.ndarray:
    low, high = float(values.min()), float(values.max())
    margin = (high - low) * padding if high > low else 1.0  # one value only: still show some plane around it
    return np.linspace(low - margin, high + margin, resolution)


def _predict(model: Any, grid: np.ndarray) -> np.ndarray:
    if not callable(getattr(model, "predict", None)):
        raise TypeError(f"`model` must be a neurona model (with `predict`). Received: {type(model).__name__}")
    outputs = model.predict(grid.astype(np.float32), batch_size=8192, verbose=0)
    if isinstance(outputs, (list, tuple, dict)):
        raise ValueError("`decision_boundary` draws models with one output. Received a model with several.")
    outputs = np.asarray(outputs, dtype=np.float64)
    return outputs.reshape(len(grid), -1)


def _kind(kind: str, outputs: np.ndarray, targets: np.ndarray | None) -> str:
    if kind != "auto":
        if kind in ("binary", "regression") and outputs.shape[1] != 1:
            raise ValueError(
                f"kind={kind!r} needs a model with one output. Received: {outputs.shape[1]} outputs. "
                "Use kind='multiclass'."
            )
        return kind
    if outputs.shape[1] > 1:
        return "multiclass"
    if targets is not None:
        values = np.unique(targets[np.isfinite(targets)]) if targets.dtype != bool else np.array([0, 1])
        whole = np.all(values == np.round(values))
        return "binary" if whole and len(values) <= 2 else "regression"
    return "binary" if np.all((outputs >= 0) & (outputs <= 1)) else "regression"


def _probabilities(outputs: np.ndarray, from_logits: bool | None) -> np.ndarray:
    """Probabilities from outputs that are probabilities already, or logits."""
    if outputs.shape[1] == 1:
        if from_logits is None:
            from_logits = not np.all((outputs >= 0) & (outputs <= 1))
        return 1 / (1 + np.exp(-outputs[:, 0])) if from_logits else outputs[:, 0]
    if from_logits is None:
        in_range = np.all((outputs >= 0) & (outputs <= 1))
        from_logits = not (in_range and np.allclose(outputs.sum(axis=1), 1, atol=1e-3))
    if not from_logits:
        return outputs
    shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _binary(fig, ax, p, axis_1, axis_2, extent, x, targets) -> None:
    cmap = playground_cmap()
    image = ax.imshow(p, origin="lower", extent=extent, aspect="auto", cmap=cmap, vmin=0, vmax=1)
    image.set_gid("surface")
    if p.min() < 0.5 < p.max():
        ax.contour(axis_1, axis_2, p, levels=[0.5], colors="black", linewidths=1.5)
    fig.colorbar(image, ax=ax, label="P(class 1)")
    if targets is None:
        ax.scatter(x[:, 0], x[:, 1], s=18, c="white", edgecolors="black", linewidths=0.6, gid="samples")
        return
    labels = class_ids(targets, "y")
    values = np.unique(labels)
    if len(values) > 2:
        raise ValueError(
            f"kind='binary' needs two classes in `y`. Received {len(values)}: {values[:10].tolist()}. "
            "Use kind='multiclass' with a model of one output per class."
        )
    positive = labels == values.max() if len(values) == 2 else labels > 0
    ax.scatter(
        x[:, 0], x[:, 1], c=positive.astype(float), cmap=cmap, vmin=0, vmax=1,
        s=18, edgecolors="white", linewidths=0.7, gid="samples",
    )  # fmt: skip


def class_colors(k: int) -> np.ndarray:
    """k distinct RGB colours: tab10, then tab20, then evenly spaced hues."""
    colormaps = matplotlib_module("matplotlib").colormaps
    if k <= 10:
        return colormaps["tab10"](np.arange(k))[:, :3]
    if k <= 20:
        return colormaps["tab20"](np.arange(k))[:, :3]
    return colormaps["hsv"](np.linspace(0, 1, k, endpoint=False))[:, :3]


def _multiclass(ax, probabilities, shape, extent, x, targets, class_names) -> None:
    k = probabilities.shape[1]
    colors = class_colors(k)
    predicted = probabilities.argmax(axis=1)
    sure = (probabilities.max(axis=1) - 1 / k) / (1 - 1 / k)  # 0: uniform, 1: certain
    strength = (0.12 + 0.48 * np.clip(sure, 0, 1))[:, None]
    rgb = 1 - strength * (1 - colors[predicted])  # the class colour, mixed with white where unsure
    image = ax.imshow(rgb.reshape(*shape, 3), origin="lower", extent=extent, aspect="auto")
    image.set_gid("surface")
    names = list(class_names) if class_names is not None else [f"class {i}" for i in range(k)]
    if len(names) != k:
        raise ValueError(f"`class_names` must name the {k} classes. Received {len(names)} names: {names}")
    if targets is None:
        ax.scatter(x[:, 0], x[:, 1], s=18, c="white", edgecolors="black", linewidths=0.6, gid="samples")
        return
    labels = class_ids(targets, "y")
    if labels.min() < 0 or labels.max() >= k:
        raise ValueError(
            f"`y` must hold class ids in [0, {k - 1}] for a model of {k} outputs. Received ids from "
            f"{labels.min()} to {labels.max()}."
        )
    for i in np.unique(labels):
        chosen = labels == i
        ax.scatter(
            x[chosen, 0], x[chosen, 1], color=colors[i], s=18, edgecolors="black", linewidths=0.6,
            label=names[i], gid=f"samples_{i}",
        )  # fmt: skip
    ax.legend(fontsize=8, loc="best", framealpha=0.8)


def _regression(fig, ax, values, extent, x, targets) -> None:
    low, high = float(values.min()), float(values.max())
    if targets is not None:
        flat = targets.reshape(len(targets), -1)[:, 0].astype(np.float64)
        low, high = min(low, float(flat.min())), max(high, float(flat.max()))
    image = ax.imshow(
        values, origin="lower", extent=extent, aspect="auto", cmap="viridis", vmin=low, vmax=high
    )
    image.set_gid("surface")
    fig.colorbar(image, ax=ax, label="model output")
    if targets is None:
        ax.scatter(x[:, 0], x[:, 1], s=18, c="white", edgecolors="black", linewidths=0.6, gid="samples")
        return
    ax.scatter(
        x[:, 0], x[:, 1], c=flat, cmap="viridis", vmin=low, vmax=high, s=18, edgecolors="white",
        linewidths=0.7, gid="samples",
    )  # fmt: skip
