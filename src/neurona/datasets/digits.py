"""The 8×8 handwritten digits that ship with scikit-learn (UCI optdigits test set): 1 797 images of the
digits 0–9, pixels 0–16. Real data that needs no download, for the quickstart and the tests."""

from __future__ import annotations

import numpy as np

from ..utils.rng import make_generator


def load_data(
    test_split: float = 0.2, seed: int = 113
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)` like `keras.datasets.mnist.load_data()`, but 8×8:
    `x` is uint8 of shape (n, 8, 8) with values 0–16, `y` uint8 labels 0–9. The split is a seeded shuffle.

    Needs scikit-learn (`pip install "neurona[examples]"`), which carries the data inside the package.
    """
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise ImportError(
            "neurona.datasets.digits needs scikit-learn, which ships the digits data: "
            "pip install 'neurona[examples]' (or pip install scikit-learn)."
        ) from None
    if not 0 < test_split < 1:
        raise ValueError(f"`test_split` must be strictly between 0 and 1. Received: test_split={test_split}")
    bunch = load_digits()
    images = bunch.images.astype(np.uint8)
    labels = bunch.target.astype(np.uint8)
    order = make_generator(seed).permutation(len(labels))
    split = int(len(labels) * (1 - test_split))
    train, test = order[:split], order[split:]
    return (images[train], labels[train]), (images[test], labels[test])
