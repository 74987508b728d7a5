"""MeanAbsolutePercentageError, MeanSquaredLogarithmicError, RootMeanSquaredError, CosineSimilarity,
LogCoshError and R2Score: hand-worked values and Keras's own (keras/src/metrics/regression_metrics_test.py
and the docstrings of keras/src/metrics/regression_metrics.py)."""

import numpy as np
import pytest

from neurona import metrics

# Keras's docstring case for the error metrics: y [[0, 1], [0, 0]], p [[1, 1], [0, 0]]; weights [1, 0]
DOC_TRUE = [[0, 1], [0, 0]]
DOC_PRED = [[1, 1], [0, 0]]

KERAS_TRUE = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
KERAS_PRED = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])
KERAS_WEIGHTS = np.array([1.0, 1.5, 2.0, 2.5])


def test_mape():
    # row 0: |0 − 1|/max(0, 1e-7) = 1e7 and 0 → 100·5e6 = 5e8; row 1: 0 → mean 2.5e8; weights [1, 0] → 5e8
    assert metrics.MeanAbsolutePercentageError()(DOC_TRUE, DOC_PRED) == pytest.approx(2.5e8)
    assert metrics.MeanAbsolutePercentageError()(DOC_TRUE, DOC_PRED, [1, 0]) == pytest.approx(5e8)


def test_mape_keras_case():
    # Keras: MeanAbsolutePercentageErrorTest. Each 0 target predicted as 1 adds 1/1e-7 = 1e7: rows have
    # {1, 2, 0, 4} of them → 100·{1, 2, 0, 4}e7/5 ≈ {2, 4, 0, 8}e8 → mean 3.5e8;
    # weighted (2·1 + 4·1.5 + 0·2 + 8·2.5)e8/7 = 4e8
    assert metrics.MeanAbsolutePercentageError()(KERAS_TRUE, KERAS_PRED) == pytest.approx(35e7)
    result = metrics.MeanAbsolutePercentageError()(KERAS_TRUE, KERAS_PRED, KERAS_WEIGHTS)
    assert result == pytest.approx(40e7)


def test_mape_ordinary_values():
    # |100 − 110|/100 = 0.1 and |50 − 40|/50 = 0.2 → 100·0.15 = 15
    assert metrics.MeanAbsolutePercentageError()([[100.0, 50.0]], [[110.0, 40.0]]) == pytest.approx(15.0)


def test_msle():
    # row 0: (log 2 − log(1 + 1e-7))² ≈ 0.480453 and 0 → 0.240227; row 1: 0 → mean 0.120113
    assert metrics.MeanSquaredLogarithmicError()(DOC_TRUE, DOC_PRED) == pytest.approx(0.12011322, rel=1e-6)
    weighted = metrics.MeanSquaredLogarithmicError()(DOC_TRUE, DOC_PRED, [1, 0])
    assert weighted == pytest.approx(0.24022643, rel=1e-6)
    # Keras: MeanSquaredLogarithmicErrorTest: 0.24022 and, weighted, 0.26082
    assert metrics.MeanSquaredLogarithmicError()(KERAS_TRUE, KERAS_PRED) == pytest.approx(0.24022, abs=1e-5)
    weighted = metrics.MeanSquaredLogarithmicError()(KERAS_TRUE, KERAS_PRED, KERAS_WEIGHTS)
    assert weighted == pytest.approx(0.26082, abs=1e-5)


def test_rmse():
    # Keras: RootMeanSquaredErrorTest: errors [1, 1, 16] → sqrt(18/3) = sqrt 6
    assert metrics.RootMeanSquaredError()([2, 4, 6], [1, 3, 2]) == pytest.approx(np.sqrt(6))
    # weights [0, 1, 0, 1] on squared errors [1, 1, 16, 25] → sqrt((1 + 25)/2) = sqrt 13
    m = metrics.RootMeanSquaredError()
    assert m([2, 4, 6, 8], [1, 3, 2, 3], sample_weight=[0, 1, 0, 1]) == pytest.approx(np.sqrt(13))


