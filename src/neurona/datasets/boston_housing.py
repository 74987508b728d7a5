"""Boston housing prices, as `keras.datasets.boston_housing.load_data`: 506 rows of 13 features."""

from __future__ import annotations

import os

import numpy as np

from ._arrays import KERAS_ORIGIN, check_test_split, read_npz, shuffled_split
from ._files import get_file

ORIGIN = KERAS_ORIGIN + "boston_housing.npz"
FILE_HASH = "f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5"


def load_data(
    path: str | os.PathLike = "boston_housing.npz", test_split: float = 0.2, seed: int = 113
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: float64 features (n, 13) and prices in k$ (n,); by default
    404 training and 102 test rows, split as Keras splits them for the same `seed`."""
    check_test_split(test_split)
    file = get_file(path, default_name="boston_housing.npz", origin=ORIGIN, file_hash=FILE_HASH)
    arrays = read_npz(file, ("x", "y"))
    return shuffled_split(arrays["x"], arrays["y"], test_split, seed)
