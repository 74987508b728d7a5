"""Golden trajectories and single steps of SGD, Adam and RMSprop (golden-values.md §1, §2, §3).

Protocol of §1/§3: `x` is ten ones; apply `[0.01] * 10` once, then for i = 0..4 compare `x` with
`golden[i]` and apply `arange(0.1, 1.1, 0.1)`.
"""

import numpy as np
import pytest

import neurona
from neurona.optimizers import SGD, Adam, RMSprop

FIRST_GRADS = np.full(10, 0.01, dtype="float32")
GRADS = np.arange(0.1, 1.1, 0.1).astype("float32")


def _trajectory(optimizer, dtype=None, via="apply_gradients"):
    """The five rows x after the 0.01 step and after each of four further `GRADS` steps."""
    x = neurona.Variable(np.ones(10, dtype="float32"), dtype=dtype)
    rows = []

    def step(grads):
        if via == "apply_gradients":
            optimizer.apply_gradients(zip([grads], [x]))
        else:
            optimizer.apply([grads], [x])

    step(FIRST_GRADS)
    for _ in range(5):
        rows.append(np.array(x.numpy(), dtype="float64"))
        step(GRADS)
    return np.stack(rows)


# --- §1: Keras's `test_correctness_with_golden` (rtol = atol = 5e-4) -----------------------------------
SGD_GOLDEN = np.array(
    [
        [0.9999] * 10,
        [0.9989, 0.9979, 0.9969, 0.9959, 0.9949, 0.9939, 0.9929, 0.9919, 0.9909, 0.9899],
        [0.9979, 0.9959, 0.9939, 0.9919, 0.9899, 0.9879, 0.9859, 0.9839, 0.9819, 0.9799],
        [0.9969, 0.9939, 0.9909, 0.9879, 0.9849, 0.9819, 0.9789, 0.9759, 0.9729, 0.9699],
        [0.9959, 0.9919, 0.9879, 0.9839, 0.9799, 0.9759, 0.9719, 0.9679, 0.9639, 0.9599],
    ]
)
ADAM_AMSGRAD_GOLDEN = np.tile(np.array([[0.999], [0.9982], [0.9974], [0.9965], [0.9955]]), (1, 10))
RMSPROP_CENTERED_GOLDEN = np.tile(np.array([[0.9967], [0.9933], [0.9908], [0.9885], [0.9864]]), (1, 10))


@pytest.mark.parametrize("via", ["apply_gradients", "apply"])
def test_sgd_nesterov_golden(via):
    np.testing.assert_allclose(_trajectory(SGD(nesterov=True), via=via), SGD_GOLDEN, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("via", ["apply_gradients", "apply"])
def test_adam_amsgrad_golden(via):
    got = _trajectory(Adam(amsgrad=True), dtype="float32", via=via)
    np.testing.assert_allclose(got, ADAM_AMSGRAD_GOLDEN, rtol=5e-4, atol=5e-4)


@pytest.mark.parametrize("via", ["apply_gradients", "apply"])
def test_rmsprop_centered_golden(via):
    got = _trajectory(RMSprop(centered=True), via=via)
    np.testing.assert_allclose(got, RMSPROP_CENTERED_GOLDEN, rtol=5e-4, atol=5e-4)


# --- §3: exact per-column trajectories (Keras 3.15.1, float32), atol 1e-6 -------------------------------
EXACT = {
    "sgd_momentum": (
        lambda: SGD(0.01, momentum=0.9),
        [0.9999, 0.99881, 0.996829, 0.994046, 0.990541],
        [0.9999, 0.98981, 0.970729, 0.943556, 0.9091],
    ),
    "sgd_nesterov": (
        lambda: SGD(0.01, momentum=0.9, nesterov=True),
        [0.99981, 0.997829, 0.995046, 0.991541, 0.987387],
        [0.99981, 0.980729, 0.953556, 0.9191, 0.87809],
    ),
    "adam": (
        lambda: Adam(),
        [0.999, 0.998193, 0.9973, 0.996368, 0.995413],
        [0.999, 0.99825, 0.997387, 0.996475, 0.995535],
    ),
    "rmsprop_momentum": (
        lambda: RMSprop(0.01, momentum=0.9),
        [0.968534, 0.908735, 0.832024, 0.7438, 0.647363],
        [0.968534, 0.908594, 0.831706, 0.743298, 0.646679],
    ),
}


@pytest.mark.parametrize("case", sorted(EXACT))
def test_exact_trajectory_columns_0_and_9(case):
    make, col0, col9 = EXACT[case]
    got = _trajectory(make(), dtype="float32")
    np.testing.assert_allclose(got[:, 0], col0, rtol=0, atol=1e-6)
    np.testing.assert_allclose(got[:, 9], col9, rtol=0, atol=1e-6)


def test_sgd_momentum_hand_worked_first_steps():
    # SGD(0.01, momentum=0.9), g = 0.01 then 1.0 (column 9):
    #   m1 = -0.01·0.01 = -1e-4;              x1 = 1 - 1e-4 = 0.9999
    #   m2 = 0.9·(-1e-4) - 0.01·1 = -0.01009; x2 = 0.9999 - 0.01009 = 0.98981
    # Nesterov: x1 = 1 + 0.9·m1 - 0.01·0.01 = 1 - 9e-5 - 1e-4 = 0.99981
    #           x2 = x1 + 0.9·m2 - 0.01·1 = 0.99981 - 0.009081 - 0.01 = 0.980729
    for nesterov, expected in ((False, [0.9999, 0.98981]), (True, [0.99981, 0.980729])):
        opt = SGD(0.01, momentum=0.9, nesterov=nesterov)
        x = neurona.Variable(np.array([1.0]), dtype="float64")
        got = []
        for g in (0.01, 1.0):
            opt.apply_gradients([(np.array([g]), x)])
            got.append(float(x.numpy()[0]))
        # atol 1e-9: the learning rate is held in a float32 variable (0.01 → 0.0099999998)
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)


