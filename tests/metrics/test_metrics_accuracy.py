"""Accuracy metrics with hand-worked values (keras-api.md §5)."""

import numpy as np
import pytest

from neurona import metrics


def test_accuracy_exact_match():
    # matches: 1≠0, 2=2, 3=3, 4=4 → 3/4
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]])
    assert m.result() == pytest.approx(0.75)


def test_accuracy_sample_weight():
    # matches [0, 1, 1, 1], weights [1, 1, 0, 0] → (0 + 1)/(1 + 1) = 0.5
    m = metrics.Accuracy()
    m.update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]], sample_weight=[[1], [1], [0], [0]])
    assert m.result() == pytest.approx(0.5)


def test_binary_accuracy_default_threshold():
    # y_pred > 0.5 → [1, 1, 0, 1] vs y_true [1, 1, 0, 0] → 3/4
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1], [0], [0]], [[0.98], [1.0], [0.0], [0.6]])
    assert m.result() == pytest.approx(0.75)


def test_binary_accuracy_threshold_is_strict():
    # 0.5 is not > 0.5 → predicted 0; y_true 1 → miss. [0.5, 0.51] vs [1, 1] → 1/2
    m = metrics.BinaryAccuracy()
    m.update_state([[1], [1]], [[0.5], [0.51]])
    assert m.result() == pytest.approx(0.5)


def test_binary_accuracy_custom_threshold():
    # threshold 0.99: [0.98, 1.0, 0.0, 0.6] → [0, 1, 0, 0] vs [1, 1, 0, 0] → 3/4
    # threshold 0.7: → [1, 1, 0, 0] → 4/4
    m = metrics.BinaryAccuracy(threshold=0.99)
    m.update_state([[1], [1], [0], [0]], [[0.98], [1.0], [0.0], [0.6]])
    assert m.result() == pytest.approx(0.75)
    m = metrics.BinaryAccuracy(threshold=0.7)
    m.update_state([[1], [1], [0], [0]], [[0.98], [1.0], [0.0], [0.6]])
    assert m.result() == pytest.approx(1.0)


def test_binary_accuracy_averages_last_axis_per_sample():
    # sample 0: [1, 0] vs pred [0.9 → 1, 0.8 → 1] → 1/2; sample 1: [0, 0] vs [0.1, 0.2] → 2/2
    # mean of per-sample values (0.5 + 1)/2 = 0.75; with weights [3, 1]: (1.5 + 1)/4 = 0.625
    m = metrics.BinaryAccuracy()
    m.update_state([[1, 0], [0, 0]], [[0.9, 0.8], [0.1, 0.2]])
    assert m.result() == pytest.approx(0.75)
    m = metrics.BinaryAccuracy()
    m.update_state([[1, 0], [0, 0]], [[0.9, 0.8], [0.1, 0.2]], sample_weight=[3, 1])
    assert m.result() == pytest.approx(0.625)


def test_categorical_accuracy():
    # argmax true [2, 1], argmax pred [1, 1] → [0, 1] → 0.5; weights [0.7, 0.3] → 0.3/1.0 = 0.3
    y_true = [[0, 0, 1], [0, 1, 0]]
    y_pred = [[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]
    m = metrics.CategoricalAccuracy()
    m.update_state(y_true, y_pred)
    assert m.result() == pytest.approx(0.5)
    m = metrics.CategoricalAccuracy()
    m.update_state(y_true, y_pred, sample_weight=[0.7, 0.3])
    assert m.result() == pytest.approx(0.3)


@pytest.mark.parametrize("y_true", [[2, 1], [[2], [1]]], ids=["flat", "column"])
def test_sparse_categorical_accuracy(y_true):
    # argmax pred [1, 1] vs labels [2, 1] → [0, 1] → 0.5
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(np.array(y_true), np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]]))
    assert m.result() == pytest.approx(0.5)


def test_sparse_categorical_accuracy_column_labels_with_float_dtype():
    # labels (3, 1) float [[0.], [2.], [1.]]; argmax pred [0, 2, 0] → [1, 1, 0] → 2/3
    m = metrics.SparseCategoricalAccuracy()
    m.update_state(
        np.array([[0.0], [2.0], [1.0]]), np.array([[0.6, 0.3, 0.1], [0.1, 0.2, 0.7], [0.5, 0.4, 0.1]])
    )
    assert m.result() == pytest.approx(2 / 3)


def test_accumulates_across_calls_and_resets():
    # call 1: [1, 0] → hits 1 of 2; call 2: [1, 1, 1] → 3 of 3; total 4/5 = 0.8
    m = metrics.SparseCategoricalAccuracy()
    m.update_state([0, 1], [[0.9, 0.1], [0.8, 0.2]])
    assert m.result() == pytest.approx(0.5)
    m.update_state([1, 1, 0], [[0.1, 0.9], [0.3, 0.7], [0.6, 0.4]])
    assert m.result() == pytest.approx(0.8)
    m.reset_state()
    assert m.result() == 0.0
    m.update_state([1], [[0.2, 0.8]])
    assert m.result() == pytest.approx(1.0)


@pytest.mark.parametrize(
    "cls",
    [
        metrics.Accuracy,
        metrics.BinaryAccuracy,
        metrics.CategoricalAccuracy,
        metrics.SparseCategoricalAccuracy,
    ],
)
def test_empty_result_is_zero(cls):
    assert cls().result() == 0.0


def test_call_updates_and_returns_result():
    # __call__ = update_state + result: first [1/1], then [0/1] → 1 then 0.5
    m = metrics.BinaryAccuracy()
    assert m([[1]], [[0.9]]) == pytest.approx(1.0)
    assert m([[1]], [[0.1]]) == pytest.approx(0.5)


@pytest.mark.parametrize(
    "name,cls",
    [
        ("accuracy", metrics.Accuracy),
        ("acc", metrics.Accuracy),
        ("binary_accuracy", metrics.BinaryAccuracy),
        ("categorical_accuracy", metrics.CategoricalAccuracy),
        ("sparse_categorical_accuracy", metrics.SparseCategoricalAccuracy),
    ],
)
def test_get_accuracy_names(name, cls):
    m = metrics.get(name)
    assert isinstance(m, cls)
    assert m.name == name


def test_default_names():
    assert metrics.Accuracy().name == "accuracy"
    assert metrics.BinaryAccuracy().name == "binary_accuracy"
    assert metrics.CategoricalAccuracy().name == "categorical_accuracy"
    assert metrics.SparseCategoricalAccuracy().name == "sparse_categorical_accuracy"
