"""Forward values of the ops against NumPy and hand-worked numbers, and Keras's `keras.ops` names."""

import numpy as np
import pytest

from neurona import ops


def test_keras_ops_names_exist():
    for name in [
        "add",
        "subtract",
        "multiply",
        "divide",
        "matmul",
        "dot",
        "sum",
        "mean",
        "max",
        "min",
        "logsumexp",
        "exp",
        "log",
        "log1p",
        "sqrt",
        "square",
        "abs",
        "maximum",
        "minimum",
        "clip",
        "where",
        "reshape",
        "transpose",
        "expand_dims",
        "squeeze",
        "concatenate",
        "stack",
        "relu",
        "sigmoid",
        "tanh",
        "softmax",
        "log_softmax",
        "convert_to_tensor",
        "one_hot",
        "argmax",
    ]:
        assert callable(getattr(ops, name)), name


def test_logsumexp_is_stable_and_exact():
    x = np.array([1000.0, 1000.0])
    # log(e^1000 + e^1000) = 1000 + log 2
    assert abs(float(ops.logsumexp(x)) - (1000 + np.log(2))) < 1e-9
    assert float(ops.logsumexp(np.array([-np.inf, 0.0]))) == 0.0


def test_softmax_values_and_masked_row():
    np.testing.assert_allclose(
        ops.softmax(np.array([0.1, 1.0, 5.0], dtype="float32")).numpy(),
        [0.00725956, 0.01785564, 0.9748848],
        atol=1e-7,
    )
    np.testing.assert_array_equal(ops.softmax(np.array([1000.0, 0.0])).numpy(), [1.0, 0.0])


def test_sigmoid_is_stable_without_overflow_warnings():
    with np.errstate(over="raise"):
        out = ops.sigmoid(np.array([-1000.0, 0.0, 1000.0], dtype="float32")).numpy()
    np.testing.assert_array_equal(out, [0.0, 0.5, 1.0])


def test_dot_follows_numpy_and_refuses_batched_second_argument():
    a, b = np.arange(6.0).reshape(2, 3), np.arange(3.0)
    np.testing.assert_allclose(ops.dot(a, b).numpy(), a @ b)
    np.testing.assert_allclose(ops.dot(2.0, b).numpy(), 2 * b)
    with pytest.raises(ValueError, match="matmul"):
        ops.dot(a, np.ones((2, 3, 4)))


def test_reductions_match_numpy():
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_allclose(ops.sum(x, axis=(0, 2)).numpy(), x.sum(axis=(0, 2)))
    np.testing.assert_allclose(ops.mean(x, axis=-1, keepdims=True).numpy(), x.mean(axis=-1, keepdims=True))
    np.testing.assert_allclose(ops.max(x, axis=1).numpy(), x.max(axis=1))
    assert ops.mean(np.array([1, 2])).dtype == "float32"  # integer means become floats


def test_max_shares_the_gradient_between_ties():
    import neurona as nn

    x = nn.Variable([1.0, 3.0, 3.0])
    with nn.GradientTape() as tape:
        y = ops.max(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.0, 0.5, 0.5])


def test_one_hot_and_shape_helpers():
    np.testing.assert_array_equal(ops.one_hot(np.array([0, 2]), 3).numpy(), [[1, 0, 0], [0, 0, 1]])
    assert ops.shape(np.zeros((2, 5))) == (2, 5)
    assert ops.zeros((2,)).dtype == "float32"
    assert ops.flatten(np.zeros((4, 2, 3))).shape == (4, 6)


def test_stop_gradient_blocks_the_tape():
    import neurona as nn

    x = nn.Variable(2.0)
    with nn.GradientTape() as tape:
        y = ops.stop_gradient(x * x) * x
    assert float(tape.gradient(y, x)) == 4.0  # only the outer x: d(c·x)/dx = c = 4
