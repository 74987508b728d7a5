"""TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy and Sum: hand-worked values and Keras's own
(keras/src/metrics/accuracy_metrics_test.py, reduction_metrics.py docstrings)."""

import numpy as np
import pytest

from neurona import metrics

Y_PRED = [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]


def test_top_k_keras_case():
    # Keras: TopKCategoricalAccuracyTest: k=1 → argmax [1, 1] vs true [2, 1] → 0.5; weights [0.7, 0.3] → 0.3
    m = metrics.TopKCategoricalAccuracy(k=1)
    assert m([[0, 0, 1], [0, 1, 0]], Y_PRED) == pytest.approx(0.5)
    m = metrics.TopKCategoricalAccuracy(k=1)
    assert m([[0, 0, 1], [0, 1, 0]], Y_PRED, sample_weight=[0.7, 0.3]) == pytest.approx(0.3)
    # k=2: class 2 (0.8) is second in row 0 → both hit
    assert metrics.TopKCategoricalAccuracy(k=2)([[0, 0, 1], [0, 1, 0]], Y_PRED) == 1.0


@pytest.mark.parametrize("labels", [[2, 1], [[2], [1]]], ids=["flat", "column"])
def test_sparse_top_k_keras_case(labels):
    # Keras: SparseTopKCategoricalAccuracyTest: k=1 → 0.5; weights [0.7, 0.3] → 0.3
    assert metrics.SparseTopKCategoricalAccuracy(k=1)(np.array(labels), Y_PRED) == pytest.approx(0.5)
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    assert m(np.array(labels), Y_PRED, sample_weight=[0.7, 0.3]) == pytest.approx(0.3)


def test_default_k_is_5():
    # 6 classes, the target has the 6th-largest score → miss with k=5; with a 5th-largest score → hit
    scores = [[0.6, 0.5, 0.4, 0.3, 0.2, 0.1]]
    assert metrics.SparseTopKCategoricalAccuracy()([5], scores) == 0.0
    assert metrics.SparseTopKCategoricalAccuracy()([4], scores) == 1.0
    assert metrics.SparseTopKCategoricalAccuracy().k == 5


def test_ties_at_the_boundary_count_as_hits():
    # scores [0.5, 0.5, 0.5], k=1: every class ties with the largest score, so every label is "in the top 1"
    # (Keras's in_top_k: label score ≥ k-th largest score)
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    assert m([0, 1, 2], [[0.5, 0.5, 0.5]] * 3) == 1.0


def test_k_larger_than_the_number_of_classes():
    assert metrics.SparseTopKCategoricalAccuracy(k=10)([2], [[0.7, 0.2, 0.1]]) == 1.0


def test_from_sorted_ids():
    # y_pred holds class ids, best first: row 0 [1, 2, 0] → top 2 {1, 2} contains 2 → hit;
    # row 1 [0, 2, 1] → {0, 2} lacks 1 → miss → 0.5
    m = metrics.SparseTopKCategoricalAccuracy(k=2, from_sorted_ids=True)
    assert m([2, 1], [[1, 2, 0], [0, 2, 1]]) == pytest.approx(0.5)
    assert m.get_config()["from_sorted_ids"] is True


def test_top_k_accumulates_and_resets():
    # batch 1: 1 hit of 2; batch 2: 1 hit of 1 → 2/3
    m = metrics.SparseTopKCategoricalAccuracy(k=1)
    m.update_state([2, 1], Y_PRED)
    m.update_state([0], [[0.9, 0.1, 0.0]])
    assert m.result() == pytest.approx(2 / 3)
    m.reset_state()
    assert m.result() == 0.0


def test_top_k_config_round_trip():
    # Keras: TopKCategoricalAccuracyTest.test_config
    m = metrics.TopKCategoricalAccuracy(k=1, name="top1")
    config = m.get_config()
    assert config == {"name": "top1", "dtype": "float32", "k": 1}
    assert metrics.TopKCategoricalAccuracy.from_config(config).k == 1


def test_bad_k():
    with pytest.raises(ValueError, match="`k` must be a positive integer"):
        metrics.TopKCategoricalAccuracy(k=0)


def test_sum():
    # Keras docstring: [1, 3, 5, 7] → 16; weights [1, 1, 0, 0] → 4; then + 10·0.5 → 9
    assert metrics.Sum()([1, 3, 5, 7]) == 16.0
    m = metrics.Sum()
    assert m([1, 3, 5, 7], sample_weight=[1, 1, 0, 0]) == 4.0
    assert m([10], sample_weight=[0.5]) == 9.0
    m.reset_state()
    assert m.result() == 0.0
    assert metrics.Sum().name == "sum"


def test_sum_row_weights_on_a_matrix():
    # rows [1, 2] and [3, 4] with weights [2, 0] → 2·(1 + 2) = 6
    assert metrics.Sum()([[1, 2], [3, 4]], sample_weight=[2, 0]) == 6.0
