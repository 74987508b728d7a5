"""Weight constraints: hand-worked projections, Keras as an oracle, the registry, and constraints applied
by the optimizer after every step."""

import os

import numpy as np
import pytest

import neurona as nn
from neurona import constraints, layers

EPS = 1e-7  # Keras's backend.epsilon(), in every norm-based constraint's denominator


def test_max_norm_rescales_only_columns_above_the_bound():
    w = np.array([[3.0, 0.6], [4.0, 0.8]], dtype="float32")  # column norms 5 and 1
    out = constraints.MaxNorm(max_value=2)(w).numpy()
    # column 0: w·2/(5 + ε) = [1.2, 1.6]; column 1: w·1/(1 + ε), unchanged up to ε
    np.testing.assert_allclose(out[:, 0], [1.2, 1.6], rtol=1e-6)
    np.testing.assert_allclose(out[:, 1], [0.6 / (1 + EPS), 0.8 / (1 + EPS)], rtol=1e-6)


def test_max_norm_over_rows_and_over_several_axes():
    w = np.array([[3.0, 4.0], [0.3, 0.4]])
    np.testing.assert_allclose(
        constraints.MaxNorm(1.0, axis=1)(w).numpy(), [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6
    )
    kernel = np.ones((2, 2, 3))  # each of the 3 filters has norm √4 = 2 over axes (0, 1)
    out = constraints.MaxNorm(1.0, axis=[0, 1])(kernel).numpy()
    np.testing.assert_allclose(out, np.full((2, 2, 3), 0.5), rtol=1e-6)


def test_non_neg_zeroes_negative_weights():
    out = constraints.NonNeg()(np.array([-1.0, 0.0, 0.5], dtype="float32"))
    np.testing.assert_array_equal(out.numpy(), [0.0, 0.0, 0.5])
    assert out.dtype == "float32"


def test_unit_norm_per_column_and_per_row():
    w = np.array([[3.0, 0.0], [4.0, 2.0]])
    np.testing.assert_allclose(constraints.UnitNorm()(w).numpy(), [[0.6, 0.0], [0.8, 1.0]], rtol=1e-6)
    # rows: [3, 0]/3 and [4, 2]/√20
    np.testing.assert_allclose(
        constraints.UnitNorm(axis=1)(w).numpy(), [[1.0, 0.0], [4 / 20**0.5, 2 / 20**0.5]], rtol=1e-6
    )


def test_min_max_norm_moves_the_norm_at_rate():
    w = np.array([[3.0, 0.3], [4.0, 0.4]])  # column norms 5 and 0.5
    out = constraints.MinMaxNorm(min_value=1.0, max_value=2.0, rate=0.5)(w).numpy()
    # column 0: desired = 0.5·clip(5, 1, 2) + 0.5·5 = 3.5 → w·3.5/5; column 1: 0.5·1 + 0.5·0.5 = 0.75 → w·1.5
    np.testing.assert_allclose(out, [[2.1, 0.45], [2.8, 0.6]], rtol=1e-6)
    strict = constraints.MinMaxNorm(1.0, 2.0)(w).numpy()
    np.testing.assert_allclose(np.linalg.norm(strict, axis=0), [2.0, 1.0], rtol=1e-6)


def test_a_zero_column_stays_zero():
    w = np.zeros((3, 2))
    for constraint in [constraints.MaxNorm(), constraints.UnitNorm(), constraints.MinMaxNorm(0.5, 1.0)]:
        np.testing.assert_array_equal(constraint(w).numpy(), w)


CONSTRAINTS = [
    constraints.Constraint(),
    constraints.MaxNorm(max_value=1.5, axis=1),
    constraints.NonNeg(),
    constraints.UnitNorm(axis=[0, 1]),
    constraints.MinMaxNorm(min_value=0.2, max_value=0.9, rate=0.7, axis=0),
]


@pytest.mark.parametrize("constraint", CONSTRAINTS, ids=lambda c: type(c).__name__)
def test_config_round_trip(constraint):
    clone = constraints.deserialize(constraints.serialize(constraint))
    assert type(clone) is type(constraint)
    assert clone.get_config() == constraint.get_config()
    assert type(constraint).from_config(constraint.get_config()).get_config() == constraint.get_config()
    w = np.random.default_rng(0).normal(size=(3, 4, 2))
    np.testing.assert_array_equal(np.asarray(clone(w)), np.asarray(constraint(w)))


@pytest.mark.parametrize(
    "identifier, cls",
    [
        ("max_norm", constraints.MaxNorm),
        ("MaxNorm", constraints.MaxNorm),
        ("non_neg", constraints.NonNeg),
        ("unit_norm", constraints.UnitNorm),
        ("min_max_norm", constraints.MinMaxNorm),
        ({"class_name": "NonNeg", "config": {}}, constraints.NonNeg),
        (
            {"module": "keras.constraints", "class_name": "MaxNorm", "config": {"max_value": 3, "axis": 0}},
            constraints.MaxNorm,
        ),
        (constraints.UnitNorm, constraints.UnitNorm),
    ],
)
def test_get_resolves_names_dicts_and_classes(identifier, cls):
    assert type(constraints.get(identifier)) is cls


def test_get_passes_through_instances_callables_and_none():
    instance = constraints.NonNeg()
    assert constraints.get(instance) is instance
    assert constraints.get(None) is None
    assert constraints.serialize(None) is None

    def clip(w):
        return np.clip(w, -1, 1)

    assert constraints.get(clip) is clip


def test_bad_identifiers_and_arguments_say_what_was_received():
    with pytest.raises(ValueError, match="Unknown constraint: 'nonneg'"):
        constraints.get("nonneg")
    with pytest.raises(ValueError, match="Could not interpret constraint identifier: 3"):
        constraints.get(3)
    with pytest.raises(ValueError, match="Unknown constraint: 'Clip'"):
        constraints.deserialize({"class_name": "Clip", "config": {}})
    with pytest.raises(TypeError, match="not a neurona Constraint"):
        constraints.serialize(lambda w: w)
    with pytest.raises(ValueError, match="max_value=-1"):
        constraints.MaxNorm(-1)
    with pytest.raises(ValueError, match="min_value=2"):
        constraints.MinMaxNorm(min_value=2, max_value=1)
    with pytest.raises(TypeError, match="axis='0'"):
        constraints.UnitNorm(axis="0")


def test_dense_stores_its_constraints_on_the_variables_and_in_its_config():
    layer = layers.Dense(2, kernel_constraint="non_neg", bias_constraint=constraints.MaxNorm(1.0))
    layer(np.ones((1, 3)))
    assert isinstance(layer.kernel.constraint, constraints.NonNeg)
    assert isinstance(layer.bias.constraint, constraints.MaxNorm)
    config = layer.get_config()
    assert config["kernel_constraint"] == {"class_name": "NonNeg", "config": {}}
    assert config["bias_constraint"] == {"class_name": "MaxNorm", "config": {"max_value": 1.0, "axis": 0}}
    clone = layers.Dense.from_config(config)
    assert clone.get_config() == config
    assert layers.Dense(2).get_config()["kernel_constraint"] is None


def test_non_neg_kernel_stays_non_negative_after_every_sgd_step():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = (x @ np.array([[1.0], [-2.0], [0.5], [-1.0]])).astype("float32")  # wants negative weights
    model = nn.Sequential(
        [nn.Input(shape=(4,)), layers.Dense(1, kernel_initializer="ones", kernel_constraint="non_neg")]
    )
    model.compile(optimizer=nn.optimizers.SGD(0.1), loss="mse")
    for start in range(0, 64, 8):
        model.train_on_batch(x[start : start + 8], y[start : start + 8])
        kernel = model.layers[0].kernel.numpy()
        assert kernel.min() >= 0.0
    # the weights that want to be negative sit at exactly 0, the others moved freely
    np.testing.assert_array_equal(kernel[[1, 3], 0], [0.0, 0.0])
    assert kernel[0, 0] > 0 and kernel[2, 0] > 0


def test_max_norm_holds_through_fit():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(32, 3)).astype("float32")
    y = (x @ np.full((3, 2), 5.0)).astype("float32")  # large targets push the norms up
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(2, kernel_constraint=constraints.MaxNorm(1.0))])
    model.compile(optimizer=nn.optimizers.Adam(0.1), loss="mse")
    model.fit(x, y, epochs=3, batch_size=8, verbose=0)
    norms = np.linalg.norm(model.layers[0].kernel.numpy(), axis=0)
    assert np.all(norms <= 1.0 + 1e-6)
    np.testing.assert_allclose(norms, 1.0, rtol=1e-5)  # pinned at the bound


