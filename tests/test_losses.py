"""Losses against Keras's goldens (golden-values.md §5, §6; keras-api.md §4).

Keras's `assertAlmostEqual` is `decimal=3`; its `assertAllClose` is rtol = atol = 1e-6.
"""

import numpy as np
import pytest

import neurona
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


# --- §5.2 binary cross-entropy ------------------------------------------------------------------------
BCE_TRUE = np.array([[1, 0], [1, 0]], dtype="float32")
BCE_PRED = np.array([[1, 1], [1, 0]], dtype="float32")
LOGIT_TRUE = np.array([[1, 0, 1], [0, 1, 1]], dtype="float32")
LOGITS = np.array([[10, -10, 10], [10, 10, -10]], dtype="float32")


def test_bce_probabilities_allclose():
    y_true = np.eye(3, dtype="float32")
    y_pred = np.array([[0.9, 0.1, 0.2], [0.3, 0.8, 0.1], [0.1, 0.2, 0.7]], dtype="float32")
    np.testing.assert_allclose(
        _np(losses.BinaryCrossentropy()(y_true, y_pred)), 0.20046903, rtol=1e-6, atol=1e-6
    )


def test_bce_float32_clipping_trap():
    # one element (y=0, p=1) is clipped to 1 − 1e-7 = 0.99999988 in float32: −log(1.1920929e-7) = 15.9424;
    # the others are ≈ 1e-7. Mean over 4 elements … per row: (0 + 15.9424)/2, (0 + 0)/2 → 15.9424/4 = 3.98559
    # (float64 clipping would give 16.118/4 = 4.0295)
    assert_almost(losses.BinaryCrossentropy()(BCE_TRUE, BCE_PRED), 3.98559)


def test_bce_probability_sample_weights():
    assert_almost(losses.BinaryCrossentropy()(BCE_TRUE, BCE_PRED, sample_weight=2.3), 9.1668)  # 3.98559·2.3
    # row losses [7.9712, 0]: (7.9712·1.2 + 0·3.4)/2 = 4.7827
    got = losses.BinaryCrossentropy()(BCE_TRUE, BCE_PRED, sample_weight=np.array([1.2, 3.4]).reshape((2, 1)))
    assert_almost(got, 4.7827)


def test_bce_logits():
    # row 0 all right (≈4.5e-5 each); row 1: (10 + 0 + 10)/3 = 6.6667 → mean 3.3333
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert_almost(bce(LOGIT_TRUE, LOGITS), 3.3333)
    assert_almost(bce(LOGIT_TRUE, LOGITS, sample_weight=2.3), 7.666)  # 3.3333·2.3
    assert_almost(bce(LOGIT_TRUE, LOGITS, sample_weight=np.array([4.0, 3.0])), 10.0)  # (0·4 + 6.667·3)/2


def test_bce_logits_reduction_none():
    got = losses.BinaryCrossentropy(from_logits=True, reduction=None)(LOGIT_TRUE, LOGITS)
    np.testing.assert_allclose(_np(got), [0.0, 6.666], atol=1e-3)


def test_bce_all_correct_is_zero():
    y = np.eye(3, dtype="float32")
    assert_almost(losses.BinaryCrossentropy()(y, y), 0.0)
    logits = np.where(y == 1, 10.0, -10.0).astype("float32")
    assert_almost(losses.BinaryCrossentropy(from_logits=True)(y, logits), 0.0)


def test_bce_label_smoothing():
    # y' = y·0.9 + 0.05 = [0.95, 0.05, 0.95]; losses 10 − 9.5 = 0.5, 0 + 0.5 = 0.5, 0 + 9.5 = 9.5 (+≈4.5e-5)
    # → (0.5 + 0.5 + 9.5)/3 = 10.5/3 = 3.5
    bce = losses.BinaryCrossentropy(from_logits=True, label_smoothing=0.1)
    got = bce(np.array([[1, 0, 1]], dtype="float32"), np.array([[10, -10, -10]], dtype="float32"))
    assert_almost(got, 3.5)


