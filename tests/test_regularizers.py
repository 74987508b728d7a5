"""Regularizers: hand-worked penalties (Keras semantics: l2·Σw², no ½), the orthogonal regularizer, the
registry, and penalties in `layer.losses`, `model.losses`, `evaluate` and a hand-derived SGD step."""

import os

import numpy as np
import pytest

import neurona as nn
from neurona import layers, regularizers


def test_l1_l2_and_l1l2_penalties():
    w = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert float(regularizers.L1(0.1)(w)) == pytest.approx(0.1 * 3.5)  # Σ|w| = 3.5
    assert float(regularizers.L2(0.1)(w)) == pytest.approx(0.1 * 5.25)  # Σw² = 1 + 4 + 0.25, no ½
    assert float(regularizers.L1L2(l1=0.1, l2=0.01)(w)) == pytest.approx(0.35 + 0.0525)
    assert float(regularizers.L1L2()(w)) == 0.0


def test_orthogonal_regularizer_hand_worked():
    w = np.array([[1.0, 0.0], [1.0, 1.0]])
    # rows: [1, 0] and [1, 1]/√2 → their cosine is 1/√2, counted twice off the diagonal of P = R̂R̂ᵀ;
    # one pair: penalty = factor · ½ · (2/√2) / 1 = factor/√2
    assert float(regularizers.OrthogonalRegularizer(0.01)(w)) == pytest.approx(0.01 / 2**0.5)
    # columns: [1, 1]/√2 and [0, 1] → cosine 1/√2 as well
    assert float(regularizers.OrthogonalRegularizer(0.01, mode="columns")(w)) == pytest.approx(0.01 / 2**0.5)
    assert float(regularizers.OrthogonalRegularizer(1.0)(np.eye(3))) == 0.0  # orthogonal rows
    # three equal rows: all 3 pairs have cosine 1 → factor · ½ · 6 / 3 = factor
    assert float(regularizers.OrthogonalRegularizer(0.5)(np.ones((3, 2)))) == pytest.approx(0.5)


def test_orthogonal_regularizer_gradient_and_zero_rows(float64):
    reg = regularizers.OrthogonalRegularizer(0.3, mode="columns")
    w = np.random.default_rng(0).normal(size=(4, 3))
    assert nn.gradcheck(lambda x: reg(x), [w])
    zero_row = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, -1.0]])
    variable = nn.Variable(zero_row)
    with nn.GradientTape() as tape:
        penalty = regularizers.OrthogonalRegularizer(1.0)(variable)
    assert np.isfinite(float(penalty)) and np.all(np.isfinite(tape.gradient(penalty, variable).numpy()))


def test_orthogonal_regularizer_errors_and_a_single_row():
    with pytest.raises(ValueError, match=r"must have rank 2. Received: inputs.shape=\(3,\)"):
        regularizers.OrthogonalRegularizer()(np.ones(3))
    with pytest.raises(ValueError, match="mode='diagonal'"):
        regularizers.OrthogonalRegularizer(mode="diagonal")
    with pytest.raises(ValueError, match="factor=-1"):
        regularizers.OrthogonalRegularizer(factor=-1)
    assert float(regularizers.OrthogonalRegularizer()(np.ones((1, 3)))) == 0.0  # no pairs to compare


REGULARIZERS = [
    regularizers.L1(0.3),
    regularizers.L2(0.02),
    regularizers.L1L2(l1=0.1, l2=0.2),
    regularizers.OrthogonalRegularizer(factor=0.05, mode="columns"),
]


@pytest.mark.parametrize("regularizer", REGULARIZERS, ids=lambda r: type(r).__name__)
def test_config_round_trip(regularizer):
    clone = regularizers.deserialize(regularizers.serialize(regularizer))
    assert type(clone) is type(regularizer)
    assert clone.get_config() == regularizer.get_config()
    w = np.random.default_rng(1).normal(size=(3, 4))
    assert float(clone(w)) == float(regularizer(w))


