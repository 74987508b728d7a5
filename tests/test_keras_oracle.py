"""Keras itself as the oracle (tier 4): the same hyper-parameters, gradients and data give the same
numbers in Keras 3 (JAX backend) and neurona. Runs where Keras and JAX are installed
(`pip install "neurona[keras-oracle]"`), skipped elsewhere; the fixed goldens of golden-values.md are
tested without Keras in tests/optimizers, tests/losses and tests/metrics."""

import os

import numpy as np
import pytest

import neurona

os.environ.setdefault("KERAS_BACKEND", "jax")
keras = pytest.importorskip("keras")
pytest.importorskip("jax")
pytestmark = [
    pytest.mark.keras,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]  # from Keras internals

if keras.backend.backend() != "jax":
    pytest.skip("the Keras oracle runs on the JAX backend", allow_module_level=True)

OPTIMIZERS = [
    ("SGD", {"learning_rate": 0.1}),
    ("SGD", {"learning_rate": 0.05, "momentum": 0.9, "nesterov": True, "clipnorm": 0.5}),
    ("RMSprop", {"learning_rate": 0.01, "momentum": 0.5, "centered": True}),
    ("Adam", {"learning_rate": 0.01, "amsgrad": True, "weight_decay": 0.01}),
    ("AdamW", {"learning_rate": 0.01, "global_clipnorm": 1.0}),
    ("Adadelta", {"learning_rate": 1.0, "rho": 0.9}),
    ("Adagrad", {"learning_rate": 0.1, "clipvalue": 0.3}),
    ("Adamax", {"learning_rate": 0.02}),
    ("Nadam", {"learning_rate": 0.02}),
    (
        "Ftrl",
        {
            "learning_rate": 0.1,
            "l1_regularization_strength": 0.01,
            "l2_regularization_strength": 0.02,
            "l2_shrinkage_regularization_strength": 0.01,
            "beta": 0.1,
        },
    ),
    ("Lion", {"learning_rate": 0.01}),
    ("Adam", {"learning_rate": 0.01, "use_ema": True, "ema_momentum": 0.9, "ema_overwrite_frequency": 3}),
    ("SGD", {"learning_rate": 0.1, "gradient_accumulation_steps": 3}),
]


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(OPTIMIZERS)])
def test_optimizer_trajectories_match_keras(name, kwargs):
    rng = np.random.default_rng(0)
    start = rng.normal(size=(4, 3)).astype("float32")
    grads = [rng.normal(size=(4, 3)).astype("float32") for _ in range(12)]
    theirs = keras.Variable(start.copy())
    ours = neurona.Variable(start.copy())
    keras_opt = getattr(keras.optimizers, name)(**kwargs)
    our_opt = getattr(neurona.optimizers, name)(**kwargs)
    for g in grads:
        keras_opt.apply_gradients([(keras.ops.convert_to_tensor(g), theirs)])
        our_opt.apply_gradients([(g, ours)])
        np.testing.assert_allclose(ours.numpy(), np.asarray(theirs), rtol=2e-5, atol=2e-6)
    assert int(our_opt.iterations) == int(keras_opt.iterations)


SCHEDULES = [
    (
        "ExponentialDecay",
        {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.6, "staircase": True},
    ),
    ("PiecewiseConstantDecay", {"boundaries": [3, 9], "values": [1.0, 0.5, 0.1]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20, "power": 2.0, "cycle": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 5, "decay_rate": 0.5}),
    (
        "CosineDecay",
        {
            "initial_learning_rate": 0.0,
            "decay_steps": 30,
            "alpha": 0.1,
            "warmup_target": 0.2,
            "warmup_steps": 5,
        },
    ),
    (
        "CosineDecayRestarts",
        {"initial_learning_rate": 0.1, "first_decay_steps": 4, "t_mul": 2.0, "m_mul": 0.7},
    ),
]


@pytest.mark.parametrize("name, kwargs", SCHEDULES, ids=[n for n, _ in SCHEDULES])
def test_schedules_match_keras(name, kwargs):
    theirs = getattr(keras.optimizers.schedules, name)(**kwargs)
    ours = getattr(neurona.optimizers.schedules, name)(**kwargs)
    for step in range(0, 60, 3):
        assert ours(step) == pytest.approx(float(theirs(step)), rel=1e-5, abs=1e-7)


def _probabilities(rng, shape):
    p = rng.random(shape).astype("float32") + 0.05
    return p / p.sum(axis=-1, keepdims=True)


