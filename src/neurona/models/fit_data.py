"""The model-dependent part of data preparation in `fit`: DataFrame column memory and the validation split.

The data adapter (`neurona.data`) knows arrays and DataFrames but not models; this module knows which
columns a model was trained on and whether its loss is a classification loss (for the stratified split and
the one-class warning).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..data import frames, splits

_CLASSIFICATION_WORDS = ("crossentropy", "hinge", "focal")


def align_frame(model: Any, x: Any, remember: bool) -> Any:
    """`x` with a DataFrame's columns put in the order the model was fit on.

    At `fit` (`remember=True`) a DataFrame's column names are recorded in `model.feature_names`; if the
    model was already fit on the same columns in another order, they are reordered to that order (the
    weights belong to it), and a different set of columns replaces the recorded names. Elsewhere a
    DataFrame with the recorded columns in another order is reordered; missing or extra columns raise.
    """
    if not frames.is_dataframe(x):
        return x
    names = frames.column_names(x)
    known = model.feature_names
    if remember:
        if known is not None and sorted(names) == sorted(known):
            return frames.align_columns(x, known)
        model.feature_names = names
        return x
    if known is None:
        return x
    return frames.align_columns(x, known)


def loss_name(loss: Any) -> str:
    if isinstance(loss, str):
        return loss.lower()
    name = getattr(loss, "name", None) or getattr(loss, "__name__", None) or type(loss).__name__
    return str(name).lower()


def is_classification(model: Any) -> bool:
    """Whether the (single) compiled loss is a classification loss (cross-entropy, hinge, focal)."""
    loss = model._compile_args.get("loss")
    if isinstance(loss, (list, tuple)):
        loss = loss[0] if len(loss) == 1 else None
    if isinstance(loss, dict):
        loss = next(iter(loss.values())) if len(loss) == 1 else None
    if loss is None:
        return False
    name = loss_name(loss).replace("_", "")
    return name in ("ce",) or any(word in name for word in _CLASSIFICATION_WORDS)


def split_for_fit(
    model: Any,
    arrays: tuple[Any, Any, Any],
    validation_split: float,
    shuffle: bool,
    stratify: bool,
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """`fit`'s split of (xs, ys, sw): Keras's last fraction, or a shuffled or stratified one."""
    for name, value in (("validation_shuffle", shuffle), ("validation_stratify", stratify)):
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(f"`{name}` must be True or False. Received: {name}={value!r}")
    xs, ys, sw = arrays
    labels = None
    if stratify:
        if len(ys) != 1:
            raise ValueError(
                f"validation_stratify=True needs a model with one output (one label array); this model has "
                f"{len(ys)}. Use validation_shuffle=True, or split the data yourself with "
                "neurona.data.train_validation_split."
            )
        labels = splits.class_labels(ys[0], "y")
    validation_split = splits.check_validation_split(validation_split)
    n = len(xs[0])
    train_index, val_index = splits.split_indices(n, validation_split, shuffle=shuffle, stratify=labels)
    if not shuffle and not stratify and len(ys) == 1 and is_classification(model):
        splits.warn_if_single_class(ys[0], val_index)
    train = tuple(splits.take_rows(a, train_index) for a in (xs, ys, sw))
    val = tuple(splits.take_rows(a, val_index) for a in (xs, ys, sw))
    return train, val
