"""Gradients of every loss (float64 central differences, `neurona.gradcheck`), with respect to y_pred and,
where the loss is differentiable in it, y_true; and the from-logits forms at confidently wrong logits
(±100): a finite value and exactly the analytic gradient (σ(x) − y for binary cross-entropy)."""

import numpy as np
import pytest

import neurona
from neurona import losses

F64 = np.float64
TARGETS = np.array([[0.5, 1.5, -1.0], [2.0, -0.5, 0.3], [1.0, 1.0, 1.0], [-2.0, 0.7, 0.1]], F64)
PREDS = np.array([[0.1, 2.5, -1.5], [1.0, 0.5, 0.2], [0.5, 3.0, 1.2], [-1.0, 0.2, 0.9]], F64)
PROBS = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.25, 0.25, 0.5], [0.1, 0.8, 0.1]], F64)
OTHER_PROBS = np.array([[0.3, 0.3, 0.4], [0.5, 0.2, 0.3], [0.15, 0.35, 0.5], [0.2, 0.6, 0.2]], F64)
ONE_HOT = np.eye(3)[[1, 0, 2, 2]]
LOGITS = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0], [2.0, 1.0, -3.0], [-0.5, 0.0, 0.5]], F64)
BINARY = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]], F64)
SOFT = np.array([[0.9, 0.2, 0.7], [0.1, 0.3, 0.8], [0.6, 0.95, 0.05], [0.4, 0.5, 0.75]], F64)
SIGNS = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0], [1.0, 1.0, -1.0], [-1.0, 1.0, 1.0]], F64)
MARGINS = np.array([[0.3, 0.4, 2.0], [-0.2, 0.6, 0.7], [1.4, 0.1, -0.5], [0.5, -0.3, 0.8]], F64)
COUNTS = np.array([[1.5, 0.5, 3.0], [2.0, 5.0, 1.0], [0.5, 1.0, 1.5], [4.0, 2.0, 0.5]], F64)
RATES = np.array([[0.5, 0.2, 2.5], [1.5, 4.0, 0.7], [0.3, 1.1, 0.9], [3.0, 2.5, 0.4]], F64)
WEIGHTS = np.array([0.5, 2.0, 1.0, 1.5])

# name: (loss(y_true, y_pred), y_true, y_pred, differentiable in y_true). All points stay away from kinks
# (|error| = δ, a hinge margin of 0, clip boundaries, ties in a max).
CASES = {
    "mean_squared_error": (losses.MeanSquaredError(), TARGETS, PREDS, True),
    "mean_absolute_error": (losses.MeanAbsoluteError(), TARGETS, PREDS, True),
    "mean_absolute_percentage_error": (losses.MeanAbsolutePercentageError(), TARGETS, PREDS, True),
    "mean_squared_logarithmic_error": (losses.MeanSquaredLogarithmicError(), COUNTS, RATES, True),
    "huber": (losses.Huber(delta=0.7), TARGETS, PREDS, True),
    "log_cosh": (losses.LogCosh(), TARGETS, PREDS, True),
    "cosine_similarity": (losses.CosineSimilarity(), TARGETS, PREDS, True),
    "binary_crossentropy": (losses.BinaryCrossentropy(label_smoothing=0.1), SOFT, PROBS, True),
    "binary_crossentropy_logits": (losses.BinaryCrossentropy(from_logits=True), SOFT, LOGITS, True),
    "binary_focal_crossentropy": (
        losses.BinaryFocalCrossentropy(apply_class_balancing=True, gamma=1.5),
        SOFT,
        PROBS,
        True,
    ),
    "binary_focal_crossentropy_logits": (
        losses.BinaryFocalCrossentropy(from_logits=True, label_smoothing=0.1),
        SOFT,
        LOGITS,
        True,
    ),
    "categorical_crossentropy": (losses.CategoricalCrossentropy(), OTHER_PROBS, PROBS, True),
    "categorical_crossentropy_logits": (
        losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1),
        OTHER_PROBS,
        LOGITS,
        True,
    ),
    "categorical_focal_crossentropy": (
        losses.CategoricalFocalCrossentropy(alpha=[0.2, 0.3, 0.5]),
        OTHER_PROBS,
        PROBS,
        True,
    ),
    "categorical_focal_crossentropy_logits": (
        losses.CategoricalFocalCrossentropy(from_logits=True, gamma=3.0),
        OTHER_PROBS,
        LOGITS,
        True,
    ),
    "sparse_categorical_crossentropy": (
        losses.SparseCategoricalCrossentropy(),
        np.array([1, 0, 2, 2]),
        PROBS,
        False,
    ),
    "sparse_categorical_crossentropy_logits": (
        losses.SparseCategoricalCrossentropy(from_logits=True),
        np.array([1, 0, 2, 2]),
        LOGITS,
        False,
    ),
    "kl_divergence": (losses.KLDivergence(), OTHER_PROBS, PROBS, True),
    "poisson": (losses.Poisson(), COUNTS, RATES, True),
    "hinge": (losses.Hinge(), SIGNS, MARGINS, True),
    "squared_hinge": (losses.SquaredHinge(), SIGNS, MARGINS, True),
    "categorical_hinge": (losses.CategoricalHinge(), ONE_HOT, PREDS, True),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_gradcheck_wrt_y_pred(case):
    loss, y_true, y_pred, _ = CASES[case]
    per_sample = type(loss).from_config({**loss.get_config(), "reduction": None})
    assert neurona.gradcheck(lambda p: per_sample(y_true, p), [y_pred.copy()])
    assert neurona.gradcheck(lambda p: loss(y_true, p, sample_weight=WEIGHTS), [y_pred.copy()])


