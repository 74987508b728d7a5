"""`losses.get`, `serialize` and `deserialize` (`neurona/losses/__init__.py`): every name and alias Keras
accepts (keras/src/losses/__init__.py: ALL_OBJECTS_DICT), plus tf.keras 2's `logcosh` and
`kullback_leibler_divergence`."""

import numpy as np
import pytest

import neurona
from neurona import losses


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def assert_almost(actual, expected, decimal=3):
    np.testing.assert_almost_equal(_np(actual), expected, decimal=decimal)


MSE_TRUE = np.array([[1, 9, 2], [-5, -2, 6]], dtype="float32")
MSE_PRED = np.array([[4, 8, 12], [8, 1, 3]], dtype="float32")

FUNCTION_NAMES = {
    "mean_squared_error": losses.mean_squared_error,
    "mean_absolute_error": losses.mean_absolute_error,
    "mean_absolute_percentage_error": losses.mean_absolute_percentage_error,
    "mean_squared_logarithmic_error": losses.mean_squared_logarithmic_error,
    "huber": losses.huber,
    "log_cosh": losses.log_cosh,
    "cosine_similarity": losses.cosine_similarity,
    "binary_crossentropy": losses.binary_crossentropy,
    "binary_focal_crossentropy": losses.binary_focal_crossentropy,
    "categorical_crossentropy": losses.categorical_crossentropy,
    "categorical_focal_crossentropy": losses.categorical_focal_crossentropy,
    "sparse_categorical_crossentropy": losses.sparse_categorical_crossentropy,
    "kl_divergence": losses.kl_divergence,
    "poisson": losses.poisson,
    "hinge": losses.hinge,
    "squared_hinge": losses.squared_hinge,
    "categorical_hinge": losses.categorical_hinge,
}
ALIASES = {
    "mse": losses.mean_squared_error,
    "MSE": losses.mean_squared_error,
    "mae": losses.mean_absolute_error,
    "MAE": losses.mean_absolute_error,
    "mape": losses.mean_absolute_percentage_error,
    "MAPE": losses.mean_absolute_percentage_error,
    "msle": losses.mean_squared_logarithmic_error,
    "MSLE": losses.mean_squared_logarithmic_error,
    "bce": losses.binary_crossentropy,
    "BCE": losses.binary_crossentropy,
    "kld": losses.kl_divergence,
    "KLD": losses.kl_divergence,
    "kullback_leibler_divergence": losses.kl_divergence,
    "logcosh": losses.log_cosh,
}
CLASS_NAMES = [
    "MeanSquaredError",
    "MeanAbsoluteError",
    "MeanAbsolutePercentageError",
    "MeanSquaredLogarithmicError",
    "Huber",
    "LogCosh",
    "CosineSimilarity",
    "BinaryCrossentropy",
    "BinaryFocalCrossentropy",
    "CategoricalCrossentropy",
    "CategoricalFocalCrossentropy",
    "SparseCategoricalCrossentropy",
    "KLDivergence",
    "Poisson",
    "Hinge",
    "SquaredHinge",
    "CategoricalHinge",
]


@pytest.mark.parametrize("name", sorted(FUNCTION_NAMES) + sorted(ALIASES))
def test_get_every_function_name_and_alias(name):
    expected = {**FUNCTION_NAMES, **ALIASES}[name]
    assert losses.get(name) is expected
    assert getattr(losses, name) is expected  # also a module attribute, as `keras.losses.mse` was
    assert name in losses.__all__


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_get_every_class_name_gives_a_default_instance(name):
    loss = losses.get(name)
    assert type(loss) is getattr(losses, name)
    assert loss.reduction == "sum_over_batch_size"
    assert name in losses.__all__


@pytest.mark.parametrize("name", CLASS_NAMES)
def test_serialize_deserialize_round_trip(name):
    loss = losses.get(name)
    config = losses.serialize(loss)
    assert config["class_name"] == name
    again = losses.deserialize(config)
    assert type(again) is type(loss) and again.get_config() == loss.get_config()


def test_serialize_function_gives_its_name():
    assert losses.serialize(losses.huber) == "huber"
    assert losses.deserialize("huber") is losses.huber


def test_get_passes_through_instances_callables_and_none():
    loss = losses.Huber(delta=2.0)
    assert losses.get(loss) is loss
    assert losses.get(None) is None
    custom = lambda y_true, y_pred: y_pred  # noqa: E731
    assert losses.get(custom) is custom


def test_get_config_dict():
    loss = losses.get({"class_name": "Huber", "config": {"delta": 0.5, "name": "h", "reduction": "sum"}})
    assert (loss.delta, loss.name, loss.reduction) == (0.5, "h", "sum")


def test_get_bad_identifiers():
    with pytest.raises(ValueError, match="Unknown loss config"):
        losses.get({"class_name": "NoSuchLoss"})
    with pytest.raises(TypeError, match="Could not interpret loss identifier"):
        losses.get(42)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        losses.get("LossFunctionWrapper")  # needs a function: not a name to compile with


def test_get_function_names_and_aliases():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("mean_squared_error") is losses.mean_squared_error
    assert losses.get("mae") is losses.mean_absolute_error
    assert losses.get("bce") is losses.binary_crossentropy
    assert losses.get("BCE") is losses.binary_crossentropy


def test_get_class_name_gives_instance():
    loss = losses.get("MeanSquaredError")
    assert isinstance(loss, losses.MeanSquaredError)
    assert_almost(loss(MSE_TRUE, MSE_PRED), 49.5)


def test_get_unknown_lists_valid_names():
    with pytest.raises(ValueError) as info:
        losses.get("mean_sqared_error")
    message = str(info.value)
    assert "mean_sqared_error" in message
    for name in ("mean_squared_error", "binary_crossentropy", "mse"):
        assert name in message


@pytest.mark.parametrize("name", sorted(FUNCTION_NAMES) + sorted(ALIASES) + CLASS_NAMES)
def test_every_loss_string_compiles_and_trains(name):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 4)).astype("float32")
    sparse = name in ("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
    y = rng.integers(0, 3, size=8) if sparse else np.eye(3, dtype="float32")[rng.integers(0, 3, size=8)]
    model = neurona.Sequential([neurona.Input(shape=(4,)), neurona.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss=name)
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert np.isfinite(before) and np.isfinite(after) and after != before
