import numpy as np
import pytest

import neurona as nn
from neurona import layers


def test_add_pop_and_lazy_build():
    model = nn.Sequential()
    model.add(layers.Dense(4))
    model.add(layers.Dense(2))
    assert not model.built
    model(np.ones((3, 5)))
    assert model.built and model.count_params() == 5 * 4 + 4 + 4 * 2 + 2
    popped = model.pop()
    assert popped.units == 2 and len(model.layers) == 1


def test_build_with_input_shape_and_layers_property():
    model = nn.Sequential([layers.Dense(3), layers.Dense(1)])
    model.build((None, 4))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dense"]
    assert model.output_shape == (None, 1)


def test_only_layers_can_be_added():
    with pytest.raises(TypeError, match="Only layers"):
        nn.Sequential(["dense"])


def test_duplicate_layer_names_are_rejected():
    with pytest.raises(ValueError, match="unique names"):
        nn.Sequential([layers.Dense(2, name="d"), layers.Dense(2, name="d")])


def test_get_config_round_trip_rebuilds_the_same_architecture():
    model = nn.Sequential(
        [nn.Input(shape=(5,)), layers.Dense(3, activation="relu"), layers.Dropout(0.1), layers.Dense(2)]
    )
    clone = nn.Sequential.from_config(model.get_config())
    assert clone.count_params() == model.count_params()
    clone.set_weights(model.get_weights())
    x = np.random.rand(4, 5)
    np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_get_layer_by_name_and_index():
    model = nn.Sequential([nn.Input(shape=(2,)), layers.Dense(3, name="first"), layers.Dense(1, name="last")])
    assert model.get_layer("last") is model.layers[-1]
    assert model.get_layer(index=0).name == "first"
    with pytest.raises(ValueError, match="No such layer"):
        model.get_layer("missing")
