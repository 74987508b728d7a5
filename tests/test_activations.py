"""Activations (keras-api.md §6, golden-values.md §6) with hand-worked values."""

import math
import warnings

import numpy as np
import pytest

from neurona import activations


def run(fn, x, **kwargs):
    return np.asarray(fn(np.array(x, dtype="float32"), **kwargs).numpy(), dtype="float64")


def close(fn, x, expected, atol=1e-6, **kwargs):
    np.testing.assert_allclose(run(fn, x, **kwargs), expected, rtol=1e-6, atol=atol)


def test_linear():
    close(activations.linear, [-1.0, 0.0, 2.5], [-1.0, 0.0, 2.5])


def test_relu():
    close(activations.relu, [-3.0, -1.0, 0.0, 2.0, 7.0], [0.0, 0.0, 0.0, 2.0, 7.0])


def test_relu_negative_slope():
    # 0.1·x below 0: −0.3, −0.1
    close(activations.relu, [-3.0, -1.0, 0.0, 2.0, 7.0], [-0.3, -0.1, 0.0, 2.0, 7.0], negative_slope=0.1)


def test_relu_max_value():
    close(activations.relu, [-3.0, -1.0, 0.0, 2.0, 7.0], [0.0, 0.0, 0.0, 2.0, 5.0], max_value=5.0)
    # with a slope: min(x, 5) above 0, 0.1·x below
    close(activations.relu, [-3.0, 2.0, 7.0], [-0.3, 2.0, 5.0], negative_slope=0.1, max_value=5.0)


def test_relu_threshold():
    # values below the threshold are 0; above it, x itself (not x − threshold)
    close(activations.relu, [-3.0, 1.0, 2.0, 7.0], [0.0, 0.0, 2.0, 7.0], threshold=1.5)
    # with a slope: slope·(x − threshold) below: 0.1·(1 − 1.5) = −0.05, 0.1·(−3 − 1.5) = −0.45
    close(activations.relu, [-3.0, 1.0, 2.0], [-0.45, -0.05, 2.0], negative_slope=0.1, threshold=1.5)


def test_relu_at_threshold_is_zero():
    # Keras computes x · (x > threshold): exactly at the threshold the output is 0, not the threshold.
    # keras.activations.relu docstring: relu([-10, -5, 0, 5, 10], threshold=5.) → [-0., -0., 0., 0., 10.]
    close(activations.relu, [1.5], [0.0], threshold=1.5)
    close(activations.relu, [-10.0, -5.0, 0.0, 5.0, 10.0], [0.0, 0.0, 0.0, 0.0, 10.0], threshold=5.0)


def test_relu_keras_docstring_examples():
    x = [-10.0, -5.0, 0.0, 5.0, 10.0]
    close(activations.relu, x, [0.0, 0.0, 0.0, 5.0, 10.0])
    close(activations.relu, x, [-5.0, -2.5, 0.0, 5.0, 10.0], negative_slope=0.5)
    close(activations.relu, x, [0.0, 0.0, 0.0, 5.0, 5.0], max_value=5.0)


def test_leaky_relu_default_slope():
    close(activations.leaky_relu, [-2.0, 0.0, 3.0], [-0.4, 0.0, 3.0])  # 0.2·(−2) = −0.4
    close(activations.leaky_relu, [-2.0, 3.0], [-1.0, 3.0], negative_slope=0.5)


def test_relu6():
    close(activations.relu6, [-1.0, 3.0, 6.0, 7.0], [0.0, 3.0, 6.0, 6.0])


def test_elu():
    # e^−1 − 1 = −0.63212056
    close(activations.elu, [-1.0, 0.0, 2.0], [-0.63212056, 0.0, 2.0])
    close(activations.elu, [-1.0, 2.0], [-1.26424112, 2.0], alpha=2.0)


def test_selu():
    # 1.05070098·1.67326324·(e^−1 − 1) = −1.11133074; 1.05070098·2 = 2.10140197
    alpha, scale = 1.67326324, 1.05070098
    close(activations.selu, [-1.0, 0.0, 2.0], [scale * alpha * (math.exp(-1) - 1), 0.0, scale * 2.0])
    close(activations.selu, [-1.0, 0.0, 2.0], [-1.11133074, 0.0, 2.10140197])


def test_gelu_exact_is_default():
    # x·Φ(x) = x/2·(1 + erf(x/√2)): −1 → −0.15865525, 1 → 0.84134475, 2 → 1.95449974
    expected = [-0.15865525, 0.84134475, 1.95449974]
    close(activations.gelu, [-1.0, 1.0, 2.0], expected)
    close(activations.gelu, [-1.0, 1.0, 2.0], expected, approximate=False)


def test_gelu_tanh_approximation():
    # x/2·(1 + tanh(√(2/π)·(x + 0.044715x³))): −1 → −0.15880801, 1 → 0.84119199, 2 → 1.95459769
    close(activations.gelu, [-1.0, 1.0, 2.0], [-0.15880801, 0.84119199, 1.95459769], approximate=True)


def test_sigmoid_values_and_stability():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = run(activations.sigmoid, [-1000.0, -1.0, 0.0, 1.0, 1000.0])
    np.testing.assert_allclose(got, [0.0, 0.26894142, 0.5, 0.73105858, 1.0], rtol=1e-6, atol=1e-6)
    assert np.all(np.isfinite(got))


def test_tanh():
    close(activations.tanh, [-1.0, 0.0, 0.5], [-0.76159416, 0.0, 0.46211716])


