"""F1Score and FBetaScore: hand-worked values and Keras's own (keras/src/metrics/f_score_metrics_test.py)."""

import numpy as np
import pytest

from neurona import metrics

DOC_TRUE = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]])
DOC_PRED = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]])
# threshold 0.5 → predicted [[0, 1, 1], [0, 1, 1], [1, 1, 0]]; per class (tp, fp, fn):
# class 0: (1, 0, 2) → P 1, R 1/3; class 1: (2, 1, 0) → P 2/3, R 1; class 2: (1, 1, 0) → P 1/2, R 1

ARGMAX_TRUE = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [1, 0, 0], [0, 0, 1]])
ARGMAX_PRED = np.array([[0.9, 0.1, 0], [0.2, 0.6, 0.2], [0, 0, 1], [0.4, 0.3, 0.3], [0, 0.9, 0.1], [0, 0, 1]])
# threshold None → arg-max one-hot: classes [0, 1, 2, 0, 1, 2] vs true [0, 1, 2, 0, 0, 2]
# class 0: tp 2, fp 0, fn 1 → P 1, R 2/3; class 1: tp 1, fp 1, fn 0 → P 1/2, R 1; class 2: tp 2 → 1


def test_f1_per_class_docstring():
    # F1 = 2PR/(P + R): class 0: 2·(1/3)/(4/3) = 0.5; class 1: 2·(2/3)/(5/3) = 0.8; class 2: 1/1.5 = 2/3
    result = metrics.F1Score(threshold=0.5)(DOC_TRUE, DOC_PRED)
    np.testing.assert_allclose(result, [0.5, 0.8, 2 / 3], atol=1e-6)


def test_fbeta_per_class_docstring():
    # F2 = 5PR/(4P + R): class 0: 5/3/(4 + 1/3) = 5/13; class 1: (10/3)/(11/3) = 10/11; class 2: 2.5/3
    result = metrics.FBetaScore(beta=2.0, threshold=0.5)(DOC_TRUE, DOC_PRED)
    np.testing.assert_allclose(result, [5 / 13, 10 / 11, 2.5 / 3], atol=1e-6)


@pytest.mark.parametrize(
    "average,beta,expected",
    [
        # Keras: FBetaScoreTest.test_fbeta_random_score_none (threshold None → arg-max)
        (None, 1.0, [0.8, 2 / 3, 1.0]),
        (None, 0.5, [0.9090909, 0.5555556, 1.0]),
        # micro: tp 5, fp 1, fn 1 → P = R = 5/6 for every beta
        ("micro", 0.5, 5 / 6),
        ("micro", 2.0, 5 / 6),
        # macro: mean of [0.8, 2/3, 1] = 0.822222
        ("macro", 1.0, 0.822222),
        # weighted by support [3, 1, 2]/6: (0.8·3 + 2/3 + 2)/6 = 0.844444
        ("weighted", 1.0, 0.844444),
        ("weighted", 2.0, 0.829365),
    ],
)
def test_averages_keras_values(average, beta, expected):
    m = metrics.FBetaScore(average=average, beta=beta)
    np.testing.assert_allclose(m(ARGMAX_TRUE, ARGMAX_PRED), expected, atol=1e-5)


@pytest.mark.parametrize(
    "average,beta,weights,expected",
    [
        # Keras: FBetaScoreTest.test_fbeta_weighted_random_score_none
        (None, 1.0, [1.0, 0.0, 1.0, 1.0, 0.0, 1.0], [1.0, 0.0, 1.0]),
        (None, 1.0, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], [0.857143, 0.8, 1.0]),
        ("micro", 0.5, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], 0.9),
        ("macro", 2.0, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], 0.899522),
        ("weighted", 0.5, [0.5, 1.0, 1.0, 1.0, 0.5, 1.0], 0.917857),
    ],
)
def test_sample_weights_keras_values(average, beta, weights, expected):
    m = metrics.FBetaScore(average=average, beta=beta)
    np.testing.assert_allclose(m(ARGMAX_TRUE, ARGMAX_PRED, sample_weight=weights), expected, atol=1e-5)


