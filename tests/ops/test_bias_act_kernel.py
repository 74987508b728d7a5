"""The steps around a large Dense layer's GEMMs in one compiled pass each (`bias_act`, `relu_grad` in
`_kernels_dense.c`): the layer must be bit for bit the NumPy path's (the GEMMs are the same BLAS calls and
the elementwise steps the same IEEE operations), special values included; gradients against central
finite differences; operands the kernels cannot take go to NumPy."""

import numpy as np
import pytest

from neurona import config
from neurona.engine.function import Context
from neurona.ops import nn as nn_ops

kernels = config._KERNELS
pytestmark = pytest.mark.skipif(kernels is None, reason="neurona._kernels not built (no C compiler)")
ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")
SPECIALS = [np.nan, np.inf, -np.inf, -0.0, 0.0, -1.5, 2.5, 1e-45, -1e-45]


def _layer(x, w, b, g, activation, native, needs_dx=True):
    """(out, dx, dW, db) of the Dense op, with the compiled steps (native) or NumPy's."""
    config.set_native_kernels(native)
    try:
        ctx = Context()
        ctx.needs_input_grad = (needs_dx, True, True)
        out = nn_ops.Dense.forward(ctx, x, w, b, activation=activation)
        return (out, *nn_ops.Dense.backward(ctx, g))
    finally:
        config.set_native_kernels(True)


def _same_bits(a, b):
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_a_large_layer_is_the_numpy_layer_bit_for_bit(dtype, activation):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((64, 50)).astype(dtype)  # 64·50·40 > SMALL_DENSE: the BLAS path
    w = rng.standard_normal((50, 40)).astype(dtype)
    b = rng.standard_normal(40).astype(dtype)
    g = rng.standard_normal((64, 40)).astype(dtype)
    assert x.shape[0] * w.size > nn_ops.SMALL_DENSE
    native = _layer(x, w, b, g, activation, True)
    reference = _layer(x, w, b, g, activation, False)
    for got, want in zip(native, reference):
        assert _same_bits(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("relu", [True, False])
def test_bias_act_is_numpy_s_add_then_maximum_on_special_values(dtype, relu):
    rng = np.random.default_rng(4)
    out = rng.choice(np.array(SPECIALS, dtype=dtype), size=(len(SPECIALS) * 3, len(SPECIALS)))
    b = np.array(SPECIALS, dtype=dtype)[::-1].copy()
    with np.errstate(invalid="ignore"):
        want = out + b  # (inf + −inf is NaN)
    if relu:
        np.maximum(want, 0, out=want)  # NaN stays NaN, -0 becomes 0, -inf becomes 0
    got = out.copy()
    with np.errstate(invalid="ignore"):
        kernels.bias_act(got, b, out.shape[0], out.shape[1], relu)
    assert _same_bits(got, want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_relu_grad_is_numpy_s_masked_product_on_special_values(dtype):
    values = np.array(SPECIALS, dtype=dtype)
    g, y = np.meshgrid(values, values)  # every pair: NaN·0 stays NaN, −x·0 is −0, as NumPy computes
    g, y = np.ascontiguousarray(g), np.ascontiguousarray(y)
    with np.errstate(invalid="ignore"):
        want = g * (y > 0)
    got = np.empty_like(g)
    kernels.relu_grad(g, y, got, g.size)
    assert _same_bits(got, want)


def test_gradients_of_a_large_relu_layer_match_finite_differences():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((8, 30))
    w = rng.standard_normal((30, 20))
    b = rng.standard_normal(20)
    assert x.shape[0] * w.size > nn_ops.SMALL_DENSE
    g = rng.standard_normal((8, 20))

    def loss(x_, w_, b_):
        return float(np.sum(nn_ops.Dense.forward(Context(), x_, w_, b_, activation="relu") * g))

    _, dx, dw, db = _layer(x, w, b, g, "relu", True)
    h = 1e-6
    for analytic, arrays, index in [(dx, 0, (3, 7)), (dw, 1, (11, 4)), (db, 2, (9,))]:
        plus = [a.copy() for a in (x, w, b)]
        minus = [a.copy() for a in (x, w, b)]
        plus[arrays][index] += h
        minus[arrays][index] -= h
        numeric = (loss(*plus) - loss(*minus)) / (2 * h)
        assert analytic[index] == pytest.approx(numeric, rel=1e-6, abs=1e-8)


def test_a_three_dimensional_input_goes_through_the_kernels_and_matches_numpy():
    rng = np.random.default_rng(6)
    x = rng.standard_normal((6, 7, 30)).astype(np.float32)  # (batch, steps, features)
    w = rng.standard_normal((30, 25)).astype(np.float32)
    b = rng.standard_normal(25).astype(np.float32)
    g = rng.standard_normal((6, 7, 25)).astype(np.float32)
    for got, want in zip(_layer(x, w, b, g, "relu", True), _layer(x, w, b, g, "relu", False)):
        assert _same_bits(got, want)


def test_operands_the_kernels_cannot_take_go_to_numpy():
    rng = np.random.default_rng(7)
    x = rng.standard_normal((64, 50)).astype(np.float32)
    w = rng.standard_normal((50, 40)).astype(np.float32)
    b64 = rng.standard_normal(40)  # a float64 bias on a float32 layer: NumPy's add (and its promotion)
    g = np.asfortranarray(rng.standard_normal((64, 40)).astype(np.float32))  # a strided gradient
    native = _layer(x, w, b64, g, "relu", True)
    reference = _layer(x, w, b64, g, "relu", False)
    for got, want in zip(native, reference):
        assert _same_bits(got, want)
    assert not nn_ops._bias_act(np.zeros((4, 3), np.float32), np.zeros((2, 3), np.float32), True)
    assert not nn_ops._bias_act(np.zeros((4, 3), np.float32)[:, ::2], np.zeros(2, np.float32), True)


def test_the_kernels_check_sizes_and_dtypes_themselves():
    out = np.zeros((4, 3), np.float32)
    with pytest.raises(ValueError, match="expected 15 items, got 12"):
        kernels.bias_act(out, np.zeros(3, np.float32), 5, 3, True)
    with pytest.raises(TypeError, match="one dtype"):
        kernels.bias_act(out, np.zeros(3, np.float64), 4, 3, True)
    with pytest.raises(ValueError, match="non-negative"):
        kernels.relu_grad(out, out, out.copy(), -1)
    with pytest.raises(TypeError, match="writable"):
        readonly = np.zeros(12, np.float32)
        readonly.flags.writeable = False
        kernels.relu_grad(out, out, readonly, 12)