@pytest.mark.parametrize("case", sorted(name for name in CASES if CASES[name][3]))
def test_gradcheck_wrt_y_true(case):
    loss, y_true, y_pred, _ = CASES[case]
    assert neurona.gradcheck(lambda t: loss(t, y_pred, sample_weight=WEIGHTS), [y_true.copy()])


def test_gradcheck_both_inputs_at_once():
    loss = losses.Huber(delta=0.7)
    assert neurona.gradcheck(lambda t, p: loss(t, p), [TARGETS.copy(), PREDS.copy()])


def test_cosine_similarity_zero_vector_is_finite():
    # near ŷ = 0 the norm is floored at ε, so the loss is −t̂·ŷ/ε: value 0, gradient −t̂/ε (no NaN)
    y_pred = neurona.Variable(np.zeros((1, 3)))
    with neurona.GradientTape() as tape:
        value = losses.cosine_similarity([[1.0, 2.0, 3.0]], y_pred)
    np.testing.assert_array_equal(value.numpy(), [0.0])
    np.testing.assert_allclose(
        tape.gradient(value, y_pred).numpy(), -np.array([[1.0, 2.0, 3.0]]) / np.sqrt(14) / 1e-7
    )


# --- confidently wrong logits -----------------------------------------------------------------------------
def sigmoid(x):
    return np.where(x >= 0, 1 / (1 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1 + np.exp(-np.abs(x))))


def log_softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def value_and_gradient(loss, y_true, logits, dtype=F64):
    x = neurona.Variable(np.array(logits, dtype=dtype))
    with neurona.GradientTape() as tape:
        value = loss(y_true, x)
    return value.numpy(), tape.gradient(value, x).numpy()


EXTREME = np.array([[100.0, -100.0], [-100.0, 100.0], [100.0, 100.0]], F64)
EXTREME_BINARY = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]], F64)  # five of six confidently wrong
EXTREME_ONE_HOT = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]], F64)


