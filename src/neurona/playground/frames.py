"""Heatmaps for the wire (protocol §3.3): the network's outputs over the [−6, 6]² grid as bytes.

A heatmap `H` is `{"w", "h", "min", "max", "data"}`: `data` is base64 of w·h uint8 values, row-major,
the first row at the top (X2 = +6), X1 increasing along a row; values map linearly from [min, max] to
0..255, clamped (NaN → the middle, 128). The grid's cell centres are 100 evenly spaced values from −6 to 6
on each axis, as the TF Playground's `HeatMap(…, DENSITY = 100, [−6, 6], [−6, 6])`; a neuron's 10×10
thumbnail averages 10×10 blocks (`reduceMatrix`). Multiclass outputs carry `"classes": k` and two bytes
per cell: the argmax class and the confidence (the largest probability · 255).

>>> import numpy as np
>>> h = encode(np.zeros((2, 2)))
>>> h["w"], h["h"], h["min"], h["max"], base64.b64decode(h["data"])
(2, 2, -1.0, 1.0, b'\\x80\\x80\\x80\\x80')
"""

from __future__ import annotations

import base64
import math
from typing import Any

import numpy as np

DENSITY = 100
THUMBNAIL = 10
DOMAIN = 6.0


def grid_points(density: int = DENSITY) -> np.ndarray:
    """(density², 2) points (X1, X2), row-major from the top row (X2 = +6) down."""
    axis = np.linspace(-DOMAIN, DOMAIN, density)
    x1, x2 = np.meshgrid(axis, axis[::-1])
    return np.stack([x1.ravel(), x2.ravel()], axis=1)


def to_bytes(values: np.ndarray, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    """`values` mapped linearly from [low, high] to 0..255 (clamped; NaN → 128) as uint8."""
    with np.errstate(all="ignore"):
        scaled = (np.asarray(values, dtype="float64") - low) / (high - low) * 255
        scaled = np.where(np.isnan(scaled), 128, np.clip(np.rint(scaled), 0, 255))
    return scaled.astype(np.uint8)


def encode(values: np.ndarray, low: float = -1.0, high: float = 1.0) -> dict[str, Any]:
    """A heatmap `H` of a (h, w) array."""
    h, w = values.shape
    data = base64.b64encode(to_bytes(values, low, high).tobytes()).decode("ascii")
    return {"w": int(w), "h": int(h), "min": float(low), "max": float(high), "data": data}


def encode_classes(probabilities: np.ndarray, density: int = DENSITY) -> dict[str, Any]:
    """A multiclass heatmap from (density², k) probabilities: per cell the argmax class and
    round(255 · its probability), interleaved."""
    k = probabilities.shape[1]
    with np.errstate(all="ignore"):
        winner = np.argmax(np.nan_to_num(probabilities, nan=-1.0), axis=1)
        confidence = to_bytes(probabilities[np.arange(len(winner)), winner], 0.0, 1.0)
    data = np.stack([winner.astype(np.uint8), confidence], axis=1).tobytes()
    return {
        "w": density,
        "h": density,
        "min": 0.0,
        "max": 1.0,
        "classes": int(k),
        "data": base64.b64encode(data).decode("ascii"),
    }


def reduce(matrix: np.ndarray, size: int = THUMBNAIL) -> np.ndarray:
    """The mean of each block of a square matrix, as a (size, size) matrix (`reduceMatrix`)."""
    block = matrix.shape[0] // size
    return matrix.reshape(size, block, size, block).mean(axis=(1, 3))


def finite(value: Any) -> float | None:
    """A float for JSON, or None when it is NaN or infinite (JSON has no NaN)."""
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def rounded(array: np.ndarray, digits: int = 6) -> list[Any]:
    """A nested list of floats rounded to `digits` decimals, None for NaN or infinity."""
    values = np.round(np.asarray(array, dtype="float64"), digits)
    if np.isfinite(values).all():
        return values.tolist()
    return np.where(np.isfinite(values), values, None).tolist()