@pytest.mark.parametrize(
    "identifier, cls, config",
    [
        ("l1", regularizers.L1, {"l1": 0.01}),
        ("l2", regularizers.L2, {"l2": 0.01}),
        ("L2", regularizers.L2, {"l2": 0.01}),
        ("l1_l2", regularizers.L1L2, {"l1": 0.01, "l2": 0.01}),  # Keras documents 0.01 for the string
        ("l1l2", regularizers.L1L2, {"l1": 0.01, "l2": 0.01}),
        ("orthogonal_regularizer", regularizers.OrthogonalRegularizer, {"factor": 0.01, "mode": "rows"}),
        ("OrthogonalRegularizer", regularizers.OrthogonalRegularizer, {"factor": 0.01, "mode": "rows"}),
        (regularizers.L1L2, regularizers.L1L2, {"l1": 0.0, "l2": 0.0}),
        ({"class_name": "L1", "config": {"l1": 0.5}}, regularizers.L1, {"l1": 0.5}),
        (
            {
                "module": "keras.regularizers",
                "class_name": "L2",
                "config": {"l2": 0.1},
                "registered_name": None,
            },
            regularizers.L2,
            {"l2": 0.1},
        ),
    ],
)
def test_get_resolves_keras_names_and_dicts(identifier, cls, config):
    regularizer = regularizers.get(identifier)
    assert type(regularizer) is cls
    assert regularizer.get_config() == config


def test_get_errors_and_pass_through():
    with pytest.raises(ValueError, match="Unknown regularizer: 'l3'"):
        regularizers.get("l3")
    with pytest.raises(ValueError, match="Unknown regularizer config"):
        regularizers.deserialize({"class_name": "L3", "config": {}})
    with pytest.raises(TypeError, match="Could not interpret regularizer identifier: 5"):
        regularizers.get(5)
    with pytest.raises(ValueError, match="l2=-0.1"):
        regularizers.L2(-0.1)
    with pytest.raises(ValueError, match="l1=inf"):
        regularizers.L1(float("inf"))
    assert regularizers.get(None) is None and regularizers.serialize(None) is None

    def penalty(w):
        return nn.ops.sum(w)

    assert regularizers.get(penalty) is penalty


# --- penalties in layers and models ------------------------------------------------------------------
def test_weight_and_activity_penalties_in_layer_losses():
    layer = layers.Dense(
        5,
        kernel_initializer="ones",
        kernel_regularizer=regularizers.L1(0.01),
        activity_regularizer=regularizers.L2(0.01),
    )
    layer(np.full((5, 5), 2.0))
    # kernel: 0.01 · Σ|1| over 25 weights = 0.25; activity: every output is 5·2 = 10,
    # 0.01 · 25 · 100 = 25, divided by the batch size 5 → 5.0
    assert sorted(float(p) for p in layer.losses) == pytest.approx([0.25, 5.0])


def test_frozen_weights_add_no_penalty():
    layer = layers.Dense(2, kernel_initializer="ones", kernel_regularizer="l2")
    layer(np.ones((1, 3)))
    assert len(layer.losses) == 1
    layer.trainable = False
    assert layer.losses == []  # Keras: weight penalties come from the trainable weights only


