import numpy as np
import pytest

import neurona as nn
from neurona import layers


def test_dense_computes_activation_of_x_w_plus_b():
    layer = layers.Dense(
        2, activation="relu", kernel_initializer="ones", bias_initializer=nn.initializers.Constant(-1.0)
    )
    x = np.array([[1.0, 2.0], [-3.0, 0.5]], dtype="float32")
    # row 0: 1+2-1 = 2 ; row 1: -3+0.5-1 = -3.5 → relu 0
    np.testing.assert_allclose(layer(x).numpy(), [[2.0, 2.0], [0.0, 0.0]])


def test_dense_weights_shapes_names_and_default_initializers():
    layer = layers.Dense(4, name="hidden")
    layer(np.ones((2, 3)))
    kernel, bias = layer.weights
    assert (kernel.shape, bias.shape) == ((3, 4), (4,))
    assert kernel.name == "hidden/kernel"
    np.testing.assert_array_equal(bias.numpy(), np.zeros(4))
    limit = np.sqrt(6 / (3 + 4))  # glorot_uniform
    assert np.all(np.abs(kernel.numpy()) <= limit)
    assert layer.count_params() == 16


@pytest.mark.parametrize("units", [0, -3, 2.5, "8", None])
def test_invalid_units(units):
    with pytest.raises(ValueError, match=r"expected a positive integer. Received: units="):
        layers.Dense(units)


def test_wrong_feature_count_names_layer_expected_and_received():
    layer = layers.Dense(2)
    layer(np.ones((4, 3)))
    with pytest.raises(
        ValueError, match=r"layer 'dense'.*expected axis -1 of input shape to have value 3.*\(4, 5\)"
    ):
        layer(np.ones((4, 5)))


def test_rank_too_low_explains_the_batch_axis():
    with pytest.raises(ValueError, match="min_ndim=2, found ndim=1"):
        layers.Dense(2)(np.ones(3))


def test_input_shape_and_input_dim_are_accepted_silently(recwarn):
    a = layers.Dense(32, input_shape=(784,))
    b = layers.Dense(32, input_dim=784)
    assert a._batch_input_shape == b._batch_input_shape == (None, 784)
    assert not [w for w in recwarn.list if issubclass(w.category, UserWarning)]


def test_unknown_keyword_argument_is_rejected():
    with pytest.raises(TypeError, match="unit"):
        layers.Dense(3, unit=4)


def test_unknown_activation_lists_the_valid_ones():
    with pytest.raises(ValueError, match="Unknown activation function: 'relux'.*'relu'"):
        layers.Dense(3, activation="relux")


def test_trainable_false_freezes_the_weights():
    layer = layers.Dense(2)
    layer(np.ones((1, 3)))
    layer.trainable = False
    assert layer.trainable_weights == []
    assert len(layer.non_trainable_weights) == 2


def test_set_weights_checks_count_and_shapes():
    layer = layers.Dense(2)
    layer(np.ones((1, 3)))
    with pytest.raises(ValueError, match="expects 2 weight arrays"):
        layer.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match=r"expected \(3, 2\), received \(2, 3\)"):
        layer.set_weights([np.zeros((2, 3)), np.zeros(2)])


def test_kernel_regularizer_penalty_appears_in_losses():
    layer = layers.Dense(2, kernel_initializer="ones", kernel_regularizer=nn.regularizers.L2(0.1))
    layer(np.ones((1, 3)))
    # l2 · Σw² = 0.1 · 6 (no ½)
    assert abs(float(layer.losses[0]) - 0.6) < 1e-6


def test_the_input_check_runs_again_for_every_new_shape():
    """The check of a built layer's input is skipped only for the shape that passed last time."""
    layer = layers.Dense(2)
    layer(np.zeros((4, 3), np.float32))
    layer(np.zeros((4, 3), np.float32))  # the same shape: fine
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        layer(np.zeros((4, 5), np.float32))
    layer(np.zeros((1, 3), np.float32))
    layer.input_spec = type(layer.input_spec)(min_ndim=2, axes={-1: 4})  # a new spec is checked again
    with pytest.raises(ValueError, match="to have value 4"):
        layer(np.zeros((1, 3), np.float32))
