"""The small real data sets that ship inside scikit-learn (no download): digits, wine, iris,
breast_cancer, diabetes.

`load(name)` gives `(x, y)` as NumPy arrays, or a pandas DataFrame and Series with `as_frame=True`;
with `test_split=0.2` it gives `(x_train, y_train), (x_test, y_test)` after a seeded shuffle.
Needs scikit-learn (`pip install "neurona[examples]"`); `as_frame=True` also needs pandas.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..utils.rng import make_generator

NAMES = ("digits", "wine", "iris", "breast_cancer", "diabetes")


def _sklearn_loader(name: str):
    try:
        from sklearn import datasets
    except ImportError:
        raise ImportError(
            f"neurona.datasets.toy.load({name!r}) needs scikit-learn, which ships these data sets: "
            "pip install 'neurona[examples]' (or pip install scikit-learn)."
        ) from None
    return getattr(datasets, f"load_{name}")


def load(name: str, *, as_frame: bool = False, test_split: float | None = None, seed: int = 113) -> Any:
    """One of scikit-learn's bundled data sets.

    Returns `(x, y)` when `test_split` is None, else `(x_train, y_train), (x_test, y_test)`: a seeded
    shuffle, then the last `test_split` fraction is the test set. `x` is float64 (n, features) and `y`
    int64 class labels (float64 targets for `diabetes`); with `as_frame=True`, a DataFrame with the
    feature names and a Series named "target".
    """
    if name not in NAMES:
        raise ValueError(f"Unknown toy data set. Received: name={name!r}. Expected one of {NAMES}.")
    if test_split is not None and not (isinstance(test_split, (int, float)) and 0 < test_split < 1):
        raise ValueError(
            f"`test_split` must be None or strictly between 0 and 1. Received: test_split={test_split!r}"
        )
    loader = _sklearn_loader(name)
    if as_frame:
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise ImportError(
                "`as_frame=True` needs pandas: pip install pandas (or pass as_frame=False for arrays)."
            ) from None
        x, y = loader(return_X_y=True, as_frame=True)
    else:
        x, y = loader(return_X_y=True)
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y)
    if test_split is None:
        return x, y
    order = make_generator(seed).permutation(len(y))
    split = int(len(y) * (1 - test_split))
    train, test = order[:split], order[split:]
    if as_frame:
        return (x.iloc[train], y.iloc[train]), (x.iloc[test], y.iloc[test])
    return (x[train], y[train]), (x[test], y[test])


load_toy = load
