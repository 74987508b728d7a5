"""California housing prices, as `keras.datasets.california_housing.load_data`: 20 640 rows of 8
features (MedInc, HouseAge, AveRooms, AveBedrms, Population, AveOccup, Latitude, Longitude); the target
is the median house value in dollars. `version="small"` keeps the first 600 rows."""

from __future__ import annotations

import os

import numpy as np

from ._arrays import KERAS_ORIGIN, check_test_split, read_npz, shuffled_split
from ._files import get_file

ORIGIN = KERAS_ORIGIN + "california_housing.npz"
FILE_HASH = "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f"
VERSIONS = ("small", "large")


def load_data(
    version: str = "large",
    path: str | os.PathLike = "california_housing.npz",
    test_split: float = 0.2,
    seed: int = 113,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: features (n, 8) and targets (n,), split as Keras splits
    them for the same `seed`."""
    check_test_split(test_split)
    if version not in VERSIONS:
        raise ValueError(f"`version` must be one of {VERSIONS}. Received: version={version!r}")
    file = get_file(path, default_name="california_housing.npz", origin=ORIGIN, file_hash=FILE_HASH)
    arrays = read_npz(file, ("x", "y"))
    x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffled_split(x, y, test_split, seed)
