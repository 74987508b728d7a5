"""The Dense op's compiled paths (`_kernels_dense.c`), against the NumPy path.

Small layers (batch·inputs·units ≤ ops.nn.SMALL_DENSE) in one compiled call: the same layer as the NumPy
path, exactly where sums are exact, to the last bits of a float32 otherwise. Larger layers keep the BLAS
GEMMs and run the steps around them in one compiled pass each (`bias_act`, `relu_grad`): bit for bit the
NumPy path, special values included. Gradients against central finite differences; every operand the
kernels cannot take goes to NumPy."""

import numpy as np
import pytest

import neurona as nn
from neurona import config, ops
from neurona.engine.function import Context
from neurona.ops import nn as nn_ops

kernels = config._KERNELS
pytestmark = pytest.mark.skipif(kernels is None, reason="neurona._kernels not built (no C compiler)")
ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")
SPECIALS = [np.nan, np.inf, -np.inf, -0.0, 0.0, -1.5, 2.5, 1e-45, -1e-45]


def _layer(x, w, b, g, activation, native, needs_dx=True):
    """(out, dx, dW, db) of the Dense op, through the kernel (native) or NumPy."""
    config.set_native_kernels(native)
    try:
        ctx = Context()
        ctx.needs_input_grad = (needs_dx, True, True)
        out = nn_ops.Dense.forward(ctx, x, w, b, activation=activation)
        return (out, *nn_ops.Dense.backward(ctx, g))
    finally:
        config.set_native_kernels(True)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_exact_sums_give_the_numpy_layer_bit_for_bit(activation):
    # Small integers in float64: every product and partial sum is exact, so any summation order gives
    # the same numbers, and the elementwise steps are the NumPy rule's own operations. (With sigmoid and
    # tanh the slopes are not integers: their sums are compared to rounding below.)
    rng = np.random.default_rng(1)
    x = rng.integers(-3, 4, (10, 3)).astype(np.float64)
    w = rng.integers(-2, 3, (3, 4)).astype(np.float64)
    b = rng.integers(-2, 3, 4).astype(np.float64)
    g = rng.integers(-3, 4, (10, 4)).astype(np.float64)
    native = _layer(x, w, b, g, activation, True)
    reference = _layer(x, w, b, g, activation, False)
    exact = native if activation in ("linear", "relu") else native[:1]
    for got, want in zip(exact, reference):
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want)
    for got, want in zip(native, reference):
        np.testing.assert_allclose(got, want, rtol=1e-14, atol=1e-14)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("needs_dx", [True, False])
def test_float32_layers_agree_to_rounding(activation, needs_dx):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((10, 4)).astype(np.float32)
    w = rng.standard_normal((4, 2)).astype(np.float32)
    b = rng.standard_normal(2).astype(np.float32)
    g = rng.standard_normal((10, 2)).astype(np.float32)
    native = _layer(x, w, b, g, activation, True, needs_dx)
    reference = _layer(x, w, b, g, activation, False, needs_dx)
    if not needs_dx:
        assert native[1] is None and reference[1] is None
    for got, want in zip(native, reference):
        if want is None:
            continue
        assert got.dtype == np.float32
        np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6)


def test_relu_keeps_nan_and_turns_negative_zero_into_zero_as_numpy_maximum_does():
    x = np.array([[1.0, 0.0]], np.float32)
    w = np.array([[np.nan, -0.0], [0.0, 0.0]], np.float32)  # out = [NaN, -0.0 + 0] before the bias
    b = np.array([0.0, -0.0], np.float32)
    out = _layer(x, w, b, np.ones((1, 2), np.float32), "relu", True)[0]
    assert np.isnan(out[0, 0])
    assert out[0, 1] == 0 and not np.signbit(out[0, 1])


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_of_a_small_layer_match_finite_differences(activation):
    rng = np.random.default_rng(3)
    arrays = [rng.uniform(-1, 1, (5, 3)), rng.uniform(-1, 1, (3, 2)), rng.uniform(-0.5, 0.5, 2)]
    assert 5 * 3 * 2 <= nn_ops.SMALL_DENSE  # (the kernel path)
    assert nn.gradcheck(lambda x, w, b: ops.dense(x, w, b, activation=activation), arrays)


