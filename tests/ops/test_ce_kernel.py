"""Softmax cross-entropy from logits with integer labels in one compiled call for small batches
(`_kernels_loss.c`, used by the SparseSoftmaxCrossEntropy op for ≤ SMALL_CE_CLASSES classes): a hand-worked
value, the NumPy rule to the last bits of exp and log, the backward exactly the NumPy rule's operations,
gradients against central finite differences, and NaN, bad labels and large class counts as before."""

import math

import numpy as np
import pytest

from neurona import config
from neurona.engine.function import Context
from neurona.ops import nn as nn_ops

kernels = config._KERNELS
pytestmark = pytest.mark.skipif(kernels is None, reason="neurona._kernels not built (no C compiler)")
OP = nn_ops.SparseSoftmaxCrossEntropy


def _ce(labels, logits, g, native):
    """(loss, dlogits, whether the compiled kernel ran) through the op."""
    config.set_native_kernels(native)
    try:
        ctx = Context()
        loss = OP.forward(ctx, labels, logits)
        return loss, OP.backward(ctx, g)[1], ctx.compiled
    finally:
        config.set_native_kernels(True)


def test_a_hand_worked_row():
    # logits [0, ln 3]: softmax [1/4, 3/4]; label 1: loss −ln(3/4); d loss / d z = softmax − one_hot = [1/4, −1/4]
    logits = np.array([[0.0, math.log(3.0)]])
    loss, grad, compiled = _ce(np.array([1]), logits, np.ones(1), True)
    assert compiled
    assert loss[0] == pytest.approx(-math.log(0.75), rel=1e-15)
    np.testing.assert_allclose(grad, [[0.25, -0.25]], rtol=1e-15)


@pytest.mark.parametrize("dtype, tolerance", [(np.float32, 1e-6), (np.float64, 1e-14)])
@pytest.mark.parametrize("shape", [(32, 10), (128, 10), (1, 2), (1024, 10), (64, 16)])
def test_the_numpy_rule_to_the_last_bits_of_exp_and_log(dtype, tolerance, shape):
    rng = np.random.default_rng(1)
    logits = (rng.standard_normal(shape) * 4).astype(dtype)
    labels = rng.integers(0, shape[1], shape[0])
    g = rng.random(shape[0]).astype(dtype)
    loss, grad, compiled = _ce(labels, logits, g, True)
    want_loss, want_grad, numpy_ran = _ce(labels, logits, g, False)
    assert compiled and not numpy_ran
    assert loss.dtype == want_loss.dtype == dtype and grad.dtype == dtype and grad.shape == shape
    np.testing.assert_allclose(loss, want_loss, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(grad, want_grad, rtol=tolerance, atol=tolerance)


def test_the_backward_is_the_numpy_rule_on_the_same_probabilities_bit_for_bit():
    rng = np.random.default_rng(2)
    logits = rng.standard_normal((32, 10)).astype(np.float32)
    labels = rng.integers(0, 10, 32)
    g = rng.random(32).astype(np.float32)
    ctx = Context()
    OP.forward(ctx, labels, logits)
    assert ctx.compiled
    want = ctx.probs * g[:, None]
    want[np.arange(32), labels] -= g
    assert OP.backward(ctx, g)[1].tobytes() == want.tobytes()


def test_gradients_match_finite_differences():
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((8, 10))
    labels = rng.integers(0, 10, 8)
    g = rng.random(8)
    _, grad, compiled = _ce(labels, logits, g, True)
    assert compiled
    h = 1e-6
    for index in [(0, 0), (3, labels[3]), (7, 9), (5, 2)]:
        plus, minus = logits.copy(), logits.copy()
        plus[index] += h
        minus[index] -= h
        numeric = (g @ OP.forward(Context(), labels, plus) - g @ OP.forward(Context(), labels, minus)) / (
            2 * h
        )
        assert grad[index] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


def test_a_nan_row_gives_nan_there_and_leaves_the_others_alone_as_numpy_does():
    logits = np.array([[1.0, 2.0, 3.0], [np.nan, 0.0, 1.0], [0.0, 1.0, np.inf]], dtype=np.float32)
    labels = np.array([2, 1, 0])
    with np.errstate(invalid="ignore"):
        loss, grad, compiled = _ce(labels, logits, np.ones(3, np.float32), True)
        want_loss, want_grad, _ = _ce(labels, logits, np.ones(3, np.float32), False)
    assert compiled
    assert np.isnan(loss[1]) and np.isnan(grad[1]).all() and np.isnan(loss[2])
    np.testing.assert_allclose(loss[0], want_loss[0], rtol=1e-6)
    np.testing.assert_array_equal(np.isnan(grad), np.isnan(want_grad))


def test_labels_out_of_range_go_to_the_numpy_rule_which_decides_as_before():
    logits = np.zeros((2, 10), np.float32)
    with pytest.raises(IndexError, match="out of bounds"):
        OP.forward(Context(), np.array([0, 10]), logits)
    ctx = Context()
    wrapped = OP.forward(ctx, np.array([0, -1]), logits)  # NumPy's negative index: the last class
    assert not ctx.compiled
    np.testing.assert_allclose(wrapped, [math.log(10)] * 2, rtol=1e-6)


def test_many_classes_3d_logits_and_other_axes_stay_with_numpy():
    rng = np.random.default_rng(4)
    for labels, logits, axis in [
        (rng.integers(0, 100, 8), rng.standard_normal((8, 100)).astype(np.float32), -1),  # 100 classes
        (rng.integers(0, 5, (2, 3)), rng.standard_normal((2, 3, 5)).astype(np.float32), -1),  # 3-D
        (rng.integers(0, 4, 6), rng.standard_normal((4, 6)).astype(np.float32), 0),  # classes first
    ]:
        ctx = Context()
        OP.forward(ctx, labels, logits, axis=axis)
        assert not ctx.compiled


def test_the_kernel_checks_sizes_and_dtypes_itself():
    z = np.zeros((2, 3), np.float32)
    probs, loss = np.empty_like(z), np.empty(2, np.float32)
    with pytest.raises(TypeError, match="64-bit integers"):
        kernels.sparse_softmax_ce_forward(z, np.zeros(2, np.int32), probs, loss, 2, 3)
    with pytest.raises(ValueError, match="expected 8 items, got 6"):
        kernels.sparse_softmax_ce_forward(z, np.zeros(2, np.intp), probs, loss, 2, 4)
    with pytest.raises(TypeError, match="one dtype"):
        kernels.sparse_softmax_ce_forward(z, np.zeros(2, np.intp), probs, np.empty(2), 2, 3)
    with pytest.raises(IndexError, match="row 1 is outside"):
        kernels.sparse_softmax_ce_backward(probs, np.array([0, 3]), loss, probs.copy(), 2, 3)
