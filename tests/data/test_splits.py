"""`neurona.data.splits`: Keras's last-fraction split, the shuffled split and the stratified split."""

import numpy as np
import pytest

from neurona.data import class_labels, train_validation_split
from neurona.data.splits import split_indices


def test_default_is_keras_last_fraction():
    x = np.arange(10.0)[:, None]
    y = np.arange(10)
    # split_at = floor(10 · (1 − 0.25)) = floor(7.5) = 7: training rows 0..6, validation rows 7..9
    (x_train, y_train), (x_val, y_val) = train_validation_split((x, y), 0.25)
    assert y_train.tolist() == list(range(7))
    assert y_val.tolist() == [7, 8, 9]
    assert x_val[:, 0].tolist() == [7.0, 8.0, 9.0]


def test_shuffled_split_is_seeded_and_partitions_the_data():
    y = np.arange(20)
    (train_a,), (val_a,) = train_validation_split((y,), 0.2, shuffle=True, seed=3)
    (train_b,), (val_b,) = train_validation_split((y,), 0.2, shuffle=True, seed=3)
    assert val_a.tolist() == val_b.tolist() and train_a.tolist() == train_b.tolist()
    assert len(val_a) == 4  # 20 − floor(20 · 0.8) = 4, as Keras's split
    assert sorted(train_a.tolist() + val_a.tolist()) == list(range(20))
    assert val_a.tolist() != [16, 17, 18, 19]


def test_stratified_split_keeps_class_proportions():
    y = np.array([0] * 60 + [1] * 40)  # sorted: Keras's split would validate on class 1 only
    x = np.arange(100.0)[:, None]
    (x_train, y_train), (x_val, y_val) = train_validation_split((x, y), 0.2, stratify=y, seed=0)
    # 20 held out: 60 · 0.2 = 12 of class 0 and 40 · 0.2 = 8 of class 1
    assert np.bincount(y_val).tolist() == [12, 8]
    assert np.bincount(y_train).tolist() == [48, 32]
    assert (y_val == (x_val[:, 0] >= 60)).all()  # rows stay together: x and y are split alike
    assert set(x_val[:, 0].astype(int)).isdisjoint(x_train[:, 0].astype(int))


def test_stratified_split_with_one_hot_labels():
    labels = np.array([0] * 6 + [1] * 3 + [2] * 3)
    one_hot = np.eye(3, dtype="float32")[labels]
    (_, _), (y_val, _) = train_validation_split((one_hot, labels), 1 / 3, stratify=one_hot, seed=1)
    # 12 − floor(12 · 2/3) = 4 held out: 6 · 1/3 = 2, 3 · 1/3 = 1, 1
    assert np.bincount(y_val.argmax(axis=1), minlength=3).tolist() == [2, 1, 1]


def test_stratified_quota_rounds_by_largest_remainder():
    labels = np.array([0] * 5 + [1] * 3 + [2] * 2)
    # n_val = 5: exact quotas 2.5, 1.5, 1.0 → floors 2, 1, 1 (4); the tie .5/.5 goes to the larger class 0
    _, val_index = split_indices(10, 0.5, stratify=labels, seed=0)
    assert np.bincount(labels[val_index], minlength=3).tolist() == [3, 1, 1]


def test_split_works_on_nested_structures_and_none():
    x = [np.arange(5.0), np.arange(5.0) * 2]
    (x_train, none_train), (x_val, none_val) = train_validation_split((x, None), 0.4)
    assert none_train is None and none_val is None
    assert x_val[1].tolist() == [6.0, 8.0]


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, True, "0.2"])
def test_bad_fraction_raises(bad):
    with pytest.raises(ValueError, match="validation_split"):
        train_validation_split((np.arange(10),), bad)


def test_empty_side_raises():
    # split_at = floor(3 · 0.1) = 0: nothing left to train on
    with pytest.raises(ValueError, match="empty training set"):
        train_validation_split((np.arange(3),), 0.9)


def test_stratify_refuses_regression_targets():
    y = np.linspace(0, 1, 10)
    with pytest.raises(ValueError, match="regression target"):
        train_validation_split((y,), 0.2, stratify=y)
    with pytest.raises(ValueError, match="not one-hot"):
        class_labels(np.ones((4, 3)))


def test_arrays_must_be_a_tuple():
    with pytest.raises(TypeError, match="tuple of arrays"):
        train_validation_split(np.arange(10), 0.2)
