"""End to end: the classification metrics by string and by object in `compile`, logged by `fit`
(train and `val_` keys), `evaluate` and `weighted_metrics`."""

import numpy as np
import pytest

import neurona
from neurona import metrics


def binary_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5, 1.5]) > 0).astype("float32").reshape(-1, 1)
    return x, y


def binary_model():
    neurona.utils.set_random_seed(0)
    model = neurona.Sequential([neurona.Input(shape=(4,)), neurona.layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer="adam",
        loss="binary_crossentropy",
        metrics=["accuracy", "auc", "precision", "recall", metrics.F1Score(threshold=0.5, average="micro")],
    )
    return model


def test_fit_logs_metric_strings_and_objects():
    x, y = binary_data()
    model = binary_model()
    history = model.fit(x, y, epochs=3, batch_size=32, validation_split=0.25, verbose=0)
    keys = ["loss", "accuracy", "auc", "precision", "recall", "f1_score"]
    assert set(history.history) == set(keys) | {f"val_{key}" for key in keys}
    for key in keys:
        values = history.history[key] + history.history[f"val_{key}"]
        assert len(values) == 6
        assert all(np.isfinite(v) for v in values)
    for key in ("auc", "precision", "recall", "f1_score", "accuracy"):
        assert 0.0 <= history.history[key][-1] <= 1.0
    # the val_ values of the last epoch are the metrics of the final weights on the held-out last quarter
    x_val, y_val = x[192:], y[192:]
    scores = model.predict(x_val, verbose=0)
    assert history.history["val_auc"][-1] == pytest.approx(metrics.AUC()(y_val, scores))
    assert history.history["val_recall"][-1] == pytest.approx(metrics.Recall()(y_val, scores))


def test_evaluate_matches_the_metric_objects_on_predictions():
    x, y = binary_data()
    model = binary_model()
    model.fit(x, y, epochs=2, batch_size=32, verbose=0)
    logs = model.evaluate(x, y, batch_size=64, verbose=0, return_dict=True)
    scores = model.predict(x, verbose=0)
    # metrics accumulate over batches, so evaluating in batches equals one pass over all predictions
    assert logs["auc"] == pytest.approx(metrics.AUC()(y, scores))
    assert logs["precision"] == pytest.approx(metrics.Precision()(y, scores))
    assert logs["recall"] == pytest.approx(metrics.Recall()(y, scores))
    assert logs["f1_score"] == pytest.approx(metrics.F1Score(threshold=0.5, average="micro")(y, scores))
    assert logs["accuracy"] == pytest.approx(metrics.BinaryAccuracy()(y, scores))


def test_string_log_key_is_the_string_passed():
    x, y = binary_data(64)
    model = neurona.Sequential([neurona.Input(shape=(4,)), neurona.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="bce", metrics=["AUC", "mse", "TruePositives"])
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert {"AUC", "mse", "TruePositives"} <= set(logs)


def test_weighted_metrics_use_sample_weight():
    # weights 0 on every negative: weighted precision counts only positives → no false positives → 1.0
    # (or 0.0 if nothing is predicted positive); the unweighted one sees the negatives too
    x, y = binary_data(128)
    model = neurona.Sequential([neurona.Input(shape=(4,)), neurona.layers.Dense(1, activation="sigmoid")])
    model.compile(
        optimizer="adam", loss="binary_crossentropy", metrics=["auc"], weighted_metrics=["precision"]
    )
    weights = y[:, 0].copy()
    logs = model.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True)
    scores = model.predict(x, verbose=0)
    assert logs["precision"] == pytest.approx(metrics.Precision()(y, scores, sample_weight=weights))
    assert logs["precision"] in (0.0, 1.0)


def test_compile_rejects_unknown_metric_names():
    model = neurona.Sequential([neurona.Input(shape=(4,)), neurona.layers.Dense(1)])
    with pytest.raises(ValueError, match="Valid names are"):
        model.compile(optimizer="adam", loss="mse", metrics=["rmse"])
