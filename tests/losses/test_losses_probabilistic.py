"""Probabilistic losses (`neurona/losses/probabilistic.py`) against Keras's goldens (golden-values.md §5,
§6; keras-api.md §4; keras/src/losses/losses_test.py) and hand-worked values.

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


# --- binary focal cross-entropy (BinaryFocalCrossentropyTest) ---------------------------------------------
BF_TRUE = np.array([1, 0, 1, 0]).reshape((2, 2))
BF_PROBS = np.array([0.9, 0.8, 0.7, 0.2], dtype="float32").reshape((2, 2))
BF_LOGIT_TRUE = np.array([[1, 1, 0], [0, 1, 0]], dtype="float32")
BF_LOGITS = np.array([[1.5, -2.7, 2.9], [-3.8, 1.2, -4.5]])


def test_binary_focal_probabilities_by_hand():
    # y = 1, p = 0.9: (1 − 0.9)²·(−log 0.9) = 0.01·0.105361 = 0.00105361
    # y = 0, p = 0.8: 0.8²·(−log 0.2) = 0.64·1.609438 = 1.03004 → row 0: 0.515547
    # y = 1, p = 0.7: 0.3²·0.356675 = 0.0321007; y = 0, p = 0.2: 0.2²·0.223144 = 0.00892574 → row 1: 0.0205132
    got = losses.BinaryFocalCrossentropy(gamma=2.0, reduction=None)(BF_TRUE, BF_PROBS)
    np.testing.assert_allclose(
        _np(got), (0.515547, 0.020513), rtol=1e-6, atol=1e-6
    )  # Keras's test_no_reduction


def test_binary_focal_keras_goldens():
    focal = losses.BinaryFocalCrossentropy(gamma=2.0)
    assert_almost(focal(BF_TRUE, BF_PROBS), 0.268)  # (0.515547 + 0.020513)/2
    assert_almost(focal(BF_TRUE, BF_PROBS, sample_weight=1.23), 0.3296)
    assert_almost(focal(BF_TRUE, BF_PROBS, sample_weight=np.array([1.2, 3.4]).reshape((2, 1))), 0.34415)
    focal_logits = losses.BinaryFocalCrossentropy(gamma=3.0, from_logits=True)
    assert_almost(focal_logits(BF_LOGIT_TRUE, BF_LOGITS), 0.799)
    assert_almost(focal_logits(BF_LOGIT_TRUE, BF_LOGITS, sample_weight=3.21), 2.565)
    assert_almost(focal_logits(BF_LOGIT_TRUE, BF_LOGITS, sample_weight=np.array([[1.2], [3.4]])), 0.95977)
    # test_all_correct_unweighted
    eye = np.eye(3, dtype="float32")
    assert_almost(losses.BinaryFocalCrossentropy(gamma=1.5)(eye, eye), 0.0)
    logits = np.where(eye == 1, 100.0, -100.0)
    assert_almost(losses.BinaryFocalCrossentropy(gamma=2.0, from_logits=True)(eye, logits), 0.0)


def test_binary_focal_keras_docstring_examples():
    # keras.losses.BinaryFocalCrossentropy docstring (from_logits=True)
    y_true, logits = np.array([0, 1, 0, 0]), np.array([-18.6, 0.51, 2.94, -12.8])
    assert_almost(losses.BinaryFocalCrossentropy(gamma=2, from_logits=True)(y_true, logits), 0.691)
    balanced = losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=2, from_logits=True)
    assert_almost(balanced(y_true, logits), 0.51)
    y_true, logits = np.array([[0, 1], [0, 0]]), np.array([[-18.6, 0.51], [2.94, -12.8]])
    assert_almost(losses.BinaryFocalCrossentropy(gamma=3, from_logits=True)(y_true, logits), 0.647)
    balanced = losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=3, from_logits=True)
    assert_almost(balanced(y_true, logits), 0.482)
    assert_almost(
        losses.BinaryFocalCrossentropy(gamma=3, from_logits=True)(y_true, logits, [0.8, 0.2]), 0.133
    )
    assert_almost(balanced(y_true, logits, sample_weight=[0.8, 0.2]), 0.097)
    summed = losses.BinaryFocalCrossentropy(gamma=4, from_logits=True, reduction="sum")
    assert_almost(summed(y_true, logits), 1.222)
    none = losses.BinaryFocalCrossentropy(gamma=5, from_logits=True, reduction=None)
    np.testing.assert_allclose(_np(none(y_true, logits)), [0.0017, 1.1561], atol=1e-4)
    none = losses.BinaryFocalCrossentropy(
        apply_class_balancing=True, gamma=5, from_logits=True, reduction=None
    )
    np.testing.assert_allclose(_np(none(y_true, logits)), [0.0004, 0.8670], atol=1e-4)
    # keras.losses.binary_focal_crossentropy docstring (probabilities)
    got = losses.binary_focal_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], gamma=2)
    np.testing.assert_allclose(_np(got), [0.330, 0.206], atol=1e-3)


def test_binary_focal_gamma_0_is_bce_and_balancing_weights():
    y_true, y_pred = np.array([[1.0, 0.0, 1.0]]), np.array([[0.3, 0.4, 0.9]])
    bce = _np(losses.binary_crossentropy(y_true, y_pred))
    np.testing.assert_allclose(
        _np(losses.binary_focal_crossentropy(y_true, y_pred, gamma=0.0)), bce, rtol=1e-6
    )
    # α = 0.25 weights class 1 by 0.25 and class 0 by 0.75, γ = 0:
    # (0.25·1.203973 + 0.75·0.510826 + 0.25·0.105361)/3 = (0.300993 + 0.383119 + 0.026340)/3 = 0.236818
    got = losses.binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=True, gamma=0.0)
    np.testing.assert_allclose(_np(got), [0.236817], rtol=1e-5)


def test_binary_focal_from_logits_is_stable():
    # y = 0, x = 100: σ(x)^γ·softplus(x) = 1·100 = 100 (clip-then-log would saturate at 15.94 in float32)
    # y = 1, x = −100: (1 − p_t)^γ = σ(100)² = 1 times softplus(100) = 100
    got = losses.BinaryFocalCrossentropy(from_logits=True, reduction=None)(
        [[0.0], [1.0]], [[100.0], [-100.0]]
    )
    np.testing.assert_allclose(_np(got), [100.0, 100.0], rtol=1e-6)


def test_binary_focal_label_smoothing():
    # ls = 0.2: y = 1 → 0.9; p = 0.8: 1 − p_t = 0.9·0.2 + 0.1·0.8 = 0.26
    # bce = −(0.9·log 0.8 + 0.1·log 0.2) = 0.200829 + 0.160944 = 0.361773 → 0.26²·0.361773 = 0.0244559
    got = losses.binary_focal_crossentropy([[1.0]], [[0.8]], label_smoothing=0.2)
    np.testing.assert_allclose(_np(got), [0.0244559], rtol=1e-5)


# --- categorical focal cross-entropy (CategoricalFocalCrossentropyTest) -----------------------------------
def test_categorical_focal_keras_goldens():
    focal = losses.CategoricalFocalCrossentropy()
    # row 0: 0.25·0.1²·0.105361 = 0.000263; row 1: p = 0.89/1.99 = 0.447236 → 0.25·0.552764²·0.804719
    # = 0.061471; row 2: 0.25·0.06²·0.061875 = 0.0000557 → mean 0.020597
    assert_almost(focal(EYE, CCE_PROBS), 0.02059)
    assert_almost(focal(EYE, CCE_PROBS, sample_weight=2.3), 0.047368)
    assert_almost(focal(EYE, CCE_PROBS, sample_weight=SW), 0.06987)
    focal_logits = losses.CategoricalFocalCrossentropy(from_logits=True)
    assert_almost(focal_logits(EYE, CCE_LOGITS), 0.000345)
    assert_almost(focal_logits(EYE, CCE_LOGITS, sample_weight=2.3), 0.000794, decimal=4)
    assert_almost(focal_logits(EYE, CCE_LOGITS, sample_weight=SW), 0.001933)
    none = losses.CategoricalFocalCrossentropy(from_logits=True, reduction=None)(EYE, CCE_LOGITS)
    np.testing.assert_allclose(_np(none), (1.5096224e-09, 2.4136547e-11, 1.0360638e-03), rtol=1e-6, atol=1e-6)
    ls = losses.CategoricalFocalCrossentropy(from_logits=True, label_smoothing=0.1)
    assert_almost(ls(np.array([[1, 0, 0]]), np.array([[4.9, -0.5, 2.05]])), 0.06685)
    # test_all_correct_unweighted
    assert_almost(losses.CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0)(EYE.astype("int64"), EYE), 0.0)
    assert_almost(focal_logits(EYE, 10 * EYE), 0.0)


def test_categorical_focal_keras_docstring_examples():
    y_true, y_pred = [[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.05, 0.95, 0.0], [0.1, 0.8, 0.1]]
    assert_almost(losses.CategoricalFocalCrossentropy()(y_true, y_pred), 0.23315276)
    assert_almost(
        losses.CategoricalFocalCrossentropy()(y_true, y_pred, sample_weight=np.array([0.3, 0.7])), 0.1632
    )
    assert_almost(losses.CategoricalFocalCrossentropy(reduction="sum")(y_true, y_pred), 0.46631)
    none = losses.CategoricalFocalCrossentropy(reduction=None)(y_true, y_pred)
    np.testing.assert_allclose(_np(none), [3.2058331e-05, 4.6627346e-01], rtol=1e-5)
    got = losses.categorical_focal_crossentropy(
        [[0, 1, 0], [0, 0, 1]], [[0.05, 0.9, 0.05], [0.1, 0.85, 0.05]]
    )
    np.testing.assert_allclose(_np(got), [2.63401289e-04, 6.75912094e-01], rtol=1e-5)


def test_categorical_focal_alpha_per_class_by_hand():
    # p = [0.5, 0.3, 0.2], y = class 1, α = [0.1, 0.6, 0.3], γ = 1: 0.6·(1 − 0.3)·(−log 0.3) = 0.42·1.203973
    got = losses.categorical_focal_crossentropy(
        [[0.0, 1.0, 0.0]], [[0.5, 0.3, 0.2]], alpha=[0.1, 0.6, 0.3], gamma=1.0
    )
    np.testing.assert_allclose(_np(got), [0.42 * -np.log(0.3)], rtol=1e-6)
    # along axis 0 the classes are the rows
    got = losses.categorical_focal_crossentropy(
        [[0.0], [1.0], [0.0]], [[0.5], [0.3], [0.2]], alpha=[0.1, 0.6, 0.3], gamma=1.0, axis=0
    )
    np.testing.assert_allclose(_np(got), [0.42 * -np.log(0.3)], rtol=1e-6)


def test_categorical_focal_from_logits_is_stable():
    # true class at −100, another at +100: log p = −200 exactly, (1 − p)² = 1 → 0.25·200 = 50
    got = losses.CategoricalFocalCrossentropy(from_logits=True)([[1.0, 0.0]], [[-100.0, 100.0]])
    np.testing.assert_allclose(_np(got), 50.0, rtol=1e-6)


# --- KL divergence (KLDivergenceTest) ---------------------------------------------------------------------
KL_PRED = np.array([[0.4, 0.9, 0.12], [0.36, 0.3, 0.4]], dtype="float32")
KL_TRUE = np.array([[0.5, 0.8, 0.12], [0.7, 0.43, 0.8]], dtype="float32")
# row 0: 0.5·log(1.25) + 0.8·log(0.8/0.9) + 0.12·log 1 = 0.111572 − 0.094226 + 0 = 0.017345
# row 1: 0.7·log(0.7/0.36) + 0.43·log(0.43/0.3) + 0.8·log 2 = 0.465483 + 0.154801 + 0.554518 = 1.174802
KL_ROWS = np.sum(KL_TRUE * np.log(KL_TRUE / KL_PRED), axis=-1)


def test_kl_divergence_by_hand():
    np.testing.assert_allclose(KL_ROWS, [0.017345, 1.174802], atol=2e-6)
    np.testing.assert_allclose(_np(losses.kl_divergence(KL_TRUE, KL_PRED)), KL_ROWS, rtol=1e-5)


def test_kl_divergence_keras_goldens():
    kld = losses.KLDivergence()
    assert_almost(kld(KL_TRUE, KL_PRED), np.sum(KL_ROWS) / 2)  # 0.596074
    assert_almost(kld(KL_TRUE, KL_PRED, sample_weight=2.3), 2.3 * np.sum(KL_ROWS) / 2)
    weights = np.array([1.2, 3.4], dtype="float32").reshape((2, 1))
    assert_almost(kld(KL_TRUE, KL_PRED, sample_weight=weights), np.sum(KL_ROWS * [1.2, 3.4]) / 2)
    time_weights = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3))
    per_step = KL_TRUE * np.log(KL_TRUE / KL_PRED)  # one value per time step (the last axis has size 1)
    got = kld(KL_TRUE.reshape((2, 3, 1)), KL_PRED.reshape((2, 3, 1)), sample_weight=time_weights)
    assert_almost(got, np.sum(per_step * time_weights) / 6)
    assert_almost(kld(KL_TRUE, KL_PRED, sample_weight=0), 0.0)
    assert (losses.KLDivergence(reduction="sum", name="kld").name, "sum") == ("kld", "sum")


def test_kl_divergence_clips_both_sides():
    # y_true = 0 → clipped to 1e-7: 1e-7·log(1e-7/0.5) ≈ −1.5e-6; y_pred = 0 → 1e-7: 1·log(1/1e-7) = 16.118096
    got = _np(losses.kl_divergence([[0.0, 1.0]], [[0.5, 0.0]]))
    np.testing.assert_allclose(got, [1e-7 * np.log(2e-7) + np.log(1e7)], rtol=1e-5)


# --- Poisson (PoissonTest) --------------------------------------------------------------------------------
P_PRED = np.array([1, 9, 2, 5, 2, 6], dtype="float32").reshape((2, 3))
P_TRUE = np.array([4, 8, 12, 8, 1, 3], dtype="float32").reshape((2, 3))
# ŷ − y·log ŷ: 1 − 0 = 1; 9 − 8·log 9 = −8.577889; 2 − 12·log 2 = −6.317766;
# 5 − 8·log 5 = −7.875503; 2 − log 2 = 1.306853; 6 − 3·log 6 = 0.624719 → Σ = −19.839586
P_ELEMENTS = P_PRED - P_TRUE * np.log(P_PRED)


def test_poisson_keras_goldens():
    poisson = losses.Poisson()
    assert_almost(poisson(P_TRUE, P_PRED), -19.839586 / 6)
    assert_almost(poisson(P_TRUE, P_PRED, sample_weight=2.3), 2.3 * np.sum(P_ELEMENTS) / 6)
    weights = np.array([1.2, 3.4]).reshape((2, 1))
    assert_almost(poisson(P_TRUE, P_PRED, sample_weight=weights), np.sum(P_ELEMENTS * weights) / 6)
    time_weights = np.array([3, 6, 5, 0, 4, 2]).reshape((2, 3))
    got = poisson(P_TRUE.reshape((2, 3, 1)), P_PRED.reshape((2, 3, 1)), sample_weight=time_weights)
    assert_almost(got, np.sum(P_ELEMENTS * time_weights) / 6)
    assert_almost(poisson(P_TRUE, P_PRED, sample_weight=0), 0.0)


def test_poisson_epsilon_keeps_zero_rate_finite():
    # ŷ = 0, y = 2: 0 − 2·log(1e-7) = 32.236191
    np.testing.assert_allclose(_np(losses.poisson([[2.0]], [[0.0]])), [-2 * np.log(1e-7)], rtol=1e-5)
