"""Values of the normalization ops (their gradients are checked in test_op_gradients.py)."""

import numpy as np
import pytest

from neurona import ops


def test_batch_normalization_with_given_statistics():
    x = np.array([[1.0, 2.0], [3.0, 4.0]], dtype="float32")
    out = ops.batch_normalization(x, np.array([1.0, 2.0]), np.array([4.0, 1.0]), axis=-1, epsilon=0.0)
    np.testing.assert_allclose(out.numpy(), [[0.0, 0.0], [1.0, 2.0]])  # (x − mean)/√variance
    scaled = ops.batch_normalization(
        x,
        np.array([1.0, 2.0]),
        np.array([4.0, 1.0]),
        axis=1,
        offset=np.array([1.0, 0.0]),
        scale=np.array([2.0, 3.0]),
        epsilon=0.0,
    )
    np.testing.assert_allclose(scaled.numpy(), [[1.0, 0.0], [3.0, 6.0]])
    assert out.dtype == "float32"


def test_fused_batch_norm_returns_the_biased_batch_statistics():
    x = np.array([[0.0, 1.0], [4.0, 1.0]], dtype="float32")
    out, mean, variance = ops.fused_batch_norm(x, epsilon=1e-12)  # a zero-variance column needs ε > 0
    np.testing.assert_allclose(mean.numpy(), [2.0, 1.0])
    np.testing.assert_allclose(variance.numpy(), [4.0, 0.0])  # biased: Σ(x − μ)²/N
    np.testing.assert_allclose(out.numpy(), [[-1.0, 0.0], [1.0, 0.0]], atol=1e-6)


def test_layer_normalization_and_moments():
    x = np.array([[1.0, 3.0, 5.0]], dtype="float32")  # μ = 3, σ² = 8/3
    out = ops.layer_normalization(x, epsilon=0.0)
    np.testing.assert_allclose(out.numpy(), [[-2, 0, 2] / np.sqrt(8 / 3)], rtol=1e-6)
    mean, variance = ops.moments(x, axes=[1])
    np.testing.assert_allclose(mean.numpy(), [3.0])
    np.testing.assert_allclose(variance.numpy(), [8 / 3], rtol=1e-6)
    mean, variance = ops.moments(x, axes=[1], keepdims=True)
    assert mean.shape == variance.shape == (1, 1)


def test_axis_out_of_bounds():
    with pytest.raises(ValueError, match=r"Axis 2 is out of bounds for an input of rank 2"):
        ops.layer_normalization(np.ones((2, 3)), axis=2)
