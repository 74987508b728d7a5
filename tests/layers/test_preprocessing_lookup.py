"""`StringLookup` and `IntegerLookup`: Keras's index layout, adapt ordering, invert, output modes, the
vocabulary in the config (and in saved models), and errors."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers
from neurona.models import load_model


def test_string_lookup_index_layout():
    layer = layers.StringLookup(vocabulary=["a", "b", "c"])
    # index 0 is the OOV index, then a=1, b=2, c=3; "d" is out of vocabulary
    y = layer(np.array([["a", "c"], ["d", "b"]]))
    assert y.numpy().tolist() == [[1, 3], [0, 2]] and y.dtype == "int64"
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"] and layer.vocabulary_size() == 4
    masked = layers.StringLookup(vocabulary=["a", "b"], mask_token="")
    # mask at 0, OOV at 1, a=2, b=3
    assert masked(np.array(["", "a", "zz", "b"])).numpy().tolist() == [0, 2, 1, 3]
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b"]
    assert layers.StringLookup(vocabulary=np.array([b"x", b"y"]))(np.array([b"y"])).numpy().tolist() == [2]


def test_adapt_orders_by_count_then_reverse_token_order():
    layer = layers.StringLookup()
    # counts: b 2, a 2, c 1, d 1 → ties broken in decreasing token order (as Keras's lexsort reversed)
    layer.adapt(np.array(["b", "a", "c", "a", "b", "d"]))
    assert layer.get_vocabulary() == ["[UNK]", "b", "a", "d", "c"]
    capped = layers.StringLookup(max_tokens=3, mask_token="")
    capped.adapt([["x", "", "y", "x", "z", "", ""]])  # the mask token is never learned
    assert capped.get_vocabulary() == ["", "[UNK]", "x"]
    ints = layers.IntegerLookup()
    ints.adapt(np.array([[3, 3, 7], [1, 7, 5]]))
    assert ints.get_vocabulary() == [-1, 7, 3, 5, 1]


def test_output_modes():
    vocab = ["a", "b", "c"]
    x = np.array([["a", "b", "a"], ["c", "z", "z"]])
    multi = layers.StringLookup(vocabulary=vocab, output_mode="multi_hot")(x).numpy()
    assert multi.tolist() == [[0, 1, 1, 0], [1, 0, 0, 1]]  # columns: [UNK], a, b, c
    count = layers.StringLookup(vocabulary=vocab, output_mode="count")(x).numpy()
    assert count.tolist() == [[0, 2, 1, 0], [2, 0, 0, 1]]
    one = layers.StringLookup(vocabulary=vocab, output_mode="one_hot")(np.array(["b", "q"])).numpy()
    assert one.tolist() == [[0, 0, 1, 0], [1, 0, 0, 0]]
    # in the encoded modes the mask token takes no index and encodes as nothing
    masked = layers.StringLookup(vocabulary=vocab, mask_token="", output_mode="multi_hot")
    assert masked(np.array([["", "c"]])).numpy().tolist() == [[0, 0, 0, 1]]
    padded = layers.IntegerLookup(
        vocabulary=[5, 6], max_tokens=6, pad_to_max_tokens=True, output_mode="count"
    )
    assert padded(np.array([[5, 5, 9]])).numpy().tolist() == [[1, 2, 0, 0, 0, 0]]


def test_integer_lookup_and_oov_buckets():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    assert layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy().tolist() == [[1, 3, 4], [4, 0, 2]]
    # float inputs holding whole numbers (as a model casts them) work too
    assert layer(np.array([[12.0, 36.0]], dtype="float32")).numpy().tolist() == [[1, 2]]
    two = layers.IntegerLookup(vocabulary=[10], num_oov_indices=2)
    # OOV x → x mod 2: 7 → 1, 8 → 0; the vocabulary starts after the 2 OOV indices
    assert two(np.array([7, 8, 10])).numpy().tolist() == [1, 0, 2]
    strings = layers.StringLookup(vocabulary=["a"], num_oov_indices=3)
    buckets = strings(np.array(["p", "q", "r", "p", "a"])).numpy()
    assert buckets[0] == buckets[3] and set(buckets[:4].tolist()) <= {0, 1, 2} and buckets[4] == 3
    # string OOV buckets are Keras's: FarmHash Fingerprint64 of the token mod num_oov_indices
    from neurona.layers.preprocessing._hashes import farmhash64

    assert buckets[:3].tolist() == [farmhash64(t.encode()) % 3 for t in "pqr"]


def test_invert():
    inverse = layers.StringLookup(vocabulary=["a", "b"], invert=True)
    assert inverse(np.array([[1, 2, 0, 9]])).numpy().tolist() == [["a", "b", "[UNK]", "[UNK]"]]
    forward = layers.StringLookup(vocabulary=["a", "b"])
    restored = layers.StringLookup(vocabulary=forward.get_vocabulary(), invert=True)
    x = np.array(["b", "a", "b"])
    assert restored(forward(x)).numpy().tolist() == ["b", "a", "b"]
    ints = layers.IntegerLookup(vocabulary=[7, 9], mask_token=0, invert=True)
    assert ints(np.array([0, 1, 2, 3])).numpy().tolist() == [0, -1, 7, 9]


def test_vocabulary_travels_in_the_config_and_the_model_file(tmp_path):
    layer = layers.StringLookup(mask_token="", output_mode="multi_hot")
    layer.adapt(np.array(["red", "blue", "red", "green"]))
    config = layer.get_config()
    assert config["vocabulary"] == ["red", "green", "blue"]
    clone = layers.StringLookup.from_config(config)
    x = np.array([["blue", "red"], ["pink", ""]])
    np.testing.assert_array_equal(clone(x).numpy(), layer(x).numpy())
    assert clone.get_config() == config
    model = nn.Sequential([nn.Input(shape=(2,)), layer, layers.Dense(1)])
    model.save(tmp_path / "lookup.keras")
    loaded = load_model(tmp_path / "lookup.keras")
    assert loaded.layers[0].get_vocabulary() == layer.get_vocabulary()
    encoded = layer(x)  # strings go through the lookup layer first, then the model on numbers
    np.testing.assert_array_equal(loaded.layers[1](encoded).numpy(), model.layers[1](encoded).numpy())


def test_integer_lookup_in_a_saved_model_predicts_the_same(tmp_path):
    lookup = layers.IntegerLookup(output_mode="one_hot")
    lookup.adapt(np.array([100, 200, 200, 300]))
    model = nn.Sequential([nn.Input(shape=(1,)), lookup, layers.Dense(2)])
    x = np.array([[100], [300], [999]], dtype="float32")
    model.save(tmp_path / "ints.keras")
    np.testing.assert_array_equal(
        model.predict(x, verbose=0), load_model(tmp_path / "ints.keras").predict(x, verbose=0)
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"output_mode": "bogus"}, "Unknown value for `output_mode`"),
        ({"output_mode": "tf_idf"}, "tf_idf"),
        ({"max_tokens": 1}, "`max_tokens`"),
        ({"num_oov_indices": -1}, "`num_oov_indices`"),
        ({"invert": True, "output_mode": "count"}, "invert"),
        ({"pad_to_max_tokens": True}, "pad_to_max_tokens"),
        ({"vocabulary": ["a", "a"]}, "repeated"),
        ({"vocabulary": ["a", ""], "mask_token": ""}, "mask token"),
        ({"vocabulary": ["a", "b", "c"], "max_tokens": 3}, "max_tokens"),
        ({"sparse": True}, "sparse"),
    ],
)
def test_string_lookup_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.StringLookup(**kwargs)


def test_call_errors():
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["b"]))
    with pytest.raises(TypeError, match="takes strings"):
        layers.StringLookup(vocabulary=["a"])(np.array([1.5]))
    with pytest.raises(ValueError, match="non-integer"):
        layers.IntegerLookup(vocabulary=[1])(np.array([1.5]))
    with pytest.raises(ValueError, match="vocabulary_dtype"):
        layers.IntegerLookup(vocabulary_dtype="string")


def test_other_layers_still_reject_strings():
    with pytest.raises(TypeError, match="takes numbers"):
        layers.Dense(2)(np.array([["a"]]))