def test_bce_shape_mismatch():
    with pytest.raises(ValueError, match="must have the same shape"):
        losses.BinaryCrossentropy()(np.array([[0.0], [1.0], [0.0]]), np.full((3, 3), 0.5))


# --- §6 stable BCE from logits --------------------------------------------------------------------------
def test_bce_from_logits_is_stable_for_confident_wrong_logits():
    # x = 20, y = 0: max(20, 0) − 0 + log1p(e^−20) = 20; x = −20, y = 1: 0 + 20 + log1p(e^−20) = 20
    # (the naive sigmoid→clip→log form saturates at 15.9424 and gives 16.03)
    got = losses.BinaryCrossentropy(from_logits=True)(y_true=[[0.0], [1.0]], y_pred=[[20.0], [-20.0]])
    np.testing.assert_allclose(_np(got), 20.0, rtol=1e-6)


def test_bce_from_logits_exact_value_at_10():
    # 10 + log1p(e^−10) = 10 + 4.53989e-5 = 10.0000454 (the naive form gives 9.999586)
    got = losses.BinaryCrossentropy(from_logits=True)([[0.0]], [[10.0]])
    np.testing.assert_allclose(_np(got), 10.0000454, atol=2e-6)


def test_bce_from_logits_gradient_does_not_vanish():
    # d/dx of mean over 2 samples: (σ(x) − y)/2 → x = 20, y = 0: (1 − 2e-9)/2 ≈ 0.5; x = −20, y = 1: ≈ −0.5
    logits = neurona.Variable([[20.0], [-20.0]])
    with neurona.GradientTape() as tape:
        loss = losses.BinaryCrossentropy(from_logits=True)([[0.0], [1.0]], logits)
    grad = _np(tape.gradient(loss, logits))
    np.testing.assert_allclose(grad, [[0.5], [-0.5]], atol=1e-6)


# --- §5.3 categorical cross-entropy ---------------------------------------------------------------------
CCE_PROBS = np.array([[0.9, 0.05, 0.05], [0.5, 0.89, 0.6], [0.05, 0.01, 0.94]], dtype="float32")
CCE_LOGITS = np.array([[8, 1, 1], [0, 9, 1], [2, 3, 5]], dtype="float32")
EYE = np.eye(3, dtype="float32")
SW = np.array([[1.2], [3.4], [5.6]], dtype="float32")


def test_cce_probabilities_renormalised():
    # row 1 sums to 1.99: p = 0.89/1.99 = 0.44724 → −log = 0.80467; rows 0, 2: −log 0.9 = 0.10536,
    # −log 0.94 = 0.06188 → mean 0.32397 (without renormalisation: 0.0946)
    cce = losses.CategoricalCrossentropy()
    assert_almost(cce(EYE, CCE_PROBS), 0.3239)
    assert_almost(cce(EYE, CCE_PROBS, sample_weight=2.3), 0.7449)
    assert_almost(cce(EYE, CCE_PROBS, sample_weight=SW), 1.0696)


def test_cce_logits():
    cce = losses.CategoricalCrossentropy(from_logits=True)
    assert_almost(cce(EYE, CCE_LOGITS), 0.0573)
    assert_almost(cce(EYE, CCE_LOGITS, sample_weight=2.3), 0.1317)
    assert_almost(cce(EYE, CCE_LOGITS, sample_weight=SW), 0.31829)


def test_cce_logits_reduction_none():
    # row 0: −log_softmax = log(e^0 + 2e^−7) = 0.001822; row 1: log(1 + e^−9 + e^−8) = 0.000459;
    # row 2: log(1 + e^−3 + e^−2) = 0.169846
    got = losses.CategoricalCrossentropy(from_logits=True, reduction=None)(EYE, CCE_LOGITS)
    np.testing.assert_allclose(_np(got), (0.001822, 0.000459, 0.169846), rtol=1e-6, atol=1e-6)


def test_cce_label_smoothing():
    # y' = [0.9 + 0.1/3, 0.1/3, 0.1/3]; log_softmax = [0, −200, −200] → 2·(0.1/3)·200 = 13.3333
    cce = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1)
    got = cce(np.array([[1, 0, 0]], dtype="float32"), np.array([[100, -100, -100]], dtype="float32"))
    assert_almost(got, 400 * 0.1 / 3)


