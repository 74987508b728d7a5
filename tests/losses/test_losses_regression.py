"""Regression losses (`neurona/losses/regression.py`) against Keras's goldens (golden-values.md §5.1,
keras/src/losses/losses_test.py) and hand-worked values.

Keras's `assertAlmostEqual` is `decimal=3`; its `assertAllClose` is rtol = atol = 1e-6.
"""

import numpy as np
import pytest

from neurona import losses


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def assert_almost(actual, expected, decimal=3):
    np.testing.assert_almost_equal(_np(actual), expected, decimal=decimal)


# --- §5.1 mean squared error --------------------------------------------------------------------------
MSE_TRUE = np.array([[1, 9, 2], [-5, -2, 6]], dtype="float32")
MSE_PRED = np.array([[4, 8, 12], [8, 1, 3]], dtype="float32")
# squared errors: row 0: 9, 1, 100 → mean 110/3 = 36.667; row 1: 169, 9, 9 → mean 187/3 = 62.333


def test_mse_unweighted():
    assert_almost(losses.MeanSquaredError()(MSE_TRUE, MSE_PRED), 49.5)  # (110/3 + 187/3)/2 = 49.5


def test_mse_scalar_sample_weight():
    assert_almost(losses.MeanSquaredError()(MSE_TRUE, MSE_PRED, sample_weight=2.3), 113.85)  # 49.5·2.3


def test_mse_per_sample_weight():
    # (110/3·1.2 + 187/3·3.4)/2 = (44 + 211.933)/2 = 127.967 = 767.8/6
    got = losses.MeanSquaredError()(MSE_TRUE, MSE_PRED, sample_weight=np.array([[1.2], [3.4]]))
    assert_almost(got, 767.8 / 6)


def test_mse_reduction_none():
    got = losses.MeanSquaredError(reduction=None)(MSE_TRUE, MSE_PRED, sample_weight=2.3)
    assert _np(got).shape == (2,)
    np.testing.assert_allclose(_np(got), [84.3333, 143.3666], atol=1e-3)  # [110/3·2.3, 187/3·2.3]


def test_mse_reduction_sum():
    got = losses.MeanSquaredError(reduction="sum")(MSE_TRUE, MSE_PRED, sample_weight=2.3)
    assert_almost(got, 227.69998)  # 99·2.3


def test_mse_time_step_weights():
    # per time step (2, 3): [[9, 1, 100], [169, 9, 9]]; weights [[3, 6, 5], [0, 4, 2]]
    # Σ = 27 + 6 + 500 + 0 + 36 + 18 = 587; / 6 = 97.8333
    y_true = MSE_TRUE.reshape((2, 3, 1))
    y_pred = MSE_PRED.reshape((2, 3, 1))
    weights = np.array([3, 6, 5, 0, 4, 2], dtype="float32").reshape((2, 3))
    got = losses.MeanSquaredError()(y_true, y_pred, sample_weight=weights)
    assert_almost(got, 97.833336)


def test_mse_mean_with_sample_weight():
    # Σ(w·loss)/Σw = (110/3·1.2 + 187/3·3.4)/(1.2 + 3.4) = 255.9333/4.6 = 55.6377
    got = losses.MeanSquaredError(reduction="mean_with_sample_weight")(
        MSE_TRUE, MSE_PRED, sample_weight=np.array([[1.2], [3.4]])
    )
    assert_almost(got, (110 / 3 * 1.2 + 187 / 3 * 3.4) / (1.2 + 3.4))


def test_mse_trailing_one_is_squeezed_not_broadcast():
    # y_true (3,) vs y_pred (3, 1): per sample (3−4)², (0−8)², (1−12)² = [1, 64, 121] — not a (3, 3) grid
    got = _np(losses.mean_squared_error(np.array([4.0, 8.0, 12.0]), np.array([[3.0], [0.0], [1.0]])))
    assert got.shape == (3,)
    np.testing.assert_allclose(got, [1.0, 64.0, 121.0])


def test_mse_mae_functions_per_sample():
    # row 0 |Δ| = 3, 1, 10 → MAE 14/3; row 1: 13, 3, 3 → 19/3
    np.testing.assert_allclose(
        _np(losses.mean_squared_error(MSE_TRUE, MSE_PRED)), [110 / 3, 187 / 3], rtol=1e-6
    )
    np.testing.assert_allclose(
        _np(losses.mean_absolute_error(MSE_TRUE, MSE_PRED)), [14 / 3, 19 / 3], rtol=1e-6
    )
    assert_almost(losses.MeanAbsoluteError()(MSE_TRUE, MSE_PRED), 5.5)  # (14/3 + 19/3)/2 = 33/6


