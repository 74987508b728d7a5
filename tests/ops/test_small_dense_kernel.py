"""Small dense layers in one compiled call (`_kernels_dense.c`, used by the fused `dense` op when
batch·inputs·units ≤ ops.nn.SMALL_DENSE): the same layer as the NumPy path, exactly where sums are exact,
to the last bits of a float32 otherwise; gradients against central finite differences; every operand the
kernel cannot take goes to NumPy."""

import numpy as np
import pytest

import neurona as nn
from neurona import config, ops
from neurona.engine.function import Context
from neurona.ops import nn as nn_ops

kernels = config._KERNELS
pytestmark = pytest.mark.skipif(kernels is None, reason="neurona._kernels not built (no C compiler)")
ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh")


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
