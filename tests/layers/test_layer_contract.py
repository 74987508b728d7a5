"""Tier 3: the same contract over every layer: output shape (also as predicted symbolically), weight
counts, a config round trip, and one training step that changes exactly the trainable weights."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers

CASES = [
    # (factory, input shape with batch, expected output shape, trainable count, non-trainable count)
    (lambda: layers.Dense(3), (4, 5), (4, 3), 2, 0),
    (lambda: layers.Dense(3, use_bias=False, activation="tanh"), (4, 5), (4, 3), 1, 0),
    (lambda: layers.Dense(2, activation="relu"), (4, 6, 5), (4, 6, 2), 2, 0),
    (lambda: layers.Activation("sigmoid"), (4, 5), (4, 5), 0, 0),
    (lambda: layers.Flatten(), (4, 2, 3), (4, 6), 0, 0),
    (lambda: layers.Reshape((3, 2)), (4, 6), (4, 3, 2), 0, 0),
    (lambda: layers.Reshape((-1, 2)), (4, 2, 3), (4, 3, 2), 0, 0),
    (lambda: layers.Dropout(0.5, seed=1), (4, 5), (4, 5), 0, 0),
    # beta starts at ones: with beta = 0 the gradient of Σy² with respect to beta is 2·Σ x̂ = 0
    (lambda: layers.BatchNormalization(beta_initializer="ones"), (4, 5), (4, 5), 2, 2),
    (
        lambda: layers.BatchNormalization(axis=1, momentum=0.9, beta_initializer="ones"),
        (4, 3, 5),
        (4, 3, 5),
        2,
        2,
    ),
    (lambda: layers.BatchNormalization(center=False, gamma_regularizer="l2"), (4, 5), (4, 5), 1, 2),
    (lambda: layers.BatchNormalization(center=False, scale=False), (4, 5), (4, 5), 0, 2),
    (lambda: layers.LayerNormalization(beta_initializer="ones"), (4, 5), (4, 5), 2, 0),
    (lambda: layers.LayerNormalization(axis=[1, 2], beta_initializer="ones"), (4, 3, 5), (4, 3, 5), 2, 0),
    (
        lambda: layers.LayerNormalization(axis=1, scale=False, beta_initializer="ones"),
        (4, 3, 5),
        (4, 3, 5),
        1,
        0,
    ),
    (lambda: layers.GaussianNoise(0.1, seed=1), (4, 5), (4, 5), 0, 0),
    (lambda: layers.GaussianDropout(0.3, seed=1), (4, 5), (4, 5), 0, 0),
    (lambda: layers.AlphaDropout(0.2, noise_shape=(None, 1, 5), seed=1), (4, 3, 5), (4, 3, 5), 0, 0),
    (lambda: layers.ActivityRegularization(l1=0.01, l2=0.02), (4, 5), (4, 5), 0, 0),
    (lambda: layers.Normalization(), (4, 5), (4, 5), 0, 3),  # mean, variance, count
    (lambda: layers.Normalization(axis=(1, 2)), (4, 3, 5), (4, 3, 5), 0, 3),
    (lambda: layers.Normalization(mean=1.0, variance=4.0, invert=True), (4, 5), (4, 5), 0, 0),
    (lambda: layers.Discretization(bin_boundaries=[-0.5, 0.5]), (4, 5), (4, 5), 0, 0),
    (lambda: layers.Discretization(bin_boundaries=[0.0], output_mode="count"), (4, 5), (4, 2), 0, 0),
    (lambda: layers.Hashing(num_bins=3), (4, 5), (4, 5), 0, 0),
    (
        lambda: layers.Dense(
            3,
            kernel_regularizer=nn.regularizers.OrthogonalRegularizer(0.1),
            bias_regularizer="l1",
            activity_regularizer="l2",
            kernel_constraint=nn.constraints.MaxNorm(1.5),
            bias_constraint="non_neg",
            bias_initializer="ones",
        ),
        (4, 5),
        (4, 3),
        2,
        0,
    ),
]


@pytest.mark.parametrize("factory, shape, out_shape, n_trainable, n_frozen", CASES)
def test_layer_contract(factory, shape, out_shape, n_trainable, n_frozen):
    layer = factory()
    x = np.random.default_rng(0).normal(size=shape).astype("float32")
    y = layer(x)
    assert y.shape == out_shape
    assert layer.compute_output_shape((None,) + shape[1:]) == (None,) + out_shape[1:]
    symbolic = type(layer).from_config(layer.get_config())(nn.Input(shape=shape[1:]))
    assert symbolic.shape == (None,) + out_shape[1:]
    assert len(layer.trainable_weights) == n_trainable
    assert len(layer.non_trainable_weights) == n_frozen

    clone = type(layer).from_config(layer.get_config())
    assert clone.get_config() == layer.get_config()
    clone(x)
    assert [w.shape for w in clone.weights] == [w.shape for w in layer.weights]
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x, training=False).numpy(), layer(x, training=False).numpy())

    if n_trainable:
        before = layer.get_weights()
        with nn.GradientTape() as tape:
            loss = nn.ops.sum(nn.ops.square(layer(x, training=True)))
        grads = tape.gradient(loss, layer.trainable_weights)
        nn.optimizers.SGD(0.1).apply_gradients(zip(grads, layer.trainable_weights))
        after = layer.get_weights()
        assert all(not np.allclose(b, a) for b, a in zip(before, after))


@pytest.mark.parametrize(
    "merge, expected",
    [
        (layers.Add, lambda a, b: a + b),
        (layers.Subtract, lambda a, b: a - b),
        (layers.Multiply, lambda a, b: a * b),
        (layers.Average, lambda a, b: (a + b) / 2),
        (layers.Maximum, np.maximum),
        (layers.Minimum, np.minimum),
        (lambda: layers.Concatenate(axis=-1), lambda a, b: np.concatenate([a, b], axis=-1)),
    ],
)
def test_merging_layers(merge, expected):
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 4)).astype("float32"), rng.normal(size=(3, 4)).astype("float32")
    layer = merge()
    np.testing.assert_allclose(layer([a, b]).numpy(), expected(a, b), rtol=1e-6)
    symbolic = merge()([nn.Input(shape=(4,)), nn.Input(shape=(4,))])
    assert symbolic.shape == (None,) + expected(a, b).shape[1:]


def test_merging_layers_need_a_list():
    with pytest.raises(ValueError, match="list of at least 2 inputs"):
        layers.Add()(np.ones((2, 3)))