# Keras's shared regression data (losses_test.py): y_true = MSE_TRUE, y_pred = MSE_PRED.
SW = np.array([[1.2], [3.4]])
TIME_TRUE = MSE_TRUE.reshape((2, 3, 1))
TIME_PRED = MSE_PRED.reshape((2, 3, 1))
TIME_WEIGHTS = np.array([3, 6, 5, 0, 4, 2], dtype="float32").reshape((2, 3))


# --- mean absolute error (MeanAbsoluteErrorTest) ---------------------------------------------------------
def test_mae_keras_goldens():
    # |Δ| = [[3, 1, 10], [13, 3, 3]] → rows 14/3, 19/3
    mae = losses.MeanAbsoluteError()
    assert_almost(mae(MSE_TRUE, MSE_PRED, sample_weight=2.3), 12.65)  # 5.5·2.3
    assert_almost(mae(MSE_TRUE, MSE_PRED, sample_weight=SW), 81.4 / 6)  # (14/3·1.2 + 19/3·3.4)/2
    # 3·3 + 1·6 + 10·5 + 13·0 + 3·4 + 3·2 = 83 → /6 = 13.8333
    assert_almost(mae(TIME_TRUE, TIME_PRED, sample_weight=TIME_WEIGHTS), 13.833333)
    assert_almost(mae(MSE_TRUE, MSE_PRED, sample_weight=0), 0.0)
    none = losses.MeanAbsoluteError(reduction=None)(MSE_TRUE, MSE_PRED, sample_weight=2.3)
    np.testing.assert_allclose(_np(none), [10.7333, 14.5666], atol=1e-3)
    assert_almost(losses.MeanAbsoluteError(reduction="sum")(MSE_TRUE, MSE_PRED, sample_weight=2.3), 25.29999)
    mws = losses.MeanAbsoluteError(reduction="mean_with_sample_weight")(MSE_TRUE, MSE_PRED, sample_weight=SW)
    assert_almost(mws, (14 / 3 * 1.2 + 19 / 3 * 3.4) / (1.2 + 3.4))


# --- mean absolute percentage error (MeanAbsolutePercentageErrorTest) ------------------------------------
# |Δ/y|: row 0: 3/1, 1/9, 10/2 → mean 8.1111/3 → ×100 = 270.370; row 1: 13/5, 3/2, 3/6 → 4.6/3 → 153.333
MAPE_ROWS = [800 / 3 + 100 / 27, 460 / 3]


def test_mape_per_sample_by_hand():
    np.testing.assert_allclose(
        _np(losses.mean_absolute_percentage_error(MSE_TRUE, MSE_PRED)), MAPE_ROWS, rtol=1e-6
    )


def test_mape_keras_goldens():
    mape = losses.MeanAbsolutePercentageError()
    assert_almost(mape(MSE_TRUE, MSE_PRED), 211.8518)  # (270.370 + 153.333)/2
    assert_almost(mape(MSE_TRUE, MSE_PRED, sample_weight=2.3), 487.259)
    assert_almost(mape(MSE_TRUE, MSE_PRED, sample_weight=SW), 422.8888)  # (270.370·1.2 + 153.333·3.4)/2
    # per element ×100: [300, 11.11, 500, 260, 150, 50] · [3, 6, 5, 0, 4, 2] = 4166.67 → /6 = 694.444
    assert_almost(mape(TIME_TRUE, TIME_PRED, sample_weight=TIME_WEIGHTS), 694.4444)
    assert_almost(mape(MSE_TRUE, MSE_PRED, sample_weight=0), 0.0)
    none = losses.MeanAbsolutePercentageError(reduction=None)(MSE_TRUE, MSE_PRED, sample_weight=2.3)
    np.testing.assert_allclose(_np(none), [621.8518, 352.6666], atol=1e-3)
    mws = losses.MeanAbsolutePercentageError(reduction="mean_with_sample_weight")
    assert_almost(mws(MSE_TRUE, MSE_PRED, sample_weight=SW), 183.865)  # 845.78/4.6


def test_mape_zero_target_uses_epsilon():
    # y_true = 0: |0 − 0.5| / max(0, 1e-7) = 5e6 → ×100 = 5e8 (finite, as in Keras)
    got = _np(losses.mean_absolute_percentage_error(np.array([[0.0]]), np.array([[0.5]])))
    np.testing.assert_allclose(got, [5e8], rtol=1e-6)


