"""Every optimizer actually minimizes: a convex quadratic to high accuracy, and the Rosenbrock function
(loss down 10× from (−1.5, 2)). A sign error, a missing bias correction that stalls, or a rule that blows
up fails these."""

import numpy as np
import pytest

import neurona
from neurona.optimizers import SGD, Adadelta, Adagrad, Adam, Adamax, AdamW, Ftrl, Lion, Nadam, RMSprop

QUADRATIC_CASES = {
    "sgd": lambda: SGD(0.1),
    "sgd_nesterov": lambda: SGD(0.01, momentum=0.9, nesterov=True),
    "adam": lambda: Adam(0.1),
    "rmsprop": lambda: RMSprop(0.01),
}


@pytest.mark.parametrize("name", sorted(QUADRATIC_CASES))
def test_minimizes_quadratic(name):
    # loss = Σ (x − 3)², minimum 0 at x = 3; start 3 to 7 units away in each coordinate.
    opt = QUADRATIC_CASES[name]()
    x = neurona.Variable(np.array([0.0, 1.0, -2.0, 5.0, 10.0]), dtype="float64")

    def loss():
        return neurona.ops.sum((x - 3.0) ** 2)

    start = float(loss().numpy())  # 9 + 4 + 25 + 4 + 49 = 91
    assert start == pytest.approx(91.0)
    for _ in range(1000):
        opt.minimize(loss, [x])
    np.testing.assert_allclose(x.numpy(), np.full(5, 3.0), atol=1e-3)
    assert float(loss().numpy()) < 1e-5
    assert int(np.asarray(opt.iterations)) == 1000


def _rosenbrock(p):
    a, b = p
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2


def _rosenbrock_grad(p):
    a, b = p
    return np.array([-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])


# Learning rates small enough for the curvature at the start (∂²f/∂a² ≈ 1902 there, so plain SGD needs
# lr < 2/1902 ≈ 1e-3); all reach ≤ 0.15 within the step budget (measured), a 10× margin below 1.25.
ROSENBROCK_CASES = {
    "sgd": (lambda: SGD(1e-3), 3000),
    "sgd_nesterov": (lambda: SGD(1e-4, momentum=0.9, nesterov=True), 3000),
    "adam": (lambda: Adam(0.02), 2000),
    "rmsprop": (lambda: RMSprop(1e-3), 3000),
    # measured ends: AdamW 3e-6, Adagrad 0.047, Adamax 0.011, Nadam 2e-7, Ftrl 0.029, Lion 2e-5,
    # Adadelta 0.99 (it is unstable here with a larger ε or more steps, a known weakness of the method)
    "adamw": (lambda: AdamW(0.02, weight_decay=0.001), 3000),
    "adagrad": (lambda: Adagrad(0.3), 3000),
    "adadelta": (lambda: Adadelta(1.0, epsilon=1e-5), 3000),
    "adamax": (lambda: Adamax(0.02), 3000),
    "nadam": (lambda: Nadam(0.02), 3000),
    "ftrl": (lambda: Ftrl(0.5), 3000),
    "lion": (lambda: Lion(0.002), 3000),
}


@pytest.mark.parametrize("name", sorted(ROSENBROCK_CASES))
def test_progress_on_rosenbrock(name):
    make, steps = ROSENBROCK_CASES[name]
    opt = make()
    x = neurona.Variable(np.array([-1.5, 2.0]), dtype="float64")
    start = _rosenbrock(x.numpy())  # (1 + 1.5)² + 100·(2 − 2.25)² = 6.25 + 6.25 = 12.5
    assert start == pytest.approx(12.5)
    for _ in range(steps):
        opt.apply_gradients([(_rosenbrock_grad(x.numpy()), x)])
    end = _rosenbrock(x.numpy())
    assert np.isfinite(end)
    assert end < start / 10, f"{name}: loss {start} → {end}"


def test_rosenbrock_via_tape_matches_analytic_gradient_path():
    # The same Adam run driven by `minimize` (autodiff) and by analytic gradients ends in the same place.
    x1 = neurona.Variable(np.array([-1.5, 2.0]), dtype="float64")
    x2 = neurona.Variable(np.array([-1.5, 2.0]), dtype="float64")
    opt1, opt2 = Adam(0.02), Adam(0.02)

    def loss():
        a, b = x1[0], x1[1]
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2

    for _ in range(200):
        opt1.minimize(loss, [x1])
        opt2.apply_gradients([(_rosenbrock_grad(x2.numpy()), x2)])
    np.testing.assert_allclose(x1.numpy(), x2.numpy(), rtol=1e-9, atol=1e-12)
    assert _rosenbrock(x1.numpy()) < 12.5
