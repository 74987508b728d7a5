"""Hinge losses (`neurona/losses/hinge.py`) against Keras's goldens (keras/src/losses/losses_test.py:
HingeTest, SquaredHingeTest, CategoricalHingeTest) and hand-worked values."""

import numpy as np
import pytest

from neurona import losses


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def assert_almost(actual, expected, decimal=3):
    np.testing.assert_almost_equal(_np(actual), expected, decimal=decimal)


Y_TRUE = np.array([[0.0, 1.0], [0.0, 0.0]])
Y_PRED = np.array([[0.6, 0.4], [0.4, 0.6]])


def test_hinge_keras_goldens():
    # {0, 1} → {−1, 1}: y = [[−1, 1], [−1, −1]]; 1 − y·ŷ = [[1.6, 0.6], [1.4, 1.6]] → rows 1.1, 1.5
    assert_almost(losses.Hinge(reduction="sum_over_batch_size")(Y_TRUE, Y_PRED), 1.3)
    assert_almost(losses.Hinge(reduction="sum")(Y_TRUE, Y_PRED), 2.6)
    np.testing.assert_allclose(_np(losses.Hinge(reduction=None)(Y_TRUE, Y_PRED)), [1.1, 1.5], rtol=1e-6)
    # test_weighted: sample_weight [1, 0]
    assert_almost(losses.Hinge()(Y_TRUE, Y_PRED, sample_weight=[1, 0]), 0.55)
    assert_almost(losses.Hinge(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=[1, 0]), 1.1)
    assert_almost(losses.Hinge(reduction=None)(Y_TRUE, Y_PRED, sample_weight=[1, 0]), [1.1, 0.0])
    assert float(losses.Hinge()(Y_TRUE, Y_PRED, sample_weight=0.0)) == 0.0


def test_squared_hinge_keras_goldens():
    # squares of [[1.6, 0.6], [1.4, 1.6]] = [[2.56, 0.36], [1.96, 2.56]] → rows 1.46, 2.26
    assert_almost(losses.SquaredHinge()(Y_TRUE, Y_PRED), 1.86)
    assert_almost(losses.SquaredHinge(reduction="sum")(Y_TRUE, Y_PRED), 3.72)
    np.testing.assert_allclose(
        _np(losses.SquaredHinge(reduction=None)(Y_TRUE, Y_PRED)), [1.46, 2.26], rtol=1e-6
    )
    assert_almost(losses.SquaredHinge()(Y_TRUE, Y_PRED, sample_weight=[1, 0]), 0.73)
    assert_almost(losses.SquaredHinge(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=[1, 0]), 1.46)
    assert_almost(losses.SquaredHinge(reduction=None)(Y_TRUE, Y_PRED, sample_weight=[1, 0]), [1.46, 0.0])
    assert float(losses.SquaredHinge()(Y_TRUE, Y_PRED, sample_weight=0.0)) == 0.0


def test_categorical_hinge_keras_goldens():
    # row 0: pos = 0.4, neg = max(0.6, 0) = 0.6 → 0.6 − 0.4 + 1 = 1.2; row 1: pos = 0, neg = 0.6 → 1.6
    assert_almost(losses.CategoricalHinge()(Y_TRUE, Y_PRED), 1.4)
    assert_almost(losses.CategoricalHinge(reduction="sum")(Y_TRUE, Y_PRED), 2.8)
    np.testing.assert_allclose(
        _np(losses.CategoricalHinge(reduction=None)(Y_TRUE, Y_PRED)), [1.2, 1.6], rtol=1e-6
    )
    assert_almost(losses.CategoricalHinge()(Y_TRUE, Y_PRED, sample_weight=[1, 0]), 0.6)
    assert_almost(losses.CategoricalHinge(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=[1, 0]), 1.2)
    assert_almost(losses.CategoricalHinge(reduction=None)(Y_TRUE, Y_PRED, sample_weight=[1, 0]), [1.2, 0.0])
    assert float(losses.CategoricalHinge()(Y_TRUE, Y_PRED, sample_weight=0.0)) == 0.0


@pytest.mark.parametrize("cls", [losses.Hinge, losses.SquaredHinge, losses.CategoricalHinge])
def test_bad_reduction(cls):
    with pytest.raises(ValueError, match="Invalid value for argument"):
        cls(reduction="abc")


def test_binary_labels_are_converted_only_when_all_are_binary():
    # {−1, 1} labels are used as they are: [[−1, 1]] vs [[0.5, 2]] → max(1.5, 0), max(−1, 0) → mean 0.75
    np.testing.assert_allclose(_np(losses.hinge([[-1.0, 1.0]], [[0.5, 2.0]])), [0.75])
    # the same labels as {0, 1} give the same loss
    np.testing.assert_allclose(_np(losses.hinge([[0.0, 1.0]], [[0.5, 2.0]])), [0.75])
    # a batch mixing 0 and −1 is not binary: nothing is converted, 0·ŷ gives a hinge of 1
    # [[0, −1]] vs [[0.5, 2]] → 1 − 0 = 1 and 1 + 2 = 3 → mean 2
    np.testing.assert_allclose(_np(losses.hinge([[0.0, -1.0]], [[0.5, 2.0]])), [2.0])


def test_squared_hinge_by_hand():
    # y = [1, −1, 1] (from [1, 0, 1]), ŷ = [0.3, 0.4, 2]: margins 0.7, 1.4, −1 → 0.49 + 1.96 + 0 = 2.45 → /3
    got = _np(losses.squared_hinge([[1.0, 0.0, 1.0]], [[0.3, 0.4, 2.0]]))
    np.testing.assert_allclose(got, [2.45 / 3], rtol=1e-6)


def test_categorical_hinge_confident_right_answer_is_zero():
    # pos = 3, neg = max(0·3, 1·1, 1·(−2)) = 1 → 1 − 3 + 1 = −1 → max(−1, 0) = 0
    np.testing.assert_allclose(_np(losses.categorical_hinge([[1.0, 0.0, 0.0]], [[3.0, 1.0, -2.0]])), [0.0])