# --- mean squared logarithmic error (MeanSquaredLogarithmicErrorTest) ------------------------------------
def test_msle_keras_goldens():
    # row 0: (log 5 − log 2)² + (log 9 − log 10)² + (log 13 − log 3)² = 0.8396 + 0.0111 + 2.1501 → 1.00027
    # row 1 (negative y_true → ε): (log 9)² + (log 2)² + (log 4 − log 7)² = 4.8278 + 0.4805 + 0.3132 → 1.8738
    msle = losses.MeanSquaredLogarithmicError()
    assert_almost(msle(MSE_TRUE, MSE_PRED), 1.4370)  # (1.00027 + 1.8738)/2
    assert_almost(msle(MSE_TRUE, MSE_PRED, sample_weight=2.3), 3.3051)
    assert_almost(msle(MSE_TRUE, MSE_PRED, sample_weight=SW), 3.7856)
    assert_almost(msle(TIME_TRUE, TIME_PRED, sample_weight=TIME_WEIGHTS), 2.647374)
    assert_almost(msle(MSE_TRUE, MSE_PRED, sample_weight=0), 0.0)
    mws = losses.MeanSquaredLogarithmicError(reduction="mean_with_sample_weight")
    assert_almost(mws(MSE_TRUE, MSE_PRED, sample_weight=SW), 1.646)


def test_msle_per_sample_by_hand():
    # [[e − 1, 3]] vs [[e² − 1, 0]]: (log e² − log e)² = 1 and (log 1 − log 4)² = 1.921812 → mean 1.460906
    got = _np(losses.mean_squared_logarithmic_error([[np.e - 1, 3.0]], [[np.e**2 - 1, 0.0]]))
    np.testing.assert_allclose(got, [(1 + np.log(4) ** 2) / 2], rtol=1e-6)


# --- Huber (HuberLossTest) -----------------------------------------------------------------------------
HUBER_TRUE = np.array([[1.0, 0.0, 1.0], [1.0, 0.0, 0.0]])
HUBER_PRED = np.array([[0.9, 0.2, 0.2], [0.8, 0.4, 0.6]])
# errors −0.1, 0.2, −0.8, −0.2, 0.4, 0.6 (all ≤ δ = 1): ½x² = 0.005, 0.02, 0.32, 0.02, 0.08, 0.18 → Σ 0.625
HUBER_ELEMENTS = np.array([[0.005, 0.02, 0.32], [0.02, 0.08, 0.18]])


def test_huber_keras_goldens():
    huber = losses.Huber()
    assert_almost(huber(HUBER_TRUE, HUBER_PRED), 0.625 / 6)
    assert_almost(huber(HUBER_TRUE, HUBER_TRUE), 0.0)
    assert_almost(huber(HUBER_TRUE, HUBER_PRED, sample_weight=2.3), 2.3 * 0.625 / 6)
    # row sums 0.345 and 0.28: (0.345·1.2 + 0.28·3.4)/6 = 1.366/6
    assert_almost(huber(HUBER_TRUE, HUBER_PRED, sample_weight=np.array([[1.2], [3.4]])), 1.366 / 6)
    weights = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3, 1))
    got = huber(HUBER_TRUE.reshape((2, 3, 1)), HUBER_PRED.reshape((2, 3, 1)), sample_weight=weights)
    assert_almost(got, np.sum(HUBER_ELEMENTS * weights.reshape((2, 3))) / 6)  # (0.015 + … + 0.36)/6
    assert_almost(huber(HUBER_TRUE, HUBER_PRED, sample_weight=0), 0.0)
    assert_almost(losses.Huber(delta=0.8)(HUBER_TRUE, HUBER_PRED, sample_weight=2.3), 2.3 * 0.625 / 6)


def test_huber_linear_branch_by_hand():
    # δ = 1: errors 3 and −0.5 → 1·3 − ½ = 2.5 and ½·0.25 = 0.125 → mean 1.3125
    # δ = 2: 2·3 − ½·4 = 4 and 0.125 → mean 2.0625
    assert_almost(losses.huber([[0.0, 0.0]], [[3.0, -0.5]]), [1.3125], decimal=6)
    assert_almost(losses.huber([[0.0, 0.0]], [[3.0, -0.5]], delta=2.0), [2.0625], decimal=6)
    # Keras's docstring example: [[0, 1], [0, 0]] vs [[0.6, 0.4], [0.4, 0.6]] → ½(0.36 + 0.36 + 0.16 + 0.36)/4
    assert_almost(losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]), 0.155)


def test_huber_rejects_non_positive_delta():
    with pytest.raises(ValueError, match="delta"):
        losses.Huber(delta=0.0)