def test_rmse_takes_the_root_of_the_running_mean():
    # batch 1 squared error 1, batch 2 squared errors [9, 9] → sqrt(19/3), not (1 + 3)/2
    m = metrics.RootMeanSquaredError()
    m.update_state([0.0], [1.0])
    m.update_state([0.0, 0.0], [3.0, 3.0])
    assert m.result() == pytest.approx(np.sqrt(19 / 3))
    # docstring: [[0, 1], [0, 0]] vs [[1, 1], [0, 0]] → sqrt(1/4) = 0.5; weights [1, 0] → sqrt(1/2)
    assert metrics.RootMeanSquaredError()(DOC_TRUE, DOC_PRED) == pytest.approx(0.5)
    assert metrics.RootMeanSquaredError()(DOC_TRUE, DOC_PRED, [1, 0]) == pytest.approx(np.sqrt(0.5))


def test_cosine_similarity():
    # rows: [0, 1]·[1, 0] = 0; [1, 1]/√2 · [1, 1]/√2 = 1 → mean 0.5; weights [0.3, 0.7] → 0.7
    m = metrics.CosineSimilarity(axis=1)
    assert m([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]) == pytest.approx(0.5)
    m = metrics.CosineSimilarity(axis=1)
    weighted = m([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]], sample_weight=[0.3, 0.7])
    assert weighted == pytest.approx(0.7)


def test_cosine_similarity_axis_0_and_zero_vector():
    # Keras: CosineSimilarityTest.test_config_preserves_axis_result: axis=0 compares columns
    y_true = np.array([[1, 9, 2], [-5, -2, 6]], dtype="float32")
    y_pred = np.array([[4, 8, 12], [8, 1, 3]], dtype="float32")
    unit = lambda x: x / np.linalg.norm(x, axis=0, keepdims=True)  # noqa: E731
    expected = np.mean(np.sum(unit(y_true) * unit(y_pred), axis=0))
    restored = metrics.CosineSimilarity.from_config(metrics.CosineSimilarity(axis=0).get_config())
    assert restored(y_true, y_pred) == pytest.approx(expected)
    # a zero vector has similarity 0, not nan
    assert metrics.CosineSimilarity()([[0.0, 0.0]], [[1.0, 2.0]]) == 0.0


def test_log_cosh():
    # row 0: log cosh 1 = 0.433781 and 0 → 0.216891; row 1: 0 → mean 0.108445; weights [1, 0] → 0.216891
    assert metrics.LogCoshError()(DOC_TRUE, DOC_PRED) == pytest.approx(np.log(np.cosh(1.0)) / 4)
    assert metrics.LogCoshError()(DOC_TRUE, DOC_PRED, [1, 0]) == pytest.approx(np.log(np.cosh(1.0)) / 2)


def test_log_cosh_large_errors_do_not_overflow():
    # log cosh x ≈ |x| − log 2 for large |x|: error 1000 → 1000 − 0.693147
    assert metrics.LogCoshError()([[0.0]], [[1000.0]]) == pytest.approx(1000.0 - np.log(2.0))


def test_log_cosh_keras_case_with_row_weights():
    # Keras: LogCoshErrorTest.test_weighted: weights (2, 1) repeat over each row's 3 entries
    y_true = np.array([[1, 9, 2], [-5, -2, 6]], dtype="float32")
    y_pred = np.array([[4, 8, 12], [8, 1, 3]], dtype="float32")
    per_entry = np.log(np.cosh(y_pred - y_true))
    weights = np.array([[1.2] * 3, [3.4] * 3])
    expected = np.sum(per_entry * weights) / np.sum(weights)
    assert metrics.LogCoshError()(y_true, y_pred, sample_weight=[[1.2], [3.4]]) == pytest.approx(expected)


def test_r2_docstring():
    # y [1, 4, 3] (mean 8/3), p [2, 4, 4]: SS_res 1 + 0 + 1 = 2; SS_tot 25/9 + 16/9 + 1/9 = 42/9
    # → 1 − 2/(42/9) = 1 − 18/42 = 4/7
    assert metrics.R2Score()([[1], [4], [3]], [[2], [4], [4]]) == pytest.approx(4 / 7)


