"""Same seed, same numbers, bit for bit: weights, dropout masks, shuffling and losses."""

import numpy as np

import neurona as nn
from neurona import layers


def train_once(seed):
    nn.utils.set_random_seed(seed)
    nn.utils.clear_session()
    rng = np.random.default_rng(0)
    x, y = rng.random((200, 6)).astype("float32"), rng.integers(0, 3, 200)
    model = nn.Sequential(
        [nn.Input(shape=(6,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3), layers.Dense(3)]
    )
    model.compile(optimizer="adam", loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True))
    initial = model.get_weights()
    history = model.fit(x, y, epochs=3, batch_size=16, validation_split=0.2, verbose=0)
    return initial, model.get_weights(), history.history


def test_same_seed_gives_bit_identical_runs():
    a, b = train_once(42), train_once(42)
    for x, y in zip(a[0] + a[1], b[0] + b[1]):
        np.testing.assert_array_equal(x, y)
    assert a[2] == b[2]


def test_another_seed_gives_other_weights():
    assert not np.array_equal(train_once(1)[0][0], train_once(2)[0][0])


def test_set_random_seed_requires_an_integer():
    import pytest

    with pytest.raises(ValueError, match="integer"):
        nn.utils.set_random_seed(1.5)


def test_float64_end_to_end(float64):
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(4, activation="tanh"), layers.Dense(1)])
    model.compile(optimizer=nn.optimizers.SGD(0.05), loss="mse")
    x = np.random.default_rng(0).random((32, 3)).astype("float32")  # float32 data is converted once
    history = model.fit(x, x.sum(axis=1), epochs=2, verbose=0)
    assert all(w.dtype == "float64" for w in model.weights)
    assert model.predict(x, verbose=0).dtype == np.float64
    assert history.history["loss"][1] < history.history["loss"][0]
