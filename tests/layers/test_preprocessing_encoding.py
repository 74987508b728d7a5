"""`CategoryEncoding`, `Discretization` and `Hashing`: hand-worked values, Keras's shape rules, config
round trips, save/load and errors."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers
from neurona.models import load_model


# --- CategoryEncoding ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "mode, x, expected",
    [
        ("one_hot", 2, [[0, 0, 1, 0]]),
        ("one_hot", [1, 3], [[0, 1, 0, 0], [0, 0, 0, 1]]),  # rank 1: one index per sample
        ("one_hot", [[1], [3]], [[0, 1, 0, 0], [0, 0, 0, 1]]),  # trailing axis of 1 replaced
        ("one_hot", [[1, 2]], [[[0, 1, 0, 0], [0, 0, 1, 0]]]),
        ("multi_hot", [1, 2, 2], [0, 1, 1, 0]),  # rank 1: ONE sample
        ("multi_hot", [[1, 2, 2], [0, 0, 3]], [[0, 1, 1, 0], [1, 0, 0, 1]]),
        ("count", [[1, 2, 2], [0, 0, 3]], [[0, 1, 2, 0], [2, 0, 0, 1]]),
        ("count", 2, [0, 0, 1, 0]),
    ],
)
def test_category_encoding_shape_rules_and_values(mode, x, expected):
    layer = layers.CategoryEncoding(num_tokens=4, output_mode=mode)
    y = layer(np.array(x))
    assert y.numpy().tolist() == expected and y.dtype == "float32"
    if np.ndim(x) > 0:
        assert layer.compute_output_shape(np.shape(x)) == np.shape(expected)


def test_category_encoding_count_weights_and_float_indices():
    layer = layers.CategoryEncoding(num_tokens=3, output_mode="count")
    y = layer(np.array([[0, 1, 1]]), count_weights=np.array([[0.5, 2.0, 1.0]]))
    assert y.numpy().tolist() == [[0.5, 3.0, 0.0]]
    assert layers.CategoryEncoding(3)(np.array([[2.0, 0.0]], dtype="float32")).numpy().tolist() == [[1, 0, 1]]


def test_category_encoding_errors():
    with pytest.raises(ValueError, match="`num_tokens` must be set"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="positive integer"):
        layers.CategoryEncoding(num_tokens=0)
    with pytest.raises(ValueError, match="Unknown value for `output_mode`.*'bogus'"):
        layers.CategoryEncoding(3, output_mode="bogus")
    with pytest.raises(ValueError, match=r"value 5, outside the range \[0, 4\)"):
        layers.CategoryEncoding(4)(np.array([[5, 1]]))
    with pytest.raises(ValueError, match=r"value -1, outside the range \[0, 4\)"):
        layers.CategoryEncoding(4, output_mode="one_hot")(np.array([-1]))
    with pytest.raises(ValueError, match="non-integer"):
        layers.CategoryEncoding(4)(np.array([[1.5]]))
    with pytest.raises(ValueError, match="sparse"):
        layers.CategoryEncoding(4, sparse=True)
    with pytest.raises(ValueError, match="count_weights"):
        layers.CategoryEncoding(4)(np.array([[1]]), count_weights=np.array([[1.0]]))


def test_category_encoding_in_a_saved_model(tmp_path):
    model = nn.Sequential(
        [nn.Input(shape=(2,)), layers.CategoryEncoding(5, output_mode="count"), layers.Dense(1)]
    )
    x = np.array([[0, 4], [3, 3]], dtype="float32")
    model.save(tmp_path / "enc.keras")
    np.testing.assert_array_equal(
        model.predict(x, verbose=0), load_model(tmp_path / "enc.keras").predict(x, verbose=0)
    )


# --- Discretization ------------------------------------------------------------------------------------
def test_discretization_given_boundaries():
    layer = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    # bins: (−∞, 0) → 0, [0, 1) → 1, [1, 2) → 2, [2, ∞) → 3; a value on a boundary goes up
    y = layer(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    assert y.numpy().tolist() == [[0, 2, 3, 1], [1, 3, 2, 1]] and y.dtype == "int32"
    hot = layers.Discretization(bin_boundaries=[0.0, 1.0], output_mode="multi_hot")
    assert hot(np.array([[-1.0, 5.0]])).numpy().tolist() == [[1.0, 0.0, 1.0]]
    assert hot.compute_output_shape((None, 2)) == (None, 3)


def test_discretization_adapt_hand_worked():
    layer = layers.Discretization(num_bins=4)
    # 5 values with ε = 0.01: the summary is the values, each of weight 1; compressing to 4 bins
    # interpolates the cumulative fractions .25/.5/.75 between 1/5 .. 5/5: 1.25, 2.5, 3.75
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0]))
    assert layer.bin_boundaries == [1.25, 2.5, 3.75]
    assert layer(np.array([[1.0, 3.0, 5.0]])).numpy().tolist() == [[0, 2, 3]]


def test_discretization_adapt_quantiles_of_a_large_sample():
    data = np.random.default_rng(0).uniform(size=10_000)
    layer = layers.Discretization(num_bins=4, epsilon=0.001)
    layer.adapt(data)
    np.testing.assert_allclose(layer.bin_boundaries, np.quantile(data, [0.25, 0.5, 0.75]), atol=0.01)


def test_discretization_config_and_save_round_trip(tmp_path):
    layer = layers.Discretization(num_bins=3, output_mode="one_hot")
    layer.adapt(np.arange(30.0))
    config = layer.get_config()
    clone = layers.Discretization.from_config(config)
    assert clone.bin_boundaries == layer.bin_boundaries and clone.get_config() == config
    model = nn.Sequential([nn.Input(shape=(1,)), layer, layers.Dense(2)])
    x = np.array([[1.0], [15.0], [29.0]], dtype="float32")
    model.save(tmp_path / "disc.keras")
    np.testing.assert_array_equal(
        model.predict(x, verbose=0), load_model(tmp_path / "disc.keras").predict(x, verbose=0)
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({}, "either `num_bins` or `bin_boundaries`"),
        ({"num_bins": 2, "bin_boundaries": [0.0]}, "Both `num_bins` and `bin_boundaries`"),
        ({"num_bins": -1}, "`num_bins` must be"),
        ({"num_bins": 2, "output_mode": "tf_idf"}, "Unknown value for `output_mode`"),
        ({"bin_boundaries": [1.0, 0.0]}, "strictly increasing"),
        ({"num_bins": 2, "epsilon": 0.0}, "`epsilon`"),
    ],
)
def test_discretization_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Discretization(**kwargs)


def test_discretization_needs_boundaries_before_call():
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)(np.array([[1.0]]))
    with pytest.raises(ValueError, match="num_bins"):
        layers.Discretization(bin_boundaries=[0.0]).adapt(np.array([1.0]))


# --- Hashing -------------------------------------------------------------------------------------------
WORDS = [["omar"], ["stringer"], ["marlo"], ["wire"], ["skywalker"]]


@pytest.mark.parametrize(
    "kwargs, x, expected",
    [  # Keras's own expected values (its hashing tests and docstring, computed by TensorFlow)
        ({"num_bins": 3}, [["A"], ["B"], ["C"], ["D"], ["E"]], [1, 0, 1, 1, 2]),
        ({"num_bins": 3, "mask_value": ""}, [["A"], ["B"], [""], ["C"], ["D"]], [1, 1, 0, 2, 2]),
        ({"num_bins": 3, "salt": [133, 137]}, [["A"], ["B"], ["C"], ["D"], ["E"]], [1, 2, 1, 0, 2]),
        ({"num_bins": 3, "salt": 133}, [["A"], ["B"], ["C"], ["D"], ["E"]], [0, 0, 2, 1, 0]),
        ({"num_bins": 2}, WORDS, [0, 0, 1, 0, 0]),
        ({"num_bins": 3, "mask_value": ""}, WORDS, [1, 1, 2, 1, 1]),
        ({"num_bins": 3, "mask_value": "omar"}, WORDS, [0, 1, 2, 1, 1]),
        ({"num_bins": 2, "salt": [133, 137]}, WORDS, [0, 1, 0, 1, 0]),
        ({"num_bins": 2, "salt": [211, 137]}, WORDS, [1, 0, 1, 0, 1]),
        ({"num_bins": 3}, [[0], [1], [2], [3], [4]], [1, 0, 1, 0, 2]),
        ({"num_bins": 3, "salt": [133, 137]}, [[0], [1], [2], [3], [4]], [1, 1, 2, 0, 1]),
        ({"num_bins": 1}, [["A"], ["B"]], [0, 0]),
    ],
)
def test_hashing_matches_keras(kwargs, x, expected):
    y = layers.Hashing(**kwargs)(np.array(x))
    assert y.numpy()[:, 0].tolist() == expected and y.dtype == "int64"


def test_hash_functions_match_reference_vectors():
    from neurona.layers.preprocessing._hashes import farmhash64, siphash64

    # SipHash-2-4 paper vectors: key 00..0f, messages 00..0e (15 bytes) and empty
    key0, key1 = int.from_bytes(bytes(range(8)), "little"), int.from_bytes(bytes(range(8, 16)), "little")
    assert siphash64(bytes(range(15)), key0, key1) == 0xA129CA6149BE45E5
    assert siphash64(b"", key0, key1) == 0x726FDB47DD0E0E31
    # every length branch of FarmHash runs and is deterministic
    for n in (0, 3, 5, 12, 20, 40, 64, 65, 200):
        data = bytes(range(n))
        assert farmhash64(data) == farmhash64(data) < 2**64


def test_hashing_mask_float_inputs_and_output_modes():
    # floats are truncated to integers, as in Keras: 2.7 hashes like 2
    layer = layers.Hashing(num_bins=3)
    assert layer(np.array([[2.7]])).numpy()[0, 0] == layer(np.array([[2]])).numpy()[0, 0]
    # integers hash by their decimal text, so 42 and "42" share a bin
    assert layer(np.array([[42]])).numpy()[0, 0] == layer(np.array([["42"]])).numpy()[0, 0]
    hot = layers.Hashing(num_bins=4, output_mode="multi_hot")(np.array([["a", "a"]])).numpy()
    assert hot.shape == (1, 4) and hot.sum() == 1


def test_hashing_config_and_errors():
    layer = layers.Hashing(num_bins=5, salt=[1, 2], mask_value="0", output_mode="count")
    assert layers.Hashing.from_config(layer.get_config()).get_config() == layer.get_config()
    with pytest.raises(ValueError, match="`num_bins` must be a positive integer"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="`salt`"):
        layers.Hashing(num_bins=3, salt="x")
    with pytest.raises(ValueError, match="Unknown value for `output_mode`"):
        layers.Hashing(num_bins=3, output_mode="hot")