def test_bce_logits_at_100():
    # wrong elements: max(x, 0) − x·y + log1p(e^−100) = 100; the right one (x = 100, y = 1) ≈ 3.7e-44
    # per-row means: 100, 100, (0 + 100)/2 = 50 → 250/3; dL/dx = (σ(x) − y)/6
    value, grad = value_and_gradient(losses.BinaryCrossentropy(from_logits=True), EXTREME_BINARY, EXTREME)
    np.testing.assert_allclose(value, 250 / 3, rtol=1e-12)
    np.testing.assert_allclose(grad, (sigmoid(EXTREME) - EXTREME_BINARY) / 6, rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(grad, [[1 / 6, -1 / 6], [-1 / 6, 1 / 6], [0.0, 1 / 6]], atol=1e-15)


def test_binary_focal_logits_at_100():
    gamma = 2.0
    value, grad = value_and_gradient(
        losses.BinaryFocalCrossentropy(gamma=gamma, from_logits=True), EXTREME_BINARY, EXTREME
    )
    x, y = EXTREME, EXTREME_BINARY
    bce = np.logaddexp(0, x) - x * y
    q = y * sigmoid(-x) + (1 - y) * sigmoid(x)  # 1 − p_t
    dq = (1 - 2 * y) * sigmoid(x) * sigmoid(-x)
    analytic = (gamma * q ** (gamma - 1) * dq * bce + q**gamma * (sigmoid(x) - y)) / 6
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    np.testing.assert_allclose(value, np.mean(q**gamma * bce), rtol=1e-12)
    np.testing.assert_allclose(
        value, 500 / 6, rtol=1e-12
    )  # five wrong elements: 1²·100 each; the right one ≈ 0
    # (the right element's true gradient is ≈ −3e^−300: both sides round it to something below 1e-100)
    np.testing.assert_allclose(grad, analytic, rtol=1e-12, atol=1e-100)


def test_cce_logits_at_100():
    # row 0: log softmax of the true class = −200 → 200; row 2: ties → log 2; mean (200 + 200 + log 2)/3
    value, grad = value_and_gradient(
        losses.CategoricalCrossentropy(from_logits=True), EXTREME_ONE_HOT, EXTREME
    )
    np.testing.assert_allclose(value, (400 + np.log(2)) / 3, rtol=1e-12)
    np.testing.assert_allclose(
        grad, (np.exp(log_softmax(EXTREME)) - EXTREME_ONE_HOT) / 3, rtol=1e-12, atol=1e-300
    )


def test_scce_logits_at_100():
    value, grad = value_and_gradient(
        losses.SparseCategoricalCrossentropy(from_logits=True), np.array([1, 0, 0]), EXTREME
    )
    np.testing.assert_allclose(value, (400 + np.log(2)) / 3, rtol=1e-12)
    np.testing.assert_allclose(
        grad, (np.exp(log_softmax(EXTREME)) - EXTREME_ONE_HOT) / 3, rtol=1e-12, atol=1e-300
    )


def test_categorical_focal_logits_at_100():
    alpha, gamma = 0.25, 2.0
    value, grad = value_and_gradient(
        losses.CategoricalFocalCrossentropy(alpha=alpha, gamma=gamma, from_logits=True),
        EXTREME_ONE_HOT,
        EXTREME,
    )
    log_p = log_softmax(EXTREME)
    p, y = np.exp(log_p), EXTREME_ONE_HOT
    rows = np.sum(alpha * (1 - p) ** gamma * -y * log_p, axis=-1)  # 0.25·200, 0.25·200, 0.25·¼·log 2
    np.testing.assert_allclose(value, rows.mean(), rtol=1e-12)
    np.testing.assert_allclose(value, (100 + 0.0625 * np.log(2)) / 3, rtol=1e-12)
    # dL/dx_j = Σ_c α[γ(1 − p_c)^(γ−1)·p_c(δ_cj − p_j)·y_c log p_c − (1 − p_c)^γ·y_c(δ_cj − p_j)]
    dp = p[:, :, None] * (np.eye(2)[None] - p[:, None, :])  # dp[n, c, j] = ∂p_c/∂x_j
    analytic = (
        np.sum(
            alpha
            * (
                gamma * ((1 - p) ** (gamma - 1) * y * log_p)[:, :, None] * dp
                - ((1 - p) ** gamma * y)[:, :, None] * (np.eye(2)[None] - p[:, None, :])
            ),
            axis=1,
        )
        / 3
    )
    np.testing.assert_allclose(grad, analytic, rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize(
    "loss, y_true",
    [
        (losses.BinaryCrossentropy(from_logits=True), EXTREME_BINARY),
        (losses.BinaryFocalCrossentropy(from_logits=True, apply_class_balancing=True), EXTREME_BINARY),
        (losses.CategoricalCrossentropy(from_logits=True), EXTREME_ONE_HOT),
        (losses.CategoricalFocalCrossentropy(from_logits=True), EXTREME_ONE_HOT),
        (losses.SparseCategoricalCrossentropy(from_logits=True), np.array([1, 0, 0])),
    ],
    ids=["bce", "binary_focal", "cce", "categorical_focal", "scce"],
)
def test_gradcheck_at_extreme_logits(loss, y_true):
    # float32 too: the value stays finite and the gradient does not vanish
    value, grad = value_and_gradient(loss, y_true, EXTREME)
    assert np.isfinite(value) and np.all(np.isfinite(grad)) and np.abs(grad).max() > 0.01
    assert neurona.gradcheck(lambda x: loss(y_true, x), [EXTREME.copy()])
    x32 = neurona.Variable(EXTREME.astype("float32"))
    with neurona.GradientTape() as tape:
        value32 = loss(y_true, x32)
    grad32 = tape.gradient(value32, x32).numpy()
    assert np.isfinite(float(value32)) and np.all(np.isfinite(grad32))
    np.testing.assert_allclose(grad32, grad, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize(
    "loss, y_true, y_pred",
    [
        (losses.BinaryFocalCrossentropy(gamma=0.5, from_logits=True), [[1.0, 0.0]], [[800.0, -800.0]]),
        (losses.BinaryFocalCrossentropy(gamma=0.5), [[1.0, 0.0]], [[1.0, 0.0]]),
        (losses.CategoricalFocalCrossentropy(gamma=0.5, from_logits=True), [[1.0, 0.0]], [[800.0, -800.0]]),
    ],
    ids=["binary_logits", "binary_probabilities", "categorical_logits"],
)
def test_focal_gamma_below_1_on_exactly_right_predictions(loss, y_true, y_pred, dtype):
    # (1 − p_t)^γ has an infinite slope at 1 − p_t = 0 when γ < 1; the factor is floored at the smallest
    # normal float, so the gradient is 0 (its limit), not inf·0 = NaN, and no warning is raised
    value, grad = value_and_gradient(loss, np.array(y_true), y_pred, dtype)
    assert 0 <= value < 1e-18 and np.all(grad == 0)
