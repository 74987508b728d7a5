"""`plot.confusion_matrix`: the numbers in the cells are the hand-counted (true, predicted) pairs."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from neurona import plot  # noqa: E402

Y_TRUE = [0, 0, 1, 2, 2, 2]
Y_PRED = [0, 1, 1, 2, 0, 2]
# rows: true class, columns: predicted
#   true 0: predicted 0 once, 1 once        → [1, 1, 0]
#   true 1: predicted 1 once                → [0, 1, 0]
#   true 2: predicted 2 twice, 0 once       → [1, 0, 2]
COUNTS = np.array([[1, 1, 0], [0, 1, 0], [1, 0, 2]])


def cells(fig):
    k = int(np.sqrt(len([t for t in fig.axes[0].texts if t.get_gid().startswith("cell_")])))
    by_gid = {t.get_gid(): t.get_text() for t in fig.axes[0].texts}
    return [[by_gid[f"cell_{i}_{j}"] for j in range(k)] for i in range(k)]


def matrix(fig):
    return np.asarray(fig.axes[0].images[0].get_array())


def test_cells_hold_the_counts(images):
    fig = plot.confusion_matrix(Y_TRUE, Y_PRED)
    assert cells(fig) == COUNTS.astype(str).tolist()
    np.testing.assert_array_equal(matrix(fig), COUNTS)
    assert fig.axes[0].get_title() == "accuracy 0.667 on 6 samples"  # 4 of 6 on the diagonal
    images.assert_not_blank(fig, min_colors=10)


def test_probabilities_and_one_hot_rows_are_argmaxed():
    probabilities = np.eye(3)[Y_PRED] * 0.7 + 0.1  # rows like [0.8, 0.1, 0.1]: argmax is the class
    fig = plot.confusion_matrix(np.eye(3)[Y_TRUE], probabilities)
    assert cells(fig) == COUNTS.astype(str).tolist()


def test_one_probability_per_sample_is_thresholded_at_one_half():
    # predicted: 0.2 → 0, 0.7 → 1, 0.4 → 0, 0.9 → 1;  pairs (0,0) (0,1) (1,0) (1,1)
    fig = plot.confusion_matrix([0, 0, 1, 1], np.array([[0.2], [0.7], [0.4], [0.9]]))
    assert cells(fig) == [["1", "1"], ["1", "1"]]


def test_normalize_true_rows_pred_columns_all_the_matrix_sum_to_one():
    rows = matrix(plot.confusion_matrix(Y_TRUE, Y_PRED, normalize="true"))
    np.testing.assert_allclose(rows.sum(axis=1), 1)
    np.testing.assert_allclose(rows[2], [1 / 3, 0, 2 / 3])
    assert cells(plot.confusion_matrix(Y_TRUE, Y_PRED, normalize="true"))[0] == ["0.50", "0.50", "0.00"]
    np.testing.assert_allclose(matrix(plot.confusion_matrix(Y_TRUE, Y_PRED, normalize="pred")).sum(axis=0), 1)
    np.testing.assert_allclose(matrix(plot.confusion_matrix(Y_TRUE, Y_PRED, normalize="all")).sum(), 1)


def test_an_empty_row_stays_zero_when_normalized():
    rows = matrix(plot.confusion_matrix([0, 0], [0, 1], labels=[0, 1], normalize="true"))
    np.testing.assert_allclose(rows, [[0.5, 0.5], [0, 0]])


def test_labels_choose_and_order_the_classes_display_labels_name_them():
    fig = plot.confusion_matrix(Y_TRUE, Y_PRED, labels=[2, 0], display_labels=["two", "zero"])
    assert cells(fig) == [["2", "1"], ["0", "1"]]  # (2,2)=2 (2,0)=1 / (0,2)=0 (0,0)=1; class 1 left out
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["two", "zero"]


def test_matches_scikit_learn():
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 5, 200), rng.integers(0, 5, 200)
    for normalize in (None, "true", "pred", "all"):
        ours = matrix(plot.confusion_matrix(y_true, y_pred, normalize=normalize, dpi=30))
        np.testing.assert_allclose(ours, metrics.confusion_matrix(y_true, y_pred, normalize=normalize))


@pytest.mark.parametrize(
    "y_true, y_pred, kwargs, error, match",
    [
        (Y_TRUE, Y_PRED, {"normalize": "rows"}, ValueError, "normalize"),
        (Y_TRUE, Y_PRED[:4], {}, ValueError, "y_true has 6, y_pred has 4"),
        (Y_TRUE, Y_PRED, {"display_labels": ["a"]}, ValueError, "one name per class"),
        (Y_TRUE, Y_PRED, {"labels": [0, 0]}, ValueError, "distinct"),
        (np.zeros((2, 2, 2)), Y_PRED, {}, ValueError, r"shape \(2, 2, 2\)"),
        ([0.5, 1.5], [0, 1], {}, ValueError, "whole class ids"),
        (["a", "b"], [0, 1], {}, TypeError, "numbers"),
        ([], [], {}, ValueError, "empty"),
    ],
)
def test_bad_inputs_raise_clear_errors(y_true, y_pred, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot.confusion_matrix(y_true, y_pred, **kwargs)
