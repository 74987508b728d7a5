"""Tier 1: a float64 central-difference gradient check over EVERY op in the registry.

Each registered op needs an entry in CASES (a function and its inputs, away from kinks); a new op
without one makes `test_every_registered_op_has_a_case` fail.
"""

import numpy as np
import pytest

import neurona as nn
from neurona import ops
from neurona.engine import registered_ops

rng = np.random.default_rng(7)


def normal(*shape):
    return rng.normal(size=shape)


def away_from_zero(*shape):
    x = rng.uniform(0.2, 1.5, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


def positive(*shape):
    return rng.uniform(0.5, 2.0, size=shape)


LABELS = np.array([2, 0, 1])

CASES = {
    "add": (ops.add, [normal(2, 3), normal(1, 3)]),
    "subtract": (ops.subtract, [normal(2, 3), normal(2, 1)]),
    "multiply": (ops.multiply, [normal(2, 3), normal(3)]),
    "divide": (ops.divide, [normal(2, 3), positive(2, 3)]),
    "negative": (ops.negative, [normal(4)]),
    "power": (ops.power, [positive(2, 3), normal(2, 3)]),
    "exp": (ops.exp, [normal(2, 3)]),
    "log": (ops.log, [positive(2, 3)]),
    "log1p": (ops.log1p, [positive(2, 3)]),
    "sqrt": (ops.sqrt, [positive(2, 3)]),
    "square": (ops.square, [normal(2, 3)]),
    "abs": (ops.abs, [away_from_zero(2, 3)]),
    "sin": (ops.sin, [normal(5)]),
    "cos": (ops.cos, [normal(5)]),
    "maximum": (ops.maximum, [np.array([1.0, -2.0, 3.0]), np.array([0.5, -1.0, 4.0])]),
    "minimum": (ops.minimum, [np.array([1.0, -2.0, 3.0]), np.array([0.5, -1.0, 4.0])]),
    "clip": (lambda x: ops.clip(x, -0.5, 0.5), [np.array([-1.0, -0.2, 0.3, 0.9])]),
    "where": (lambda a, b: ops.where(np.array([True, False, True]), a, b), [normal(3), normal(3)]),
    "cast": (lambda x: ops.cast(x, "float64") * 2, [normal(3)]),
    "sum": (lambda x: ops.sum(x, axis=1), [normal(2, 3)]),
    "mean": (lambda x: ops.mean(x, axis=(0, 2), keepdims=True), [normal(2, 3, 4)]),
    "max": (lambda x: ops.max(x, axis=-1), [np.array([[1.0, 3.0, 2.0], [0.5, -1.0, 0.0]])]),
    "min": (lambda x: ops.min(x), [np.array([[1.0, 3.0, 2.0], [0.5, -1.0, 0.0]])]),
    "logsumexp": (lambda x: ops.logsumexp(x, axis=1), [normal(2, 4)]),
    "reshape": (lambda x: ops.reshape(x, (3, 2)) * np.arange(6).reshape(3, 2), [normal(2, 3)]),
    "transpose": (lambda x: ops.transpose(x, (1, 0, 2)) * np.arange(24).reshape(3, 2, 4), [normal(2, 3, 4)]),
    "expand_dims": (lambda x: ops.expand_dims(x, 1) * 2, [normal(3)]),
    "squeeze": (lambda x: ops.squeeze(x, 1) * np.arange(3), [normal(3, 1)]),
    "concatenate": (
        lambda a, b: ops.concatenate([a, b], axis=1) * np.arange(10).reshape(2, 5),
        [normal(2, 3), normal(2, 2)],
    ),
    "stack": (lambda a, b: ops.stack([a, b], axis=1) * np.arange(6).reshape(3, 2), [normal(3), normal(3)]),
    "get_item": (lambda x: x[np.array([0, 0, 2]), 1:] * 3, [normal(3, 3)]),
    "broadcast_to": (lambda x: ops.broadcast_to(x, (4, 3)) * np.arange(12).reshape(4, 3), [normal(1, 3)]),
    "take": (lambda x: ops.take(x, np.array([[0, 2], [2, 2]]), axis=1) * 2, [normal(2, 3)]),
    "matmul": (ops.matmul, [normal(2, 3, 4), normal(4, 5)]),
    "relu": (ops.relu, [away_from_zero(3, 4)]),
    "sigmoid": (ops.sigmoid, [normal(3, 4) * 3]),
    "tanh": (ops.tanh, [normal(3, 4)]),
    "softmax": (lambda x: ops.softmax(x, axis=0) * np.arange(12).reshape(3, 4), [normal(3, 4)]),
    "log_softmax": (lambda x: ops.log_softmax(x) * np.arange(12).reshape(3, 4), [normal(3, 4)]),
    "softplus": (ops.softplus, [normal(3, 4) * 3]),
    "softsign": (ops.softsign, [away_from_zero(3, 4)]),
    "elu": (lambda x: ops.elu(x, alpha=0.7), [away_from_zero(3, 4)]),
    "selu": (ops.selu, [away_from_zero(3, 4)]),
    "leaky_relu": (ops.leaky_relu, [away_from_zero(3, 4)]),
    "gelu": (lambda x: ops.gelu(x, approximate=False) + ops.gelu(x, approximate=True), [normal(3, 4)]),
    "silu": (ops.silu, [normal(3, 4)]),
    "hard_sigmoid": (ops.hard_sigmoid, [np.array([-4.0, -1.0, 0.5, 2.0, 5.0])]),
    "relu6": (ops.relu6, [np.array([-1.0, 0.5, 3.0, 7.0])]),
    "log_sigmoid": (ops.log_sigmoid, [normal(3, 4) * 3]),
    "dense": (
        lambda x, w, b: (
            ops.dense(x, w, b)
            + ops.dense(x, w, b, activation="tanh")
            + ops.dense(x, w, b, activation="sigmoid")
            + ops.dense(x, w, b, activation="relu")
        ),
        [normal(4, 3), normal(3, 2), normal(2)],
    ),
    # normalization: weighted by arange so that the sum over a normalized axis is not a constant
    "batch_normalization": (
        lambda x, m, v, o, s: (
            ops.batch_normalization(x, m, v, axis=1, offset=o, scale=s, epsilon=0.1)
            * np.arange(24).reshape(2, 3, 4)
        ),
        [normal(2, 3, 4), normal(3), positive(3), normal(3), normal(3)],
    ),
    "fused_batch_norm": (
        lambda x, s, o: ops.fused_batch_norm(x, s, o, axis=1)[0] * np.arange(24).reshape(2, 3, 4),
        [normal(2, 3, 4), normal(3), normal(3)],
    ),
    "layer_normalization": (
        lambda x, g, b: (
            ops.layer_normalization(x, g, b, axis=[1, 2], epsilon=1e-3) * np.arange(24).reshape(2, 3, 4)
        ),
        [normal(2, 3, 4), normal(3, 4), normal(3, 4)],
    ),
    "sparse_softmax_cross_entropy": (lambda z: ops.sparse_softmax_cross_entropy(LABELS, z), [normal(3, 4)]),
    "mean_squared_error": (ops.nn.mean_squared_error, [normal(3, 4), normal(3, 4)]),
    "softmax_cross_entropy": (ops.softmax_cross_entropy, [np.abs(normal(3, 4)), normal(3, 4)]),
    "sigmoid_cross_entropy": (ops.sigmoid_cross_entropy, [rng.uniform(0, 1, (3, 4)), normal(3, 4) * 3]),
}


def test_every_registered_op_has_a_case():
    assert set(registered_ops()) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradient_matches_central_differences(name):
    fn, inputs = CASES[name]
    assert nn.gradcheck(fn, inputs)


def test_dense_on_rank_3_inputs():
    assert nn.gradcheck(ops.dense, [normal(2, 3, 4), normal(4, 2), normal(2)])


def test_dense_without_bias_and_with_an_unknown_fused_activation():
    assert nn.gradcheck(lambda x, w: ops.dense(x, w, activation="tanh"), [normal(4, 3), normal(3, 2)])
    with pytest.raises(ValueError, match="fused dense op supports"):
        ops.dense(normal(2, 3), normal(3, 2), normal(2), activation="gelu")


def test_matmul_with_vectors():
    assert nn.gradcheck(ops.matmul, [normal(3), normal(3, 2)])
    assert nn.gradcheck(ops.matmul, [normal(2, 3), normal(3)])


def test_sparse_cross_entropy_over_another_axis():
    assert nn.gradcheck(
        lambda z: ops.sparse_softmax_cross_entropy(np.array([[1, 0]]), z, axis=1), [normal(1, 3, 2)]
    )


def test_normalization_ops_on_other_axes_and_without_parameters():
    weights = np.arange(12).reshape(4, 3)
    assert nn.gradcheck(
        lambda x, s, o: ops.fused_batch_norm(x, s, o)[0] * weights, [normal(4, 3), normal(3), normal(3)]
    )
    assert nn.gradcheck(lambda x: ops.fused_batch_norm(x, epsilon=0.01)[0] * weights, [normal(4, 3)])
    assert nn.gradcheck(
        lambda x, g, b: ops.layer_normalization(x, g, b, axis=0) * weights,
        [normal(4, 3), normal(4), normal(4)],
    )
    assert nn.gradcheck(
        lambda x, g: ops.layer_normalization(x, g, axis=-1, epsilon=1e-3, rms_scaling=True) * weights,
        [normal(4, 3), normal(3)],
    )
    assert nn.gradcheck(
        lambda x, m, v: ops.batch_normalization(x, m, v, axis=-1) * weights,
        [normal(4, 3), normal(3), positive(3)],
    )


def test_fused_mean_squared_error_equals_the_three_ops_bit_for_bit():
    p, t = nn.Variable(normal(5, 3).astype(np.float32)), normal(5, 3).astype(np.float32)
    weights = np.arange(5, dtype=np.float32)
    with nn.GradientTape(persistent=True) as tape:
        fused = ops.nn.mean_squared_error(p, t)
        chain = ops.mean(ops.square(p - t), axis=-1)
        fused_total, chain_total = ops.sum(fused * weights), ops.sum(chain * weights)
    assert np.array_equal(fused.numpy(), chain.numpy())
    assert np.array_equal(tape.gradient(fused_total, p).numpy(), tape.gradient(chain_total, p).numpy())
    # hand-worked: p − t = 2 everywhere on one row of 3 → mean of squares 4, gradient 2·2/3
    q = nn.Variable(np.full((1, 3), 2.0, np.float32))
    with nn.GradientTape() as tape:
        value = ops.nn.mean_squared_error(q, np.zeros((1, 3), np.float32))
    assert float(value.numpy()[0]) == 4.0
    np.testing.assert_allclose(tape.gradient(value, q).numpy(), np.full((1, 3), 4.0 / 3.0), rtol=1e-7)
