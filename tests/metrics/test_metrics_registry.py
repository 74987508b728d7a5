"""`metrics.get` for every class name, snake_case name and Keras alias (keras-api.md §5), `direction`,
default names, config round trips for every class, and `serialize` / `deserialize`."""

import json

import numpy as np
import pytest

from neurona import metrics
from neurona.utils.naming import to_snake_case

UP = {
    "Accuracy", "BinaryAccuracy", "CategoricalAccuracy", "SparseCategoricalAccuracy", "TopKCategoricalAccuracy",
    "SparseTopKCategoricalAccuracy", "AUC", "Precision", "Recall", "F1Score", "FBetaScore", "R2Score",
    "CosineSimilarity", "TruePositives", "TrueNegatives",
}  # fmt: skip
NEITHER = {"Mean", "Sum"}

ALIASES = {
    "mse": metrics.MeanSquaredError,
    "MSE": metrics.MeanSquaredError,
    "mae": metrics.MeanAbsoluteError,
    "MAE": metrics.MeanAbsoluteError,
    "mape": metrics.MeanAbsolutePercentageError,
    "MAPE": metrics.MeanAbsolutePercentageError,
    "msle": metrics.MeanSquaredLogarithmicError,
    "MSLE": metrics.MeanSquaredLogarithmicError,
    "bce": metrics.BinaryCrossentropy,
    "BCE": metrics.BinaryCrossentropy,
    "acc": metrics.Accuracy,
}

# The strings keras-api.md §5 lists that neurona implements (the IoU and correlation families and the
# X-at-Y metrics are not implemented yet).
KERAS_STRINGS = (
    "mean sum mean_squared_error root_mean_squared_error mean_absolute_error mean_absolute_percentage_error "
    "mean_squared_logarithmic_error cosine_similarity log_cosh_error r2_score auc false_negatives "
    "false_positives precision recall true_negatives true_positives hinge squared_hinge categorical_hinge "
    "kl_divergence poisson binary_crossentropy categorical_crossentropy sparse_categorical_crossentropy "
    "accuracy binary_accuracy categorical_accuracy sparse_categorical_accuracy top_k_categorical_accuracy "
    "sparse_top_k_categorical_accuracy f1_score f_beta_score"
).split()


@pytest.mark.parametrize("cls", metrics.ALL_OBJECTS, ids=lambda c: c.__name__)
def test_get_class_name_and_snake_case(cls):
    by_class_name = metrics.get(cls.__name__)
    assert type(by_class_name) is cls
    snake = to_snake_case(cls.__name__)
    by_snake = metrics.get(snake)
    assert type(by_snake) is cls
    assert by_snake.name == snake  # the log key is the string that was passed


@pytest.mark.parametrize("name", KERAS_STRINGS)
def test_every_keras_string_resolves(name):
    assert isinstance(metrics.get(name), metrics.Metric)


@pytest.mark.parametrize("alias,cls", ALIASES.items())
def test_aliases(alias, cls):
    metric = metrics.get(alias)
    assert type(metric) is cls and metric.name == alias


def test_no_invented_aliases():
    # Keras has no "rmse", "kld", "r2", "f1" metric strings
    for name in ("rmse", "kld", "r2", "f1"):
        with pytest.raises(ValueError, match="Valid names are"):
            metrics.get(name)


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError) as info:
        metrics.get("aucc")
    message = str(info.value)
    assert "'aucc'" in message and "'auc'" in message and "'f1_score'" in message


def test_get_passes_objects_through_and_wraps_functions():
    m = metrics.AUC()
    assert metrics.get(m) is m
    assert metrics.get(None) is None
    assert type(metrics.get(metrics.Recall)) is metrics.Recall

    def half(y_true, y_pred):
        return np.full(len(y_true), 0.5)

    wrapped = metrics.get(half)
    assert isinstance(wrapped, metrics.MeanMetricWrapper) and wrapped.name == "half"
    assert wrapped([1, 2], [3, 4]) == 0.5
    with pytest.raises(TypeError, match="Could not interpret metric identifier"):
        metrics.get(3)


@pytest.mark.parametrize("cls", metrics.ALL_OBJECTS, ids=lambda c: c.__name__)
def test_direction(cls):
    metric = cls()
    if cls.__name__ in NEITHER:
        return
    expected = "up" if cls.__name__ in UP else "down"
    assert metric.direction == expected


@pytest.mark.parametrize("cls", metrics.ALL_OBJECTS, ids=lambda c: c.__name__)
def test_default_name_and_config_round_trip(cls):
    metric = cls()
    config = metric.get_config()
    assert config["name"] == metric.name and config["dtype"] == "float32"
    assert config == json.loads(json.dumps(config))
    restored = cls.from_config(config)
    assert type(restored) is cls
    assert restored.get_config() == config


@pytest.mark.parametrize("cls", metrics.ALL_OBJECTS, ids=lambda c: c.__name__)
def test_serialize_deserialize(cls):
    metric = cls(name="custom_name")
    data = metrics.serialize(metric)
    assert data == {"class_name": cls.__name__, "config": metric.get_config()}
    restored = metrics.deserialize(json.loads(json.dumps(data)))
    assert type(restored) is cls and restored.name == "custom_name"
    assert type(metrics.get(data)) is cls


def test_serialize_functions_and_configured_objects():
    assert metrics.serialize(metrics.mean_squared_error) == "mean_squared_error"
    assert metrics.deserialize("mean_squared_error") is metrics.mean_squared_error
    auc = metrics.deserialize(metrics.serialize(metrics.AUC(num_thresholds=50, curve="PR")))
    assert (auc.num_thresholds, auc.curve) == (50, "PR")
    with pytest.raises(TypeError, match="Cannot serialize the metric"):
        metrics.serialize(lambda y_true, y_pred: y_true)
    with pytest.raises(ValueError, match="Unknown metric"):
        metrics.deserialize({"class_name": "NoSuchMetric", "config": {}})


def test_deserialize_custom_objects():
    class Custom(metrics.Mean):
        pass

    restored = metrics.deserialize(
        {"class_name": "Custom", "config": {"name": "c"}}, custom_objects={"Custom": Custom}
    )
    assert type(restored) is Custom and restored.name == "c"


@pytest.mark.parametrize("cls", metrics.ALL_OBJECTS, ids=lambda c: c.__name__)
def test_empty_result_is_zero(cls):
    assert np.all(cls().result() == 0.0)
