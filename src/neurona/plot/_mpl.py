"""matplotlib, imported only when a figure is drawn; headless figures; atomic saving.

No pyplot: a figure is a `matplotlib.figure.Figure` with its own `FigureCanvasAgg`, so drawing works on
a machine without a display, touches no global figure list and leaks nothing when it goes out of scope.
`import neurona` and `import neurona.plot` never import matplotlib; the first figure does.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..utils.io import atomic_writer

if TYPE_CHECKING:
    from matplotlib.figure import Figure

INSTALL_HINT = 'pip install "neurona[plots]"'
FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

# The TF Playground's colours: orange for negative / class 0, a light grey for zero, blue for positive.
ORANGE, GREY, BLUE = "#f59322", "#e8eaeb", "#0877bd"


def matplotlib_module(name: str = "matplotlib") -> Any:
    """Import `name` (a matplotlib module) or raise an ImportError that says how to install it."""
    try:
        importlib.import_module("matplotlib")  # first, so that a missing package fails here
        return importlib.import_module(name)
    except ImportError as error:
        raise ImportError(
            f"neurona.plot draws with matplotlib, which is not installed (importing {name!r} failed: "
            f"{error}). Install it with: {INSTALL_HINT}"
        ) from error


def available() -> bool:
    """Whether matplotlib can be imported, i.e. whether the `neurona.plot` functions can draw."""
    try:
        matplotlib_module()
    except ImportError:
        return False
    return True


def figure(*, figsize: tuple[float, float] = (6.4, 4.8), dpi: float = 100) -> Figure:
    """A new headless figure (constrained layout, an Agg canvas attached), not registered with pyplot.

    Draw on it with the usual object API (`ax = fig.add_subplot()`), then `save(fig, "out.png")`.
    """
    _check_figsize(figsize, dpi)
    figure_module = matplotlib_module("matplotlib.figure")
    backend_agg = matplotlib_module("matplotlib.backends.backend_agg")
    fig = figure_module.Figure(figsize=figsize, dpi=dpi, layout="constrained")
    backend_agg.FigureCanvasAgg(fig)
    return fig


def save(fig: Figure, path: str | os.PathLike[str], *, dpi: float | None = None) -> Path:
    """Write `fig` to `path` as PNG, SVG or PDF (chosen by the extension), atomically.

    The image goes to a temporary file in the same folder, which then replaces `path`: a reader never
    sees a half-written file. The folder is created if needed. Returns the path written.
    """
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise ValueError(
            "The plot file name must end in .png, .svg or .pdf (the extension chooses the format). "
            f"Received: path={str(path)!r}"
        )
    with atomic_writer(target, "wb") as handle:
        fig.savefig(handle, format=fmt, dpi=dpi if dpi is not None else "figure")
    return target


def finish(fig: Figure, path: str | os.PathLike[str] | None) -> Figure:
    """Save `fig` when a path was given; return it either way."""
    if path is not None:
        save(fig, path)
    return fig


def playground_cmap() -> Any:
    """The diverging orange → grey → blue colour map of the TF Playground (a new object per call)."""
    colors = matplotlib_module("matplotlib.colors")
    return colors.LinearSegmentedColormap.from_list("playground", [ORANGE, GREY, BLUE])


def _check_figsize(figsize: Any, dpi: Any) -> None:
    try:
        width, height = (float(v) for v in figsize)
    except (TypeError, ValueError):
        raise ValueError(
            f"`figsize` must be (width, height) in inches. Received: figsize={figsize!r}"
        ) from None
    if not (width > 0 and height > 0):
        raise ValueError(f"`figsize` must be two positive numbers of inches. Received: figsize={figsize!r}")
    if isinstance(dpi, bool) or not isinstance(dpi, (int, float)) or not dpi > 0:
        raise ValueError(f"`dpi` must be a positive number. Received: dpi={dpi!r}")