LOSSES = [
    ("MeanSquaredError", {}, "regression"),
    ("MeanAbsoluteError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("MeanSquaredLogarithmicError", {}, "positive"),
    ("Huber", {"delta": 0.7}, "regression"),
    ("LogCosh", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("BinaryCrossentropy", {"label_smoothing": 0.1}, "binary"),
    ("BinaryCrossentropy", {"from_logits": True}, "binary_logits"),
    ("BinaryFocalCrossentropy", {"apply_class_balancing": True}, "binary"),
    ("BinaryFocalCrossentropy", {"from_logits": True, "gamma": 1.5}, "binary_logits"),
    ("CategoricalCrossentropy", {"label_smoothing": 0.2}, "categorical"),
    ("CategoricalCrossentropy", {"from_logits": True}, "categorical_logits"),
    ("CategoricalFocalCrossentropy", {}, "categorical"),
    ("SparseCategoricalCrossentropy", {}, "sparse"),
    ("SparseCategoricalCrossentropy", {"from_logits": True}, "sparse_logits"),
    ("KLDivergence", {}, "distributions"),
    ("Poisson", {}, "positive"),
    ("Hinge", {}, "binary_logits"),
    ("SquaredHinge", {}, "binary_logits"),
    ("CategoricalHinge", {}, "categorical_logits"),
]


def loss_data(kind, rng):
    if kind == "regression":
        return rng.normal(size=(8, 3)).astype("float32"), rng.normal(size=(8, 3)).astype("float32")
    if kind == "positive":
        return rng.random((8, 3)).astype("float32") * 3, rng.random((8, 3)).astype("float32") * 3 + 0.1
    if kind.startswith("binary"):
        y = rng.integers(0, 2, (8, 3)).astype("float32")
        return y, (rng.normal(size=(8, 3)) * 3 if kind.endswith("logits") else rng.random((8, 3))).astype(
            "float32"
        )
    if kind.startswith("categorical"):
        y = np.eye(4, dtype="float32")[rng.integers(0, 4, 8)]
        pred = (
            rng.normal(size=(8, 4)).astype("float32") * 2
            if kind.endswith("logits")
            else _probabilities(rng, (8, 4))
        )
        return y, pred
    if kind.startswith("sparse"):
        y = rng.integers(0, 4, 8)
        pred = (
            rng.normal(size=(8, 4)).astype("float32") * 2
            if kind.endswith("logits")
            else _probabilities(rng, (8, 4))
        )
        return y, pred
    return _probabilities(rng, (8, 4)), _probabilities(rng, (8, 4))


@pytest.mark.parametrize("name, kwargs, kind", LOSSES, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(LOSSES)])
def test_losses_match_keras(name, kwargs, kind):
    rng = np.random.default_rng(3)
    y_true, y_pred = loss_data(kind, rng)
    weights = rng.random(8).astype("float32")
    for reduction in ("sum_over_batch_size", "sum", None):
        theirs = getattr(keras.losses, name)(reduction=reduction, **kwargs)
        ours = getattr(neurona.losses, name)(reduction=reduction, **kwargs)
        for sw in (None, weights):
            expected = np.asarray(theirs(y_true, y_pred, sample_weight=sw))
            got = ours(y_true, y_pred, sample_weight=sw).numpy()
            np.testing.assert_allclose(got, expected, rtol=2e-5, atol=2e-6)


METRICS = [
    ("AUC", {}, "binary_scores"),
    ("AUC", {"curve": "PR", "num_thresholds": 50}, "binary_scores"),
    ("Precision", {"thresholds": [0.3, 0.6]}, "binary_scores"),
    ("Recall", {"top_k": 2}, "multilabel"),
    ("F1Score", {"average": "macro", "threshold": 0.4}, "multilabel"),
    ("FBetaScore", {"beta": 2.0, "average": "weighted"}, "multilabel"),
    ("TopKCategoricalAccuracy", {"k": 2}, "categorical"),
    ("SparseTopKCategoricalAccuracy", {"k": 2}, "sparse"),
    ("R2Score", {}, "regression"),
    ("RootMeanSquaredError", {}, "regression"),
    ("CosineSimilarity", {}, "regression"),
    ("LogCoshError", {}, "regression"),
    ("MeanAbsolutePercentageError", {}, "regression"),
    ("CategoricalHinge", {}, "categorical"),
    ("KLDivergence", {}, "categorical"),
]


def metric_data(kind, rng):
    if kind == "binary_scores":
        return rng.integers(0, 2, (40, 1)).astype("float32"), rng.random((40, 1)).astype("float32")
    if kind == "multilabel":
        return rng.integers(0, 2, (40, 3)).astype("float32"), rng.random((40, 3)).astype("float32")
    if kind == "categorical":
        return np.eye(4, dtype="float32")[rng.integers(0, 4, 40)], _probabilities(rng, (40, 4))
    if kind == "sparse":
        return rng.integers(0, 4, (40, 1)), _probabilities(rng, (40, 4))
    return rng.normal(size=(40, 2)).astype("float32"), rng.normal(size=(40, 2)).astype("float32")


@pytest.mark.parametrize(
    "name, kwargs, kind", METRICS, ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(METRICS)]
)
def test_metrics_match_keras(name, kwargs, kind):
    rng = np.random.default_rng(5)
    theirs = getattr(keras.metrics, name)(**kwargs)
    ours = getattr(neurona.metrics, name)(**kwargs)
    for _ in range(2):  # two batches: the accumulation must match too
        y_true, y_pred = metric_data(kind, rng)
        weights = rng.random(len(y_true)).astype("float32")
        theirs.update_state(y_true, y_pred, sample_weight=weights)
        ours.update_state(y_true, y_pred, sample_weight=weights)
    np.testing.assert_allclose(np.asarray(ours.result()), np.asarray(theirs.result()), rtol=1e-4, atol=1e-6)


def test_a_whole_fit_matches_keras():
    """Same initial weights, data and batch order: per-epoch losses and accuracy equal Keras's."""
    rng = np.random.default_rng(7)
    x = rng.normal(size=(96, 6)).astype("float32")
    y = rng.integers(0, 3, 96)
    theirs = keras.Sequential(
        [keras.Input(shape=(6,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(3)]
    )
    ours = neurona.Sequential(
        [neurona.Input(shape=(6,)), neurona.layers.Dense(8, activation="relu"), neurona.layers.Dense(3)]
    )
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    for model, module in ((theirs, keras), (ours, neurona)):
        model.compile(
            optimizer=module.optimizers.Adam(0.01),
            loss=module.losses.SparseCategoricalCrossentropy(from_logits=True),
            metrics=["accuracy"],
        )
    expected = theirs.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    got = ours.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(got["loss"], expected["loss"], rtol=1e-5)
    np.testing.assert_allclose(got["accuracy"], expected["accuracy"], atol=1e-7)
    for mine, keras_weight in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(mine, np.asarray(keras_weight), rtol=1e-4, atol=1e-6)