def test_sample_weight_hand_worked():
    # weights [1, 0, 1, 1, 0, 1] drop rows 1 and 4: class 0 tp 2 (P 1, R 1) → 1; class 1: no tp, no fp
    # → 0; class 2: tp 2 → 1
    m = metrics.F1Score()
    np.testing.assert_allclose(m(ARGMAX_TRUE, ARGMAX_PRED, [1, 0, 1, 1, 0, 1]), [1.0, 0.0, 1.0], atol=1e-6)


def test_argmax_all_zero_row_predicts_nothing():
    # a row of zeros predicts no class (it is not turned into [1, 1]): class 0 gets tp 1 (row 1) and
    # fn 1 (row 0) → P 1, R 1/2 → F1 2/3; class 1 has no tp → 0
    m = metrics.F1Score()
    np.testing.assert_allclose(m([[1, 0], [1, 0]], [[0.0, 0.0], [0.7, 0.3]]), [2 / 3, 0.0], atol=1e-6)


def test_perfect_and_worst_scores():
    # Keras: test_fbeta_perfect_score / test_fbeta_worst_score with threshold 0.66
    y_pred = [[0.7, 0.7, 0.7], [1, 0, 0], [0.9, 0.8, 0]]
    for average in ("micro", "macro", "weighted"):
        perfect = metrics.FBetaScore(average, 2.0, 0.66)([[1, 1, 1], [1, 0, 0], [1, 1, 0]], y_pred)
        worst = metrics.FBetaScore(average, 2.0, 0.66)([[0, 0, 0], [0, 1, 0], [0, 0, 1]], y_pred)
        assert perfect == pytest.approx(1.0, abs=1e-6)
        assert worst == pytest.approx(0.0, abs=1e-6)


def test_accumulates_and_resets():
    # the rows fed in two batches give the same per-class counts as one batch
    m = metrics.F1Score(average="macro")
    m.update_state(ARGMAX_TRUE[:3], ARGMAX_PRED[:3])
    m.update_state(ARGMAX_TRUE[3:], ARGMAX_PRED[3:])
    assert m.result() == pytest.approx(0.822222, abs=1e-5)
    m.reset_state()
    assert m.result() == 0.0


def test_f1_equals_fbeta_one():
    f1 = metrics.F1Score()(ARGMAX_TRUE, ARGMAX_PRED)
    np.testing.assert_allclose(f1, metrics.FBetaScore(beta=1.0)(ARGMAX_TRUE, ARGMAX_PRED))


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"average": "invalid_average"}, "Invalid `average` argument value"),
        ({"beta": 1}, "It should be a Python float"),
        ({"beta": 0.0}, "It should be > 0. Received: beta=0.0"),
        ({"threshold": 1}, "Invalid `threshold` argument value. It should be a Python float"),
        ({"threshold": 1.1}, "It should verify 0 < threshold <= 1. Received: threshold=1.1"),
    ],
)
def test_invalid_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        metrics.FBetaScore(**kwargs)


def test_flat_targets_meet_a_single_output_column():
    # y (4,) against a sigmoid column (4, 1): y becomes a column; threshold 0.5 → predicted [1, 0, 1, 0]
    # vs y [1, 0, 0, 0] → tp 1, fp 1, fn 0 → P 1/2, R 1 → F1 2/3
    result = metrics.F1Score(threshold=0.5)(np.array([1, 0, 0, 0]), np.array([[0.9], [0.2], [0.6], [0.1]]))
    np.testing.assert_allclose(result, [2 / 3], atol=1e-6)


def test_needs_2d_inputs():
    with pytest.raises(ValueError, match=r"expects 2D inputs with shape \(batch_size, output_dim\)"):
        metrics.F1Score()(np.zeros((2, 3, 4)), np.zeros((2, 3, 4)))


def test_config_round_trip_and_names():
    # Keras: FBetaScoreTest.test_config, F1ScoreTest.test_config (no "beta" in F1's config)
    m = metrics.FBetaScore(beta=0.5, threshold=0.3)
    assert m.name == "fbeta_score"
    config = m.get_config()
    assert (config["beta"], config["threshold"], config["average"]) == (0.5, 0.3, None)
    assert metrics.FBetaScore.from_config(config).get_config() == config
    f1 = metrics.F1Score(average="micro")
    assert f1.name == "f1_score" and "beta" not in f1.get_config()
    assert metrics.F1Score.from_config(f1.get_config()).average == "micro"
