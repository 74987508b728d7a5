"""Train/validation splits: Keras's (the last fraction, as given), shuffled, and stratified.

Keras's `validation_split` holds out the LAST fraction of the arrays before any shuffling, so sorted data
gives a validation set with one class. neurona keeps that as the default (Keras code gives Keras numbers)
and adds scikit-learn-style options: a seeded shuffled split and a stratified split that keeps the class
proportions of a classification target. All three hold out the same number of samples,
`n − floor(n · (1 − validation_split))`.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..utils.rng import make_generator
from ..utils.tree import flatten, map_structure


def take_rows(structure: Any, index: Any) -> Any:
    if structure is None:
        return None
    return map_structure(lambda a: a[index], structure)


def check_validation_split(validation_split: Any) -> float:
    if (
        isinstance(validation_split, bool)
        or not isinstance(validation_split, (int, float))
        or not 0 < validation_split < 1
    ):
        raise ValueError(
            "`validation_split` must be a float strictly between 0 and 1 (e.g. 0.2). "
            f"Received: validation_split={validation_split!r}"
        )
    return float(validation_split)


def split_point(n: int, validation_split: float) -> int:
    """Keras's `split_at = floor(n · (1 − validation_split))`; raises when one side would be empty."""
    split_at = int(np.floor(n * (1.0 - validation_split)))
    if split_at == 0 or split_at == n:
        side = "training" if split_at == 0 else "validation"
        raise ValueError(
            f"validation_split={validation_split} leaves an empty {side} set: with {n} samples the split falls "
            f"at {split_at}. Use a split that keeps samples on both sides, or pass more data."
        )
    return split_at


def class_labels(y: Any, name: str = "y") -> np.ndarray:
    """One integer-like label per sample: one-hot rows → their argmax; (n,) or (n, 1) → the values.

    Raises for targets that are not class labels (fractional values, several columns that are not
    one-hot), because stratifying them means nothing.
    """
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] > 1:
        one_hot = np.isin(y, (0, 1)).all() and np.all(y.sum(axis=1) == 1)
        if not one_hot:
            raise ValueError(
                f"Stratifying needs class labels, but `{name}` has shape {y.shape} and its rows are not one-hot. "
                "Pass sparse labels (n,) or one-hot rows, or use validation_shuffle=True instead."
            )
        return np.argmax(y, axis=1)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(
            f"Stratifying needs one class label per sample, but `{name}` has shape {y.shape}. "
            "Pass labels of shape (n,), (n, 1) or one-hot (n, classes)."
        )
    if y.dtype.kind == "f" and not np.all(np.mod(y, 1) == 0):
        raise ValueError(
            f"Stratifying needs class labels, but `{name}` holds fractional values (e.g. {y[np.mod(y, 1) != 0][0]}): "
            "it looks like a regression target. Use validation_shuffle=True for a random split instead."
        )
    return y


def _stratified_indices(labels: np.ndarray, n_val: int, rng: np.random.Generator) -> np.ndarray:
    """`n_val` indices drawn per class in proportion to the class counts (largest remainders win)."""
    classes, inverse, counts = np.unique(labels, return_inverse=True, return_counts=True)
    exact = counts * (n_val / len(labels))
    quota = np.floor(exact).astype(np.int64)
    remainder = exact - quota
    # Hand the samples still missing to the classes with the largest remainders (ties: larger class first).
    order = np.lexsort((-counts, -remainder))
    for position in order[: n_val - int(quota.sum())]:
        quota[position] += 1
    chosen = []
    for class_index in range(len(classes)):
        members = np.flatnonzero(inverse == class_index)
        chosen.append(rng.permutation(members)[: quota[class_index]])
    return rng.permutation(np.concatenate(chosen))


def split_indices(
    n: int,
    validation_split: float,
    *,
    shuffle: bool = False,
    stratify: Any = None,
    seed: int | np.random.Generator | None = None,
) -> tuple[np.ndarray | slice, np.ndarray | slice]:
    """(training index, validation index) for `n` samples. `stratify` is the label array or None."""
    validation_split = check_validation_split(validation_split)
    split_at = split_point(n, validation_split)
    if stratify is None and not shuffle:
        return slice(0, split_at), slice(split_at, None)
    rng = make_generator(seed)
    if stratify is None:
        order = rng.permutation(n)
        return order[:split_at], order[split_at:]
    labels = class_labels(stratify)
    if len(labels) != n:
        raise ValueError(f"`stratify` has {len(labels)} labels, but the data has {n} samples.")
    val_index = _stratified_indices(labels, n - split_at, rng)
    keep = np.ones(n, dtype=bool)
    keep[val_index] = False
    return rng.permutation(np.flatnonzero(keep)), val_index


def warn_if_single_class(y: Any, val_index: Any, name: str = "y") -> None:
    """Warn when Keras's split leaves one class in validation while training has several (sorted data)."""
    try:
        labels = class_labels(y, name)
    except ValueError:
        return
    val_classes = np.unique(labels[val_index])
    if len(val_classes) == 1 and len(np.unique(labels)) > 1:
        warnings.warn(
            f"validation_split holds out the LAST samples as given, and they all have class {val_classes[0].item()!r}: "
            "the validation metrics will only measure that class (sorted data?). Shuffle the data first, or "
            "pass validation_shuffle=True or validation_stratify=True to fit.",
            UserWarning,
            stacklevel=4,
        )


def train_validation_split(
    arrays: tuple[Any, ...],
    validation_split: float,
    *,
    shuffle: bool = False,
    stratify: Any = None,
    seed: int | np.random.Generator | None = None,
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """Split every array (or nested list/dict of arrays, or None) in `arrays` into training and validation.

    Default: Keras's split, the LAST `validation_split` fraction as given (before shuffling):
    `split_at = floor(n · (1 − validation_split))`, training = [:split_at], validation = [split_at:].
    `shuffle=True`: a random split (seeded by `seed`, else drawn from neurona's global generator, so
    `neurona.utils.set_random_seed` makes it reproducible). `stratify=labels`: a random split that keeps
    the class proportions of `labels` (sparse labels or one-hot rows) on both sides.

    >>> import numpy as np
    >>> x, y = np.arange(10.0)[:, None], np.array([0] * 5 + [1] * 5)
    >>> (x_train, y_train), (x_val, y_val) = train_validation_split((x, y), 0.2, stratify=y, seed=0)
    >>> sorted(y_val.tolist())
    [0, 1]
    """
    if not isinstance(arrays, (tuple, list)):
        raise TypeError(
            "`arrays` must be a tuple of arrays, e.g. train_validation_split((x, y), 0.2). "
            f"Received: {type(arrays).__name__}"
        )
    present = [a for a in arrays if a is not None]
    if not present:
        raise ValueError("`arrays` holds no arrays to split.")
    n = len(flatten(present[0])[0])
    train_index, val_index = split_indices(n, validation_split, shuffle=shuffle, stratify=stratify, seed=seed)
    train = tuple(take_rows(a, train_index) for a in arrays)
    val = tuple(take_rows(a, val_index) for a in arrays)
    return train, val