def test_operands_the_kernel_cannot_take_go_to_numpy(monkeypatch):
    calls = []

    class Spy:
        def dense_forward(self, *args):
            kernels.dense_forward(*args)
            calls.append("forward")  # (only when the kernel took the operands)

        def dense_backward(self, *args):
            kernels.dense_backward(*args)
            calls.append("backward")

        def bias_act(self, *args):  # (the large layers' elementwise steps: not what this test counts)
            kernels.bias_act(*args)

        def relu_grad(self, *args):
            kernels.relu_grad(*args)

    monkeypatch.setattr(config, "kernels", lambda: Spy())
    rng = np.random.default_rng(4)
    w = rng.standard_normal((3, 2)).astype(np.float32)
    b = np.zeros(2, np.float32)
    small = rng.standard_normal((10, 3)).astype(np.float32)
    for x, expect_kernel in [
        (small, True),
        (small.astype(np.float64), False),  # mixed dtypes: refused by the kernel, NumPy runs
        (rng.standard_normal((3, 10)).astype(np.float32).T, False),  # a strided view: refused
        (rng.standard_normal((1000, 3)).astype(np.float32), False),  # large: BLAS is faster
        (rng.standard_normal((2, 5, 3)).astype(np.float32), False),  # 3-D input: NumPy
    ]:
        calls.clear()
        ctx = Context()
        out = nn_ops.Dense.forward(ctx, x, w, b)
        assert np.allclose(out, x @ w + b, rtol=1e-6, atol=1e-6)
        nn_ops.Dense.backward(ctx, np.ones_like(out))
        assert (calls == ["forward", "backward"]) == expect_kernel, (x.shape, x.dtype, calls)


def test_the_kernel_checks_sizes_and_dtypes_itself():
    x, w, b = np.ones((2, 3), np.float32), np.ones((3, 4), np.float32), np.ones(4, np.float32)
    out = np.empty((2, 4), np.float32)
    with pytest.raises(ValueError, match="kernel: expected 15 items, got 12"):
        kernels.dense_forward(x, w, b, out, 2, 3, 5, False)
    with pytest.raises(TypeError, match="one dtype"):
        kernels.dense_forward(x, w.astype(np.float64), b, out, 2, 3, 4, False)
    with pytest.raises(TypeError, match="writable"):
        kernels.dense_forward(x, w, b, np.broadcast_to(out, out.shape), 2, 3, 4, False)
    kernels.dense_forward(x, w, b, out, 2, 3, 4, False)
    assert np.array_equal(out, np.full((2, 4), 4.0, np.float32))  # 1·1·3 + 1


def test_a_playground_network_trains_the_same_with_and_without_the_kernel():
    rng = np.random.default_rng(5)
    x = rng.uniform(-1, 1, (200, 2)).astype(np.float32)
    y = np.where((x**2).sum(1, keepdims=True) < 0.5, 1.0, -1.0).astype(np.float32)
    results = []
    for native in (True, False):
        config.set_native_kernels(native)
        try:
            nn.utils.set_random_seed(3)
            model = nn.Sequential(
                [nn.Input((2,)), nn.layers.Dense(4, activation="tanh"), nn.layers.Dense(1, activation="tanh")]
            )
            model.compile(optimizer=nn.optimizers.SGD(0.1), loss="mse")
            history = model.fit(x, y, batch_size=10, epochs=20, verbose=0)
            results.append((history.history["loss"], model.get_weights()))
        finally:
            config.set_native_kernels(True)
    (loss_native, w_native), (loss_numpy, w_numpy) = results
    assert loss_native[-1] < 0.6 * loss_native[0]  # it learns
    np.testing.assert_allclose(loss_native, loss_numpy, rtol=1e-4)
    for a, b in zip(w_native, w_numpy):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


# --- larger layers: the BLAS GEMMs, and one compiled pass around them -------------------------------
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