# --- §2: single step, vars [1, 2, 3, 4], grads [1, 6, 7, 2], lr 0.5, tolerance 1e-4 --------------------
SINGLE_STEP = {
    "sgd": (SGD, [0.5, -1.0, -0.5, 3.0]),
    "adam": (Adam, [0.5, 1.5, 2.5, 3.5]),
    "rmsprop": (RMSprop, [-0.5811, 0.4189, 1.4189, 2.4189]),
}


@pytest.mark.parametrize("via", ["apply_gradients", "apply"])
@pytest.mark.parametrize("name", sorted(SINGLE_STEP))
def test_single_step(name, via):
    cls, expected = SINGLE_STEP[name]
    optimizer = cls(learning_rate=0.5)
    var = neurona.Variable([1.0, 2.0, 3.0, 4.0])
    grads = np.array([1.0, 6.0, 7.0, 2.0])
    if via == "apply":
        optimizer.apply([grads], [var])
    else:
        optimizer.apply_gradients(zip([grads], [var]))
    np.testing.assert_allclose(var.numpy(), expected, rtol=1e-4, atol=1e-4)


def test_sgd_single_step_variables():
    optimizer = SGD(learning_rate=0.5)
    var = neurona.Variable([1.0, 2.0, 3.0, 4.0])
    optimizer.apply_gradients(zip([np.array([1.0, 6.0, 7.0, 2.0])], [var]))
    assert len(optimizer.variables) == 2
    assert np.asarray(optimizer.variables[0]) == 1  # iterations
    assert np.asarray(optimizer.variables[1]) == 0.5  # learning rate


def test_rmsprop_single_step_hand_worked():
    # RMSprop(0.5), g = 1: v = 0.1·1 = 0.1; θ = 1 - 0.5·1/√(0.1 + 1e-7) = 1 - 1.5811381 = -0.5811381
    # (ε inside the root; with ε outside it would be 1 - 0.5/(0.3162278 + 1e-7), equal at this precision,
    # so the golden mainly pins ρ = 0.9 and the un-debiased v).
    opt = RMSprop(0.5)
    x = neurona.Variable(np.array([1.0]), dtype="float64")
    opt.apply_gradients([(np.array([1.0]), x)])
    np.testing.assert_allclose(x.numpy(), [1 - 0.5 / np.sqrt(0.1 + 1e-7)], rtol=0, atol=1e-12)


def test_adam_epsilon_hat_on_uncorrected_sqrt_v():
    # Adam(lr=1, epsilon=0.1), one step with g = 1 (float64):
    #   m = 0.1, v = 0.001, α = 1·√(1-0.999)/(1-0.9) = √0.001/0.1 = 0.31622777
    #   Keras:  θ = 1 - α·m/(√v + ε) = 1 - 0.031622777/(0.031622777 + 0.1) = 1 - 0.24025307 = 0.75974693
    #   (Algorithm 1, ε on √v̂: m̂ = 1, v̂ = 1, θ = 1 - 1/(1 + 0.1) = 0.0909091, so this pins the ε form)
    opt = Adam(learning_rate=1.0, epsilon=0.1)
    x = neurona.Variable(np.array([1.0]), dtype="float64")
    opt.apply_gradients([(np.array([1.0]), x)])
    alpha = np.sqrt(0.001) / 0.1
    expected = 1 - alpha * 0.1 / (np.sqrt(0.001) + 0.1)
    np.testing.assert_allclose(x.numpy(), [expected], rtol=0, atol=1e-12)
    np.testing.assert_allclose(x.numpy(), [0.75974693], rtol=0, atol=1e-7)


def test_sgd_momentum_velocity_uses_the_learning_rate_of_each_step():
    # Keras: m ← μ·m − lr·g (lr folded in per step). SGD(momentum=0.9), θ = 0:
    #   step 1, lr 1, g 1:   m = −1,                 θ = −1
    #   step 2, lr 0.5, g 0: m = 0.9·(−1) − 0 = −0.9, θ = −1.9
    # (PyTorch's form θ −= lr·(μ·b + g) would rescale the history by the new lr: θ = −1 − 0.45 = −1.45)
    opt = SGD(1.0, momentum=0.9)
    x = neurona.Variable(np.array([0.0]), dtype="float64")
    opt.apply_gradients([(np.array([1.0]), x)])
    opt.learning_rate = 0.5
    opt.apply_gradients([(np.array([0.0]), x)])
    np.testing.assert_allclose(x.numpy(), [-1.9], rtol=0, atol=1e-7)