# --- log-cosh (LogCoshTest) --------------------------------------------------------------------------
def test_log_cosh_keras_goldens():
    error = MSE_PRED - MSE_TRUE  # [[3, −1, 10], [13, 3, −3]]
    elements = np.log((np.exp(error) + np.exp(-error)) / 2)  # 2.30933, 0.43378, 9.30685, 12.30685, ...
    log_cosh = losses.LogCosh()
    assert_almost(log_cosh(MSE_TRUE, MSE_PRED), np.sum(elements) / 6)  # 28.97547/6 = 4.82925
    assert_almost(log_cosh(MSE_TRUE, MSE_PRED, sample_weight=2.3), 2.3 * np.sum(elements) / 6)
    weighted = np.sum(elements * np.array([[1.2], [3.4]])) / 6
    assert_almost(log_cosh(MSE_TRUE, MSE_PRED, sample_weight=np.array([1.2, 3.4])), weighted)
    time_weights = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3, 1))
    got = log_cosh(TIME_TRUE, TIME_PRED, sample_weight=time_weights)
    assert_almost(got, np.sum(elements * time_weights.reshape((2, 3))) / 6)
    assert_almost(log_cosh(MSE_TRUE, MSE_PRED, sample_weight=0), 0.0)
    # Keras's docstring example: errors [1, 0, 0, 0] → log cosh 1 = 0.433781 / 4 = 0.108445
    assert_almost(losses.LogCosh()([[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]]), 0.108)


def test_log_cosh_does_not_overflow():
    # log cosh(±1000) = 1000 − log 2 = 999.306853 (the naive log((eˣ + e⁻ˣ)/2) overflows to inf)
    got = _np(losses.log_cosh(np.zeros((1, 2), "float32"), np.array([[1000.0, -1000.0]], "float32")))
    np.testing.assert_allclose(got, [1000 - np.log(2)], rtol=1e-6)


# --- cosine similarity (CosineSimilarityTest) -----------------------------------------------------------
# row 0: [1, 9, 2]·[4, 8, 12] = 100, ‖·‖ = √86·√224 = 138.7948 → cos 0.720488
# row 1: [−5, −2, 6]·[8, 1, 3] = −24, ‖·‖ = √65·√74 = 69.3542 → cos −0.346049
COSINES = np.array([100 / np.sqrt(86 * 224), -24 / np.sqrt(65 * 74)])


def test_cosine_similarity_keras_goldens():
    cosine = losses.CosineSimilarity()
    assert_almost(cosine(MSE_TRUE, MSE_PRED), -np.mean(COSINES))  # −0.187220
    assert_almost(cosine(MSE_TRUE, MSE_PRED, sample_weight=2.3), -np.mean(COSINES * 2.3))
    assert_almost(
        cosine(MSE_TRUE, MSE_PRED, sample_weight=np.array([1.2, 3.4])), -np.mean(COSINES * [1.2, 3.4])
    )
    assert_almost(cosine(MSE_TRUE, MSE_PRED, sample_weight=0), 0.0)
    assert_almost(losses.CosineSimilarity(axis=1)(MSE_TRUE, MSE_PRED), -np.mean(COSINES))
    # time steps of one value: each cosine is sign(y)·sign(ŷ) = [1, 1, 1, −1, −1, 1]
    # weights [3, 6, 5, 0, 4, 2] → −(3 + 6 + 5 − 0 − 4 + 2)/6 = −2
    assert_almost(cosine(TIME_TRUE, TIME_PRED, sample_weight=TIME_WEIGHTS), -2.0)


def test_cosine_similarity_sign_and_zero_vector():
    # Keras's docstring: same direction → −1, orthogonal → 0, opposite → +1; a zero vector gives 0
    got = _np(
        losses.cosine_similarity(
            [[0.0, 1.0], [1.0, 1.0], [1.0, 1.0], [0.0, 0.0]],
            [[1.0, 0.0], [1.0, 1.0], [-1.0, -1.0], [1.0, 2.0]],
        )
    )
    np.testing.assert_allclose(got, [0.0, -1.0, 1.0, 0.0], atol=1e-6)


def test_cosine_similarity_axis_0():
    # columns of [[3, 0], [4, 1]] and [[3, 1], [4, 0]]: (9 + 16)/25 = 1 and 0/1 = 0 → [−1, 0]
    got = _np(losses.cosine_similarity([[3.0, 0.0], [4.0, 1.0]], [[3.0, 1.0], [4.0, 0.0]], axis=0))
    np.testing.assert_allclose(got, [-1.0, 0.0], atol=1e-6)
