"""The Playground's seven input features: functions of a point (X1, X2), as the TF Playground's `INPUTS`.

>>> import numpy as np
>>> feature_matrix(np.array([[1.0, 2.0]]), ("x", "xTimesY", "ySquared")).tolist()
[[1.0, 2.0, 4.0]]
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

#: The feature keys in the order the Playground lists them (and the first layer's input columns follow).
FEATURES: tuple[str, ...] = ("x", "y", "xSquared", "ySquared", "xTimesY", "sinX", "sinY")

#: How each feature is shown.
LABELS: dict[str, str] = {
    "x": "X₁",
    "y": "X₂",
    "xSquared": "X₁²",
    "ySquared": "X₂²",
    "xTimesY": "X₁X₂",
    "sinX": "sin(X₁)",
    "sinY": "sin(X₂)",
}

_FUNCTIONS: dict[str, Callable[[np.ndarray, np.ndarray], np.ndarray]] = {
    "x": lambda x1, x2: x1,
    "y": lambda x1, x2: x2,
    "xSquared": lambda x1, x2: x1 * x1,
    "ySquared": lambda x1, x2: x2 * x2,
    "xTimesY": lambda x1, x2: x1 * x2,
    "sinX": lambda x1, x2: np.sin(x1),
    "sinY": lambda x1, x2: np.sin(x2),
}


def check_features(names: Sequence[str]) -> tuple[str, ...]:
    """`names` in the canonical order of `FEATURES`; ValueError for an unknown name or an empty list."""
    unknown = [name for name in names if name not in FEATURES]
    if unknown:
        raise ValueError(f"Unknown input feature(s) {unknown}. Expected some of {list(FEATURES)}.")
    if not names:
        raise ValueError(f"At least one input feature must be on. Choose some of {list(FEATURES)}.")
    return tuple(name for name in FEATURES if name in names)


def feature_matrix(points: np.ndarray, names: Sequence[str], dtype: str = "float32") -> np.ndarray:
    """The features `names` (in the order given) of `points` (n, 2): an (n, len(names)) array."""
    points = np.asarray(points, dtype="float64")
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(
            f"`points` must have shape (n, 2): one (X1, X2) per row. Received shape {points.shape}."
        )
    unknown = [name for name in names if name not in _FUNCTIONS]
    if unknown or not names:
        raise ValueError(
            f"Unknown or no feature names. Received: {list(names)}. Expected some of {FEATURES}."
        )
    x1, x2 = points[:, 0], points[:, 1]
    return np.stack([_FUNCTIONS[name](x1, x2) for name in names], axis=1).astype(dtype)
