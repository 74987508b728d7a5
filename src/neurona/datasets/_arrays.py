"""Shared helpers for the Keras-format loaders: reading `.npz` arrays safely and Keras's seeded split."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from ._files import DatasetFileError

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


def read_npz(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named numeric arrays of an `.npz` file, read with `allow_pickle=False`."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            missing = [key for key in keys if key not in archive.files]
            if missing:
                raise DatasetFileError(
                    f"{str(path)!r} has no array(s) {missing}. Found: {sorted(archive.files)}. "
                    "Expected the file layout Keras publishes."
                )
            return {key: archive[key] for key in keys}
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise DatasetFileError(
            f"{str(path)!r} is not a valid .npz file ({error}); it may be truncated."
        ) from None


def check_test_split(test_split: float) -> None:
    if isinstance(test_split, bool) or not isinstance(test_split, (int, float)) or not 0 <= test_split < 1:
        raise ValueError(f"`test_split` must be in [0, 1). Received: test_split={test_split!r}")


def shuffled_split(
    x: np.ndarray, y: np.ndarray, test_split: float, seed: int
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Keras's split for boston/california housing: `np.random.RandomState(seed)` shuffles the indices,
    then the first `int(n · (1 - test_split))` are the training set (same rows as Keras for a seed)."""
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    split = int(len(x) * (1 - test_split))
    return (x[:split].copy(), y[:split].copy()), (x[split:].copy(), y[split:].copy())
