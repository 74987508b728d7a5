"""`StepPlan`: a recorded tape replayed on new arrays gives exactly the tape's numbers."""

import numpy as np

import neurona as nn
from neurona import ops
from neurona.engine import GradientTape, Tensor, Variable
from neurona.engine.plan import StepPlan


def _step(x, y, w, b):
    h = ops.tanh(ops.matmul(x, w) + b)
    return ops.mean(ops.square(h - y)), h


def _record(x, y, w, b):
    placeholders = [Tensor._wrap(x), Tensor._wrap(y)]
    with GradientTape() as tape:
        tape.watch(placeholders)
        loss, h = _step(*placeholders, w, b)
    return StepPlan.record(tape, placeholders, [w, b], [loss, h], loss)


def test_a_replay_on_new_data_equals_the_tape_bit_for_bit():
    rng = np.random.default_rng(0)
    w = Variable(rng.standard_normal((3, 2)).astype(np.float32))
    b = Variable(np.zeros(2, np.float32))
    plan = _record(rng.random((5, 3), dtype=np.float32), rng.random((5, 2), dtype=np.float32), w, b)
    assert plan is not None
    for _ in range(3):
        x, y = rng.random((5, 3), dtype=np.float32), rng.random((5, 2), dtype=np.float32)
        (loss, h), grads = plan.run([x, y])
        with GradientTape() as tape:
            expected_loss, expected_h = _step(x, y, w, b)
        expected = tape.gradient(expected_loss, [w, b])
        assert np.array_equal(loss, expected_loss.data) and np.array_equal(h, expected_h.data)
        for got, want in zip(grads, expected):
            assert np.array_equal(got, want.data)
        w.assign_sub(0.1 * grads[0])  # the plan reads the variables afresh on every run


def test_a_replay_matches_a_finite_difference_gradient():
    rng = np.random.default_rng(1)
    w = Variable(rng.standard_normal((3, 2)))
    b = Variable(rng.standard_normal(2))
    x, y = rng.random((4, 3)), rng.random((4, 2))
    plan = _record(x, y, w, b)
    _, (grad_w, _) = plan.run([x, y])

    def loss_at(wv):
        h = np.tanh(x @ wv + b.numpy())
        return np.mean((h - y) ** 2)

    eps = 1e-6
    numeric = np.zeros_like(grad_w)
    for i in np.ndindex(*grad_w.shape):
        plus, minus = w.numpy(), w.numpy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = (loss_at(plus) - loss_at(minus)) / (2 * eps)
    np.testing.assert_allclose(grad_w, numeric, rtol=1e-6, atol=1e-9)


def test_an_array_made_outside_the_ops_makes_the_step_unplannable():
    w = Variable(np.ones((3, 1), np.float32))
    x = Tensor._wrap(np.ones((2, 3), np.float32))
    with GradientTape() as tape:
        tape.watch([x])
        mask = np.asarray(x.data > 0.5, np.float32)  # computed in NumPy from the data: not on the tape
        loss = ops.sum(ops.matmul(x * mask, w))
    assert StepPlan.record(tape, [x], [w], [loss], loss) is None


def test_an_unconnected_source_gets_none():
    w, unused = Variable(np.ones((3, 1), np.float32)), Variable(np.ones(2, np.float32))
    x = Tensor._wrap(np.ones((2, 3), np.float32))
    with GradientTape() as tape:
        tape.watch([x])
        loss = ops.sum(ops.matmul(x, w))
    plan = StepPlan.record(tape, [x], [w, unused], [loss], loss)
    (value,), (grad_w, grad_unused) = plan.run([np.full((2, 3), 2.0, np.float32)])
    assert float(value) == 12.0 and grad_unused is None
    np.testing.assert_array_equal(grad_w, [[4.0], [4.0], [4.0]])  # Σ over the batch of x = 2 + 2


def test_ops_on_the_data_are_replayed():
    # a cast of integer labels happens inside the step: watched placeholders put it on the tape
    w = Variable(np.array([[1.0]], np.float32))
    x, y = Tensor._wrap(np.ones((2, 1), np.float32)), Tensor._wrap(np.array([[1], [2]]))
    with GradientTape() as tape:
        tape.watch([x, y])
        loss = ops.sum(ops.square(ops.matmul(x, w) - ops.cast(y, "float32")))
    plan = StepPlan.record(tape, [x, y], [w], [loss], loss)
    (value,), _ = plan.run([np.ones((2, 1), np.float32), np.array([[3], [3]])])
    assert float(value) == 8.0  # (1 − 3)² · 2, from the new labels
    assert nn is not None