def test_every_layer_with_weights_takes_regularizers():
    norm = layers.BatchNormalization(
        gamma_regularizer=regularizers.L2(0.5), beta_regularizer="l1", activity_regularizer="l2"
    )
    norm(np.array([[1.0], [3.0]]), training=True)
    # gamma = 1: 0.5·Σγ² = 0.5; beta = 0: 0.01·Σ|β| = 0; activity: μ = 2, σ² = 1, so y = ±1/√(1 + 0.001),
    # and 0.01·Σy² is divided by the batch size 2
    activity = 0.01 * (2 / 1.001) / 2
    assert [float(p) for p in norm.losses] == pytest.approx([0.5, 0.0, activity])
    assert norm.get_config()["activity_regularizer"] == {"class_name": "L2", "config": {"l2": 0.01}}
    clone = layers.BatchNormalization.from_config(norm.get_config())
    assert clone.get_config() == norm.get_config()
    ln = layers.LayerNormalization(gamma_regularizer=regularizers.L1(0.1))
    ln(np.ones((2, 4)))
    assert [float(p) for p in ln.losses] == pytest.approx([0.4])  # 0.1 · Σ|γ| = 0.1 · 4


def _regularized_model(regularizer):
    model = nn.Sequential(
        [
            nn.Input(shape=(2,)),
            layers.Dense(1, kernel_initializer="ones", kernel_regularizer=regularizer),
        ]
    )
    model.compile(optimizer=nn.optimizers.SGD(0.1), loss="mse")
    return model


X = np.array([[1.0, 2.0], [3.0, -1.0]], dtype="float32")
Y = np.array([[0.0], [1.0]], dtype="float32")


def test_evaluate_adds_the_l2_penalty_to_the_data_loss():
    model = _regularized_model(regularizers.L2(0.1))
    # predictions x·[1, 1] = [3, 2]; mse = ((3 − 0)² + (2 − 1)²)/2 = 5; penalty 0.1 · (1² + 1²) = 0.2
    assert model.evaluate(X, Y, verbose=0) == pytest.approx(5.2, rel=1e-6)
    assert [float(p) for p in model.losses] == pytest.approx([0.2])


def test_one_sgd_step_includes_the_2_l2_w_gradient():
    model = _regularized_model(regularizers.L2(0.1))
    model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    kernel, bias = model.get_weights()
    # dL/dW = (2/N)·xᵀ(pred − y) + 2·l2·W = xᵀ[3, 1] + 0.2·[1, 1] = [6, 5] + [0.2, 0.2] = [6.2, 5.2]
    # W ← 1 − 0.1·[6.2, 5.2] = [0.38, 0.48];  dL/db = (2/2)·(3 + 1) = 4 → b = −0.4 (bias not regularized)
    np.testing.assert_allclose(kernel.ravel(), [0.38, 0.48], rtol=1e-6)
    np.testing.assert_allclose(bias, [-0.4], rtol=1e-6)


def test_fit_loss_reports_the_penalty_too():
    model = _regularized_model(regularizers.L1(0.5))
    history = model.fit(X, Y, batch_size=2, epochs=1, shuffle=False, verbose=0)
    # the logged loss is the one before the step: mse 5 + 0.5 · (|1| + |1|) = 6
    assert history.history["loss"][0] == pytest.approx(6.0, rel=1e-6)


# --- Keras as the oracle ----------------------------------------------------------------------------
@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("L1", {"l1": 0.3}),
        ("L2", {"l2": 0.2}),
        ("L1L2", {"l1": 0.1, "l2": 0.05}),
        ("OrthogonalRegularizer", {}),
        ("OrthogonalRegularizer", {"factor": 0.2, "mode": "columns"}),
    ],
)
def test_regularizers_match_keras(name, kwargs):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras oracle runs on the JAX backend")
    w = np.random.default_rng(3).normal(size=(5, 3)).astype("float32")
    theirs = getattr(keras.regularizers, name)(**kwargs)
    ours = getattr(regularizers, name)(**kwargs)
    assert float(ours(w)) == pytest.approx(float(theirs(keras.ops.convert_to_tensor(w))), rel=1e-6)
    theirs_config = theirs.get_config()  # Keras keeps l1 and factor as float32 tensors: compare approx
    assert ours.get_config().keys() == theirs_config.keys()
    for key, value in ours.get_config().items():
        assert value == (
            pytest.approx(theirs_config[key]) if isinstance(value, float) else theirs_config[key]
        )