def test_cce_shape_mismatch():
    with pytest.raises(ValueError, match="must have the same shape"):
        losses.CategoricalCrossentropy()(np.array([[0.0], [1.0], [2.0]]), CCE_PROBS)


# --- §5.4 sparse categorical cross-entropy --------------------------------------------------------------
@pytest.mark.parametrize("labels", [np.array([0, 1, 2]), np.array([[0], [1], [2]])], ids=["flat", "column"])
def test_scce_matches_cce_numbers(labels):
    scce = losses.SparseCategoricalCrossentropy()
    scce_logits = losses.SparseCategoricalCrossentropy(from_logits=True)
    assert_almost(scce(labels, CCE_PROBS), 0.3239)
    assert_almost(scce_logits(labels, CCE_LOGITS), 0.0573)
    assert_almost(scce(labels, CCE_PROBS, sample_weight=2.3), 0.7449)
    assert_almost(scce_logits(labels, CCE_LOGITS, sample_weight=2.3), 0.1317)
    assert_almost(scce(labels, CCE_PROBS, sample_weight=SW), 1.0696)
    assert_almost(scce_logits(labels, CCE_LOGITS, sample_weight=SW), 0.31829)


def test_scce_logits_reduction_none():
    got = losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)(
        np.array([0, 1, 2]), CCE_LOGITS
    )
    np.testing.assert_allclose(_np(got), (0.001822, 0.000459, 0.169846), rtol=1e-6, atol=1e-6)


def test_scce_ignore_class():
    # label −1 ignored → 0; label 2 of [0.088, 0.86, 0.018]: logsumexp = log(1.0920 + 2.3632 + 1.0182)
    # = 1.49813 → 1.49813 − 0.018 = 1.480129
    scce = losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1, reduction=None)
    y = np.array([[-1, 2]])
    logits = np.array([[[0.854, 0.698, 0.598], [0.088, 0.86, 0.018]]], dtype="float32")
    np.testing.assert_allclose(_np(scce(y, logits)), [[0.0, 1.480129]], atol=1e-6)


@pytest.mark.parametrize(
    "labels", [np.array([0, 1]), np.array([[0, 1], [1, 2], [2, 0]])], ids=["short", "wide"]
)
def test_scce_shape_mismatch(labels):
    with pytest.raises(ValueError, match="must have the same shape up until the last dimension"):
        losses.SparseCategoricalCrossentropy()(labels, CCE_PROBS)


def test_scce_label_out_of_range():
    with pytest.raises(ValueError) as info:
        losses.SparseCategoricalCrossentropy(from_logits=True)(np.array([0, 5, 2]), CCE_LOGITS)
    assert "5" in str(info.value)
    assert "[0, 3)" in str(info.value)


@pytest.mark.parametrize(
    "labels", [np.array([0, -1, 2]), np.array([0.0, 1.5, 2.0])], ids=["negative", "fractional"]
)
def test_scce_invalid_labels(labels):
    with pytest.raises(ValueError):
        losses.SparseCategoricalCrossentropy(from_logits=True)(labels, CCE_LOGITS)


# --- string lookup ---------------------------------------------------------------------------------------
def test_get_function_names_and_aliases():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("mean_squared_error") is losses.mean_squared_error
    assert losses.get("mae") is losses.mean_absolute_error
    assert losses.get("bce") is losses.binary_crossentropy
    assert losses.get("BCE") is losses.binary_crossentropy


def test_get_class_name_gives_instance():
    loss = losses.get("MeanSquaredError")
    assert isinstance(loss, losses.MeanSquaredError)
    assert_almost(loss(MSE_TRUE, MSE_PRED), 49.5)


def test_get_unknown_lists_valid_names():
    with pytest.raises(ValueError) as info:
        losses.get("mean_sqared_error")
    message = str(info.value)
    assert "mean_sqared_error" in message
    for name in ("mean_squared_error", "binary_crossentropy", "mse"):
        assert name in message