@pytest.mark.parametrize(
    "aggregation,expected",
    [(None, [0.37, -1.295, 0.565]), ("uniform_average", -0.12), ("variance_weighted_average", -0.12)],
)
def test_r2_keras_sklearn_comparison(aggregation, expected):
    # Keras: R2ScoreTest.test_r2_sklearn_comparison
    y_true = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    y_pred = [[0.4, 0.5, 0.6], [0.1, 0.2, 0.3], [0.5, 0.8, 0.2]]
    np.testing.assert_allclose(metrics.R2Score(aggregation)(y_true, y_pred), expected, atol=1e-6)


@pytest.mark.parametrize(
    "aggregation,regressors,expected",
    [
        (None, 0, [0.17305559, -8.836666, -0.521]),
        (None, 1, [0.054920673, -10.241904, -0.7382858]),
        ("uniform_average", 2, -4.415382385253906),
        ("variance_weighted_average", 0, -1.3710224628448486),
        ("variance_weighted_average", 2, -2.161363363265991),
    ],
)
def test_r2_keras_weighted_and_adjusted(aggregation, regressors, expected):
    # Keras: R2ScoreTest.test_r2_tfa_comparison; adjusted with n = 9 entries: 1 − (1 − R²)·8/(9 − p − 1)
    y_true = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    y_pred = [[0.4, 0.9, 1.6], [0.1, 1.2, 0.6], [1.5, 0.8, 0.6]]
    result = metrics.R2Score(aggregation, regressors)(y_true, y_pred, sample_weight=[0.8, 0.1, 0.4])
    np.testing.assert_allclose(result, expected, rtol=1e-5)


def test_r2_accumulates_across_batches():
    # the same 3 rows in two calls give the one-call result 4/7; reset → 0
    m = metrics.R2Score()
    m.update_state([[1], [4]], [[2], [4]])
    m.update_state([[3]], [[4]])
    assert m.result() == pytest.approx(4 / 7)
    m.reset_state()
    assert m.result() == 0.0


def test_r2_constant_target_column_scores_zero():
    # SS_tot = 0 → R² = −inf → 0, as Keras does
    assert metrics.R2Score()([[1.0], [1.0]], [[0.0], [2.0]]) == 0.0


def test_r2_flat_targets_are_matched_to_a_column():
    # (3,) targets against (3, 1) predictions → one column → 4/7
    assert metrics.R2Score()([1, 4, 3], [[2], [4], [4]]) == pytest.approx(4 / 7)


def test_r2_adjusted_falls_back_with_a_warning():
    # p = 5 regressors but only n = 3 entries → plain R² 4/7 and a warning
    with pytest.warns(UserWarning, match="More independent predictors than datapoints"):
        assert metrics.R2Score(num_regressors=5)([[1], [4], [3]], [[2], [4], [4]]) == pytest.approx(4 / 7)


def test_r2_errors():
    with pytest.raises(ValueError, match="Invalid value for argument `class_aggregation`"):
        metrics.R2Score(class_aggregation="wrong")
    with pytest.raises(ValueError, match="Invalid value for argument `num_regressors`"):
        metrics.R2Score(num_regressors=-1)
    with pytest.raises(ValueError, match="expects 2D inputs with shape"):
        metrics.R2Score()([0.0, 1.0], [0.0, 1.0])


@pytest.mark.parametrize(
    "cls,name",
    [
        (metrics.MeanAbsolutePercentageError, "mean_absolute_percentage_error"),
        (metrics.MeanSquaredLogarithmicError, "mean_squared_logarithmic_error"),
        (metrics.RootMeanSquaredError, "root_mean_squared_error"),
        (metrics.CosineSimilarity, "cosine_similarity"),
        (metrics.LogCoshError, "logcosh"),
        (metrics.R2Score, "r2_score"),
    ],
)
def test_default_names(cls, name):
    assert cls().name == name