def test_softplus():
    # log(1 + e^x): −1 → 0.31326169, 0 → log 2, 1 → 1.31326169; 100 → 100 without overflow
    close(activations.softplus, [-1.0, 0.0, 1.0], [0.31326169, 0.69314718, 1.31326169])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        close(activations.softplus, [100.0, -100.0], [100.0, 0.0])


def test_softsign():
    close(activations.softsign, [-3.0, 0.0, 1.0], [-0.75, 0.0, 0.5])  # x/(1 + |x|)


def test_silu_and_swish():
    # x·σ(x): −1 → −0.26894142, 2 → 2·0.88079708 = 1.76159416
    close(activations.silu, [-1.0, 0.0, 2.0], [-0.26894142, 0.0, 1.76159416])
    close(activations.swish, [-1.0, 0.0, 2.0], [-0.26894142, 0.0, 1.76159416])


def test_hard_sigmoid_keras3():
    # clip(x/6 + 0.5, 0, 1): 1.5 → 0.75 (Keras 2's 0.2x + 0.5 would give 0.8); saturates at ±3
    close(activations.hard_sigmoid, [-4.0, -3.0, 0.0, 1.5, 3.0, 4.0], [0.0, 0.0, 0.5, 0.75, 1.0, 1.0])


def test_exponential():
    close(activations.exponential, [0.0, 1.0, -1.0], [1.0, math.e, 1 / math.e])


# --- softmax ---------------------------------------------------------------------------------------------
def test_softmax_values():
    # e^[0.1, 1, 5] / Σ = [1.10517, 2.71828, 148.41316]/152.23661
    got = run(activations.softmax, [0.1, 1.0, 5.0])
    np.testing.assert_allclose(got, [0.00725956, 0.01785564, 0.9748848], atol=1e-6)
    assert got.sum() == pytest.approx(1.0, abs=1e-6)


def test_softmax_large_inputs():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = run(activations.softmax, [1000.0, 0.0])
    np.testing.assert_array_equal(got, [1.0, 0.0])


def test_softmax_axis_0():
    # column 0: softmax([1, 3]) = [1/(1 + e²), e²/(1 + e²)] = [0.11920292, 0.88079708]; column 1: [0.5, 0.5]
    got = run(activations.softmax, [[1.0, 2.0], [3.0, 2.0]], axis=0)
    np.testing.assert_allclose(got, [[0.11920292, 0.5], [0.88079708, 0.5]], atol=1e-6)


def test_softmax_temperature():
    x = [0.1, 1.0, 5.0]
    np.testing.assert_allclose(
        run(activations.softmax, x, temperature=1.0), run(activations.softmax, x), atol=0
    )
    # T = 1e6: logits ≈ 1e-6·x → all ≈ 1/3
    np.testing.assert_allclose(run(activations.softmax, x, temperature=1e6), [1 / 3] * 3, atol=1e-5)
    # T = 0.01: [10, 100, 500] → one-hot of the largest
    np.testing.assert_allclose(run(activations.softmax, x, temperature=0.01), [0.0, 0.0, 1.0], atol=1e-6)
    # T = 2: softmax([0.05, 0.5, 2.5]) = [0.0705, 0.1106, 0.8189] — between plain and uniform
    t2 = run(activations.softmax, x, temperature=2.0)
    expected = np.exp(np.array(x) / 2) / np.exp(np.array(x) / 2).sum()
    np.testing.assert_allclose(t2, expected, atol=1e-6)


@pytest.mark.parametrize("temperature", [0.0, -1.0])
def test_softmax_nonpositive_temperature(temperature):
    with pytest.raises(ValueError):
        activations.softmax(np.array([0.1, 1.0, 5.0], dtype="float32"), temperature=temperature)


def test_log_softmax():
    x = [0.1, 1.0, 5.0]
    np.testing.assert_allclose(
        run(activations.log_softmax, x), np.log(run(activations.softmax, x)), atol=1e-5
    )
    # x − logsumexp(x), logsumexp = log(1.10517 + 2.71828 + 148.41316) = log 152.23661 = 5.025436
    # → [0.1 − 5.025436, 1 − 5.025436, 5 − 5.025436]
    np.testing.assert_allclose(run(activations.log_softmax, x), [-4.925436, -4.025436, -0.025436], atol=2e-6)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = run(activations.log_softmax, [1000.0, 0.0])
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, [0.0, -1000.0], atol=1e-4)


# --- get -------------------------------------------------------------------------------------------------
ALL_NAMES = [
    "linear",
    "relu",
    "leaky_relu",
    "relu6",
    "elu",
    "selu",
    "gelu",
    "sigmoid",
    "tanh",
    "softplus",
    "softsign",
    "silu",
    "swish",
    "hard_sigmoid",
    "exponential",
    "softmax",
    "log_softmax",
]


@pytest.mark.parametrize("name", ALL_NAMES)
def test_get_by_name(name):
    assert activations.get(name) is getattr(activations, name)


def test_get_unknown_lists_valid_names():
    with pytest.raises(ValueError) as info:
        activations.get("nope")
    message = str(info.value)
    assert "nope" in message
    for name in ("relu", "sigmoid", "softmax"):
        assert name in message


def test_get_none_is_linear():
    fn = activations.get(None)
    assert fn is activations.linear
    np.testing.assert_array_equal(run(fn, [-2.0, 3.0]), [-2.0, 3.0])


def test_get_callable_passthrough():
    def custom(x):
        return x * 2

    assert activations.get(custom) is custom
