"""`confusion_matrix`: which classes the model confuses, as a grid of counts (or rates)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ._data import as_array, check_lengths, class_ids
from ._mpl import figure, finish

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NORMALIZE = (None, "true", "pred", "all")


def confusion_counts(
    y_true: np.ndarray, y_pred: np.ndarray, labels: Sequence[int], normalize: str | None = None
) -> np.ndarray:
    """The matrix drawn: entry [i, j] counts the samples of true class labels[i] predicted as labels[j].

    `normalize` as in scikit-learn: "true" divides each row by its sum (recall per class on the diagonal),
    "pred" each column (precision), "all" the whole matrix; an empty row or column stays 0.

    >>> confusion_counts(np.array([0, 0, 1, 2]), np.array([0, 1, 1, 2]), [0, 1, 2])
    array([[1., 1., 0.],
           [0., 1., 0.],
           [0., 0., 1.]])
    """
    rows, row_found = _positions(y_true, labels)
    columns, column_found = _positions(y_pred, labels)
    keep = row_found & column_found  # samples of other classes are left out, as in scikit-learn
    counts = np.zeros((len(labels), len(labels)))
    np.add.at(counts, (rows[keep], columns[keep]), 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        if normalize == "true":
            counts = counts / counts.sum(axis=1, keepdims=True)
        elif normalize == "pred":
            counts = counts / counts.sum(axis=0, keepdims=True)
        elif normalize == "all":
            counts = counts / counts.sum()
    return np.nan_to_num(counts)


def _positions(values: np.ndarray, labels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """The index of each value in `labels`, and whether it is there at all."""
    labels = np.asarray(labels)
    order = np.argsort(labels, kind="stable")
    at = np.clip(np.searchsorted(labels[order], values), 0, len(labels) - 1)
    return order[at], labels[order][at] == values


def confusion_matrix(
    y_true: Any,
    y_pred: Any,
    *,
    labels: Sequence[int] | None = None,
    display_labels: Sequence[str] | None = None,
    normalize: str | None = None,
    cmap: str = "Blues",
    title: str | None = None,
    figsize: tuple[float, float] | None = None,
    dpi: float = 100,
    path: str | os.PathLike[str] | None = None,
) -> Figure:
    """The confusion matrix as an image with the number in every cell; rows: true class, columns: predicted.

    Args:
        y_true: class ids, or one-hot rows.
        y_pred: class ids, or the model's outputs: probabilities or logits per class (the argmax is taken),
            or one probability per sample (class 1 when it exceeds 0.5).
        labels: the class ids to show, in order (as scikit-learn's `labels`); default: every id in
            `y_true` or `y_pred`, sorted. Samples of other classes are left out.
        display_labels: names written on the axes instead of the ids.
        normalize: None (counts), "true" (each row sums to 1), "pred" (each column), "all" (the matrix).
        cmap, title, figsize, dpi, path: colour map, title (default: accuracy and sample count), size,
            resolution, and where to save it (.png/.svg/.pdf).
    """
    if normalize not in NORMALIZE:
        raise ValueError(f"`normalize` must be one of {NORMALIZE}. Received: normalize={normalize!r}")
    truth = class_ids(as_array(y_true, "y_true"), "y_true")
    predicted = class_ids(as_array(y_pred, "y_pred"), "y_pred")
    n = check_lengths(y_true=truth, y_pred=predicted)
    if labels is None:
        labels = np.union1d(truth, predicted).tolist()
    else:
        labels = [int(label) for label in labels]
        if not labels or len(set(labels)) != len(labels):
            raise ValueError(f"`labels` must list distinct class ids. Received: labels={labels!r}")
    names = [str(label) for label in labels] if display_labels is None else [str(n) for n in display_labels]
    if len(names) != len(labels):
        raise ValueError(
            f"`display_labels` must have one name per class ({len(labels)}). Received {len(names)}: {names}"
        )
    matrix = confusion_counts(truth, predicted, labels, normalize)
    k = len(labels)

    side = max(3.5, 0.45 * k + 2.0)
    fig = figure(figsize=figsize or (side + 0.8, side), dpi=dpi)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap=cmap, vmin=0, interpolation="nearest")
    image.set_gid("matrix")
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if k <= 30:
        dark = matrix.max() / 2 if matrix.max() > 0 else 1.0
        for i in range(k):
            for j in range(k):
                value = matrix[i, j]
                ax.text(
                    j, i, f"{value:.0f}" if normalize is None else f"{value:.2f}", ha="center", va="center",
                    fontsize=max(6, 11 - k // 3), color="white" if value > dark else "black", gid=f"cell_{i}_{j}",
                )  # fmt: skip
    ax.set_xticks(range(k), names, rotation=45 if max(map(len, names)) > 3 else 0)
    ax.set_yticks(range(k), names)
    ax.set_xlabel("predicted label")
    ax.set_ylabel("true label")
    accuracy = float(np.mean(truth == predicted))
    ax.set_title(title if title is not None else f"accuracy {accuracy:.3f} on {n} samples", fontsize=10)
    return finish(fig, path)
