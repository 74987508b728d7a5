"""MNIST handwritten digits, as `keras.datasets.mnist.load_data`: 60 000 + 10 000 uint8 images 28×28."""

from __future__ import annotations

import os

import numpy as np

from ._arrays import KERAS_ORIGIN, read_npz
from ._files import get_file

ORIGIN = KERAS_ORIGIN + "mnist.npz"
FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(
    path: str | os.PathLike = "mnist.npz",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: uint8 images (60000, 28, 28) and (10000, 28, 28), pixels
    0–255; uint8 labels 0–9. `path` is relative to the cache folder, or an absolute path to your copy."""
    file = get_file(path, default_name="mnist.npz", origin=ORIGIN, file_hash=FILE_HASH)
    arrays = read_npz(file, ("x_train", "y_train", "x_test", "y_test"))
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])