# --- Keras as the oracle ----------------------------------------------------------------------------
@pytest.mark.keras
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("MaxNorm", {}),
        ("MaxNorm", {"max_value": 0.5, "axis": 1}),
        ("MaxNorm", {"max_value": 1.0, "axis": [0, 1]}),
        ("NonNeg", {}),
        ("UnitNorm", {}),
        ("UnitNorm", {"axis": 1}),
        ("MinMaxNorm", {}),
        ("MinMaxNorm", {"min_value": 0.5, "max_value": 1.5, "rate": 0.3, "axis": 1}),
    ],
)
def test_constraints_match_keras(name, kwargs):
    os.environ.setdefault("KERAS_BACKEND", "jax")
    keras = pytest.importorskip("keras")
    if keras.backend.backend() != "jax":
        pytest.skip("the Keras oracle runs on the JAX backend")
    w = np.random.default_rng(2).normal(size=(3, 4)).astype("float32") * 2
    if kwargs.get("axis") == [0, 1]:
        w = w.reshape(3, 2, 2)
    expected = np.asarray(getattr(keras.constraints, name)(**kwargs)(keras.ops.convert_to_tensor(w)))
    actual = getattr(constraints, name)(**kwargs)(w).numpy()
    np.testing.assert_allclose(actual, expected, rtol=1e-6, atol=1e-7)
    assert (
        getattr(constraints, name)(**kwargs).get_config()
        == getattr(keras.constraints, name)(**kwargs).get_config()
    )
