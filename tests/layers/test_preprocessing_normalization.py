"""`Normalization`: hand-worked values, adapt over batches, invert, gradients, fit, config and save/load."""

import numpy as np
import pytest

import neurona as nn
from neurona import layers
from neurona.models import load_model


def test_adapt_then_call_hand_worked():
    layer = layers.Normalization()
    # column 0: 1, 3, 5 → mean 3, variance (4 + 0 + 4)/3 = 8/3; column 1: 2, 2, 2 → mean 2, variance 0
    layer.adapt(np.array([[1.0, 2.0], [3.0, 2.0], [5.0, 2.0]]))
    mean, variance, count = layer.get_weights()
    np.testing.assert_allclose(mean, [3.0, 2.0])
    np.testing.assert_allclose(variance, [8 / 3, 0.0], rtol=1e-6)
    assert count == 0  # Keras's legacy weight, left at 0
    y = layer(np.array([[5.0, 2.5]])).numpy()
    # (5 − 3)/√(8/3) = 1.2247; (2.5 − 2)/max(√0, 1e-7) = 5e6
    np.testing.assert_allclose(y, [[2 / np.sqrt(8 / 3), 0.5 / 1e-7]], rtol=1e-5)


def test_adapt_in_batches_equals_adapt_at_once():
    x = np.random.default_rng(0).normal(size=(37, 4)) * 3 + 1
    whole, batched, generated = layers.Normalization(), layers.Normalization(), layers.Normalization()
    whole.adapt(x)
    batched.adapt(x, batch_size=5)
    generated.adapt(iter([x[:10], x[10:11], x[11:]]))
    for other in (batched, generated):
        for a, b in zip(whole.get_weights()[:2], other.get_weights()[:2]):
            np.testing.assert_allclose(a, b, rtol=1e-5)
    np.testing.assert_allclose(whole.get_weights()[0], x.mean(axis=0), rtol=1e-5)


def test_adapt_takes_lists_and_dataframes_and_steps():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": [1.0, 3.0], "b": [0.0, 4.0]})
    layer = layers.Normalization()
    layer.adapt(frame)
    np.testing.assert_allclose(layer.get_weights()[0], [2.0, 2.0])
    listed = layers.Normalization()
    listed.adapt([[1.0, 0.0], [3.0, 4.0]])
    np.testing.assert_allclose(listed.get_weights()[1], [1.0, 4.0])
    stepped = layers.Normalization()
    stepped.adapt(iter([np.array([[0.0], [2.0]]), np.array([[100.0]])]), steps=1)
    np.testing.assert_allclose(stepped.get_weights()[0], [1.0])


def test_axis_none_and_several_axes():
    x = np.arange(12, dtype="float64").reshape(2, 3, 2)
    scalar = layers.Normalization(axis=None)
    scalar.adapt(x)
    np.testing.assert_allclose(scalar.get_weights()[0], 5.5)
    both = layers.Normalization(axis=(1, 2))
    both.adapt(x)
    np.testing.assert_allclose(both.get_weights()[0], x.mean(axis=0))
    np.testing.assert_allclose(both(x).numpy(), (x - x.mean(0)) / x.std(0), rtol=1e-6)


def test_given_mean_and_variance_and_invert():
    layer = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0])
    # (3 − 1)/2 = 1, (8 − 2)/3 = 2
    np.testing.assert_allclose(layer(np.array([[3.0, 8.0]])).numpy(), [[1.0, 2.0]])
    assert layer.weights == []
    inverse = layers.Normalization(mean=[1.0, 2.0], variance=[4.0, 9.0], invert=True)
    np.testing.assert_allclose(inverse(np.array([[1.0, 2.0]])).numpy(), [[3.0, 8.0]])
    scalar = layers.Normalization(mean=2.0, variance=4.0)
    np.testing.assert_allclose(scalar(np.array([[4.0, 0.0]])).numpy(), [[1.0, -1.0]])


def test_gradient_flows_to_the_input():
    layer = layers.Normalization(mean=[1.0], variance=[4.0])
    x = nn.Variable(np.array([[3.0], [5.0]], dtype="float32"))
    with nn.GradientTape() as tape:
        y = nn.ops.sum(layer(x))
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [[0.5], [0.5]])  # d/dx (x − 1)/2


def test_first_layer_of_a_sequential_trained_with_fit():
    rng = np.random.default_rng(1)
    x = (rng.normal(size=(64, 3)) * [1, 100, 0.01] + [0, 500, 3]).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    norm = layers.Normalization()
    norm.adapt(x)
    model = nn.Sequential([nn.Input(shape=(3,)), norm, layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    before = norm.get_weights()
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    for a, b in zip(before, norm.get_weights()):
        np.testing.assert_array_equal(a, b)  # statistics are not trained
    assert len(model.non_trainable_weights) == 3


def test_adapted_model_round_trips_through_save_and_load(tmp_path):
    x = np.random.default_rng(2).normal(size=(20, 2)).astype("float32") * 5 + 3
    norm = layers.Normalization()
    norm.adapt(x)
    model = nn.Sequential([nn.Input(shape=(2,)), norm, layers.Dense(2)])
    model.save(tmp_path / "norm.keras")
    loaded = load_model(tmp_path / "norm.keras")
    for a, b in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(model.predict(x, verbose=0), loaded.predict(x, verbose=0))
    np.testing.assert_allclose(loaded.layers[0].get_weights()[0], x.mean(axis=0), rtol=1e-5)


def test_config_round_trip():
    layer = layers.Normalization(axis=(1, 2), invert=True)
    config = layer.get_config()
    assert config["axis"] == [1, 2] and config["invert"] is True and config["mean"] is None
    assert layers.Normalization.from_config(config).get_config() == config
    given = layers.Normalization(mean=[1.0, 2.0], variance=[3.0, 4.0])
    assert layers.Normalization.from_config(given.get_config()).get_config() == given.get_config()


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mean": [1.0]}, "both `mean` and `variance`"),
        ({"mean": [1.0, 2.0], "variance": [1.0]}, "same shape"),
        ({"axis": "x"}, "`axis` must be"),
        ({"axis": None, "mean": [1.0], "variance": [1.0]}, "rank of `mean`"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        layers.Normalization(**kwargs)


def test_bad_adapt_data():
    layer = layers.Normalization()
    layer.adapt(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="incompatible shape"):
        layer.adapt(np.zeros((3, 4)))
    with pytest.raises(ValueError, match="adapt"):
        layers.Normalization(mean=1.0, variance=1.0).adapt(np.zeros((2, 1)))
    with pytest.raises(ValueError, match="out of|range"):
        layers.Normalization(axis=3).adapt(np.zeros((2, 2)))
