import numpy as np
import pytest

from neurona import layers


def test_dropout_is_identity_at_inference():
    x = np.ones((100, 50), dtype="float32")
    np.testing.assert_array_equal(layers.Dropout(0.5)(x).numpy(), x)
    np.testing.assert_array_equal(layers.Dropout(0.5)(x, training=False).numpy(), x)


def test_inverted_dropout_scales_kept_units():
    x = np.ones((200, 100), dtype="float32")
    out = layers.Dropout(0.25, seed=3)(x, training=True).numpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / 0.75)  # kept units are scaled by 1/(1 − rate)
    assert abs(kept.mean() - 0.75) < 0.01  # 20 000 draws: std ≈ 0.003
    assert abs(out.mean() - 1.0) < 0.02  # the expected value is unchanged


def test_same_seed_same_mask_and_noise_shape_shares_draws():
    x = np.ones((4, 3, 5), dtype="float32")
    a = layers.Dropout(0.5, seed=11)(x, training=True).numpy()
    b = layers.Dropout(0.5, seed=11)(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
    shared = layers.Dropout(0.5, noise_shape=(None, 1, 5), seed=2)(x, training=True).numpy()
    assert np.all(shared == shared[:, :1, :])


def test_gradient_flows_only_through_kept_units():
    import neurona as nn

    x = nn.Variable(np.ones((10, 10)))
    layer = layers.Dropout(0.5, seed=0)
    with nn.GradientTape() as tape:
        y = nn.ops.sum(layer(x, training=True))
    grad = tape.gradient(y, x).numpy()
    assert set(np.unique(grad)) <= {0.0, 2.0}


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, "0.5"])
def test_invalid_rate(rate):
    with pytest.raises(ValueError, match="rate"):
        layers.Dropout(rate)
