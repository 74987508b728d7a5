"""Noise layers (GaussianNoise, GaussianDropout, AlphaDropout) and ActivityRegularization: statistics
over many draws, identity at inference, reproducible seeds, and the penalty of ActivityRegularization."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers

N = 200_000  # draws per statistic: the standard error of a mean of unit-variance draws is ≈ 0.0022

NOISE_LAYERS = [
    lambda seed=None: layers.GaussianNoise(0.5, seed=seed),
    lambda seed=None: layers.GaussianDropout(0.3, seed=seed),
    lambda seed=None: layers.AlphaDropout(0.2, seed=seed),
]


@pytest.mark.parametrize("factory", NOISE_LAYERS)
def test_identity_unless_training(factory):
    x = np.random.default_rng(0).normal(size=(50, 20)).astype("float32")
    layer = factory()
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), x)
    assert not np.allclose(layer(x, training=True).numpy(), x)


@pytest.mark.parametrize("factory", NOISE_LAYERS)
def test_same_seed_same_noise_and_the_generator_state_replays_it(factory):
    x = np.ones((30, 10), dtype="float32")
    a, b = factory(seed=5), factory(seed=5)
    np.testing.assert_array_equal(a(x, training=True).numpy(), b(x, training=True).numpy())
    assert not np.array_equal(factory(seed=6)(x, training=True).numpy(), a(x, training=True).numpy())
    state = a._rng.bit_generator.state  # what a checkpoint saves
    first = a(x, training=True).numpy()
    a._rng.bit_generator.state = state
    np.testing.assert_array_equal(a(x, training=True).numpy(), first)


def test_gaussian_noise_statistics():
    x = np.full((N,), 3.0, dtype="float32")
    noise = layers.GaussianNoise(0.5, seed=1)(x, training=True).numpy() - x
    assert abs(noise.mean()) < 0.005  # 0 ± 3·0.5/√N
    assert abs(noise.std() - 0.5) < 0.005


def test_gaussian_dropout_statistics():
    x = np.full((N,), 2.0, dtype="float32")
    factor = layers.GaussianDropout(0.3, seed=2)(x, training=True).numpy() / x
    # multiplicative N(1, rate/(1 − rate)): variance 0.3/0.7 = 0.4286, std 0.6547
    assert abs(factor.mean() - 1.0) < 0.006
    assert abs(factor.var() - 0.3 / 0.7) < 0.006


def test_alpha_dropout_keeps_mean_and_variance_of_standardized_inputs():
    rate = 0.2
    x = np.random.default_rng(3).normal(size=(N,)).astype("float32")
    y = layers.AlphaDropout(rate, seed=3)(x, training=True).numpy()
    assert abs(y.mean()) < 0.01 and abs(y.var() - 1.0) < 0.01  # the point of the affine correction
    # the exact values: α′ = −1.0507…·1.6732… ≈ −1.7581; a = ((1 − p)(1 + p·α′²))^−½; b = −a·α′·p
    alpha_p = -1.0507009873554805 * 1.6732632423543772
    a = ((1 - rate) * (1 + rate * alpha_p**2)) ** -0.5
    b = -a * alpha_p * rate
    dropped = np.isclose(y, a * alpha_p + b, atol=1e-6)
    assert abs(dropped.mean() - rate) < 0.005
    np.testing.assert_allclose(y[~dropped], a * x[~dropped] + b, rtol=1e-5, atol=1e-6)


def test_alpha_dropout_noise_shape_shares_draws_and_gradients_flow_through_kept_units():
    x = nn.Variable(np.ones((4, 3, 5)))
    layer = layers.AlphaDropout(0.5, noise_shape=(None, 1, 5), seed=4)
    with nn.GradientTape() as tape:
        y = layer(x, training=True)
        total = nn.ops.sum(y)
    out = y.numpy()
    assert np.all(out == out[:, :1, :])
    grad = tape.gradient(total, x).numpy()
    a = ((1 - 0.5) * (1 + 0.5 * (1.0507009873554805 * 1.6732632423543772) ** 2)) ** -0.5
    assert set(np.round(np.unique(grad), 6)) <= {0.0, round(a, 6)}  # a where kept, 0 where dropped


@pytest.mark.parametrize(
    "factory, message",
    [
        (lambda: layers.GaussianNoise(-0.1), "stddev=-0.1"),
        (lambda: layers.GaussianNoise("1"), "stddev='1'"),
        (lambda: layers.GaussianDropout(1.0), "rate=1.0"),
        (lambda: layers.AlphaDropout(-0.5), "rate=-0.5"),
    ],
)
def test_invalid_arguments(factory, message):
    with pytest.raises(ValueError, match=message):
        factory()


def test_zero_noise_is_identity_even_when_training():
    x = np.ones((3, 4), dtype="float32")
    for layer in [layers.GaussianNoise(0.0), layers.GaussianDropout(0.0), layers.AlphaDropout(0.0)]:
        np.testing.assert_array_equal(layer(x, training=True).numpy(), x)


def test_activity_regularization_penalty_hand_worked():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    x = np.array([[1.0, -2.0], [3.0, 0.0]], dtype="float32")
    np.testing.assert_array_equal(layer(x).numpy(), x)
    # (0.1·Σ|x| + 0.01·Σx²) / batch = (0.1·6 + 0.01·14) / 2 = 0.37
    assert [float(p) for p in layer.losses] == pytest.approx([0.37])
    config = layer.get_config()
    assert config["l1"] == 0.1 and config["l2"] == 0.01 and "activity_regularizer" not in config
    assert layers.ActivityRegularization.from_config(config).get_config() == config


def test_activity_regularization_adds_to_the_model_loss():
    model = nn.Sequential(
        [
            nn.Input(shape=(2,)),
            layers.Dense(1, kernel_initializer="ones"),
            layers.ActivityRegularization(l2=0.5),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    x, y = np.array([[1.0, 2.0], [3.0, -1.0]]), np.array([[0.0], [1.0]])
    # outputs [3, 2]: mse (9 + 1)/2 = 5; penalty 0.5·(9 + 4)/2 = 3.25
    assert model.evaluate(x, y, verbose=0) == pytest.approx(8.25, rel=1e-6)


@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("GaussianNoise", {"stddev": 0.2, "seed": 3}),
        ("GaussianDropout", {"rate": 0.2, "seed": 3}),
        ("AlphaDropout", {"rate": 0.2, "seed": 3}),
        ("ActivityRegularization", {"l1": 0.1, "l2": 0.2}),
    ],
)
def test_configs_carry_the_keras_keys_and_values(name, kwargs):
    import os

    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras oracle runs on the JAX backend")
    theirs = getattr(keras.layers, name)(**kwargs).get_config()
    ours = getattr(layers, name)(**kwargs).get_config()
    assert set(ours) == set(theirs)
    for key in kwargs:
        assert ours[key] == theirs[key] == kwargs[key]
