"""Keras 3 (JAX backend) as the oracle for the preprocessing layers: the same adapt data gives the same
statistics / boundaries and the same outputs. (Keras 3's StringLookup, IntegerLookup and Hashing need
TensorFlow, so they are checked by hand-worked values in test_preprocessing_lookup.py instead.)"""

import os

import numpy as np
import pytest

import neurona

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
pytest.importorskip("jax")
pytestmark = [pytest.mark.keras, pytest.mark.filterwarnings("ignore::DeprecationWarning")]

if keras.backend.backend() != "jax":
    pytest.skip("the Keras oracle runs on the JAX backend", allow_module_level=True)

RNG = np.random.default_rng(0)
X = (RNG.normal(size=(50, 3)) * [1.0, 10.0, 0.0] + [0.0, 5.0, 2.0]).astype("float32")  # column 2: σ = 0


@pytest.mark.parametrize("kwargs", [{}, {"axis": None}, {"invert": True}, {"axis": (1, 2)}])
def test_normalization_adapt_matches_keras(kwargs):
    data = X if "axis" not in kwargs or kwargs["axis"] is None else X.reshape(10, 5, 3)
    theirs, ours = keras.layers.Normalization(**kwargs), neurona.layers.Normalization(**kwargs)
    theirs.adapt(data)
    ours.adapt(data)
    for a, b in zip(theirs.get_weights(), ours.get_weights()):
        np.testing.assert_allclose(np.asarray(a), b, rtol=1e-5, atol=1e-6)
    # σ = 0 divides by Keras's floor 1e-7, so outputs reach ±1e7: compare relatively
    np.testing.assert_allclose(np.asarray(theirs(data)), ours(data).numpy(), rtol=1e-5, atol=1e-5)


def test_normalization_adapt_over_batches_matches_keras():
    # (Keras's adapt over an iterable of batches needs TensorFlow; its whole-array statistics are the target)
    batches = [X[:7], X[7:30], X[30:]]
    theirs, ours = keras.layers.Normalization(), neurona.layers.Normalization()
    theirs.adapt(X)
    ours.adapt(iter(batches))
    for a, b in zip(theirs.get_weights()[:2], ours.get_weights()[:2]):
        np.testing.assert_allclose(np.asarray(a), b, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("invert", [False, True])
def test_normalization_given_statistics_match_keras(invert):
    kwargs = {"mean": [1.0, 2.0, 3.0], "variance": [1.0, 4.0, 0.0], "invert": invert}
    theirs, ours = keras.layers.Normalization(**kwargs), neurona.layers.Normalization(**kwargs)
    np.testing.assert_allclose(np.asarray(theirs(X[:5])), ours(X[:5]).numpy(), rtol=1e-6)
    expected = {k: v for k, v in theirs.get_config().items() if k in ("invert", "mean", "variance")}
    assert {k: ours.get_config()[k] for k in expected} == expected
    assert list(theirs.get_config()["axis"]) == ours.get_config()["axis"]


@pytest.mark.parametrize("mode", ["one_hot", "multi_hot", "count"])
@pytest.mark.parametrize("x", [[1, 2, 2], [[1], [2]], [[1, 2, 2], [0, 0, 3]]], ids=["rank1", "col", "rank2"])
def test_category_encoding_matches_keras(mode, x):
    x = np.array(x)
    theirs = keras.layers.CategoryEncoding(num_tokens=4, output_mode=mode)
    ours = neurona.layers.CategoryEncoding(num_tokens=4, output_mode=mode)
    np.testing.assert_array_equal(np.asarray(theirs(x)), ours(x).numpy())
    assert tuple(theirs.compute_output_shape(x.shape)) == ours.compute_output_shape(x.shape)
    config = {k: v for k, v in theirs.get_config().items() if k in ("num_tokens", "output_mode")}
    assert {k: ours.get_config()[k] for k in config} == config


@pytest.mark.parametrize("mode", ["int", "one_hot", "multi_hot", "count"])
def test_discretization_call_matches_keras(mode):
    data = np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]], dtype="float32")
    theirs = keras.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode=mode)
    ours = neurona.layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode=mode)
    expected = np.asarray(theirs(data))
    np.testing.assert_array_equal(expected, ours(data).numpy())
    assert expected.dtype == ours(data).numpy().dtype


def _keras_boundaries(batches, num_bins, epsilon):
    """Keras's adapt() without TensorFlow: its own summary functions, batch by batch."""
    from keras.src.layers.preprocessing import discretization as k

    summary = np.array([[], []], dtype="float32")
    for batch in batches:
        summary = k.merge_summaries(
            k.summarize(np.asarray(batch, dtype="float32"), epsilon), summary, epsilon
        )
    return k.get_bin_boundaries(summary, num_bins).tolist()


@pytest.mark.parametrize("num_bins, epsilon", [(4, 0.01), (7, 0.05), (3, 0.001), (10, 0.01)])
def test_discretization_adapt_matches_keras(num_bins, epsilon):
    data = RNG.exponential(size=1000).astype("float32")
    ours = neurona.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    ours.adapt(data)
    assert ours.bin_boundaries == _keras_boundaries([data], num_bins, epsilon)
    batched = neurona.layers.Discretization(num_bins=num_bins, epsilon=epsilon)
    batched.adapt(data, batch_size=300)
    assert batched.bin_boundaries == _keras_boundaries(
        [data[i : i + 300] for i in range(0, 1000, 300)], num_bins, epsilon
    )
    theirs = keras.layers.Discretization(bin_boundaries=ours.bin_boundaries)
    np.testing.assert_array_equal(np.asarray(theirs(data)), ours(data).numpy())
