"""What every loss shares (`neurona/losses/base.py`): the five reductions and sample weights, Keras's
(N,) vs (N, 1) rule, clear shape errors, `dtype`, and a config round trip for every class."""

import numpy as np
import pytest

from neurona import losses


def _np(x):
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


PROBS = np.array([[0.2, 0.5, 0.3], [0.6, 0.1, 0.3], [0.25, 0.25, 0.5], [0.1, 0.8, 0.1]])
ONE_HOT = np.eye(3)[[1, 0, 2, 2]]
LOGITS = np.array([[1.0, -2.0, 0.5], [0.3, 0.2, -1.0], [2.0, 1.0, -3.0], [-0.5, 0.0, 0.5]])
TARGETS = np.array([[0.5, 1.5, -1.0], [2.0, -0.5, 0.3], [1.0, 1.0, 1.0], [-2.0, 0.7, 0.1]])
PREDS = np.array([[0.1, 2.5, -1.5], [1.0, 0.5, 0.2], [0.5, 3.0, 1.2], [-1.0, 0.2, 0.9]])
SIGNS = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0], [1.0, 1.0, -1.0], [-1.0, 1.0, 1.0]])
BINARY = np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 1.0], [1.0, 1.0, 0.0], [0.0, 1.0, 1.0]])
COUNTS = np.array([[1.0, 0.0, 3.0], [2.0, 5.0, 1.0], [0.0, 1.0, 1.0], [4.0, 2.0, 0.0]])
RATES = np.array([[0.5, 0.2, 2.5], [1.5, 4.0, 0.7], [0.3, 1.1, 0.9], [3.0, 2.5, 0.4]])

# one (loss, y_true, y_pred) case per class, with non-default options where the class has them
CASES = {
    "MeanSquaredError": (losses.MeanSquaredError(), TARGETS, PREDS),
    "MeanAbsoluteError": (losses.MeanAbsoluteError(), TARGETS, PREDS),
    "MeanAbsolutePercentageError": (losses.MeanAbsolutePercentageError(), TARGETS, PREDS),
    "MeanSquaredLogarithmicError": (losses.MeanSquaredLogarithmicError(), COUNTS, RATES),
    "Huber": (losses.Huber(delta=0.7), TARGETS, PREDS),
    "LogCosh": (losses.LogCosh(), TARGETS, PREDS),
    "CosineSimilarity": (losses.CosineSimilarity(), TARGETS, PREDS),
    "BinaryCrossentropy": (losses.BinaryCrossentropy(label_smoothing=0.1), BINARY, PROBS),
    "BinaryCrossentropy_logits": (losses.BinaryCrossentropy(from_logits=True), BINARY, LOGITS),
    "BinaryFocalCrossentropy": (
        losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=0.4, gamma=1.5),
        BINARY,
        PROBS,
    ),
    "BinaryFocalCrossentropy_logits": (losses.BinaryFocalCrossentropy(from_logits=True), BINARY, LOGITS),
    "CategoricalCrossentropy": (losses.CategoricalCrossentropy(label_smoothing=0.2), ONE_HOT, PROBS),
    "CategoricalCrossentropy_logits": (losses.CategoricalCrossentropy(from_logits=True), ONE_HOT, LOGITS),
    "CategoricalFocalCrossentropy": (
        losses.CategoricalFocalCrossentropy(alpha=[0.2, 0.3, 0.5], gamma=1.0),
        ONE_HOT,
        PROBS,
    ),
    "CategoricalFocalCrossentropy_logits": (
        losses.CategoricalFocalCrossentropy(from_logits=True),
        ONE_HOT,
        LOGITS,
    ),
    "SparseCategoricalCrossentropy": (
        losses.SparseCategoricalCrossentropy(from_logits=True),
        np.array([1, 0, 2, 2]),
        LOGITS,
    ),
    "KLDivergence": (losses.KLDivergence(), PROBS[::-1].copy(), PROBS),
    "Poisson": (losses.Poisson(), COUNTS, RATES),
    "Hinge": (losses.Hinge(), SIGNS, PREDS),
    "SquaredHinge": (losses.SquaredHinge(), BINARY, PREDS),
    "CategoricalHinge": (losses.CategoricalHinge(), ONE_HOT, PREDS),
}
WEIGHTS = np.array([0.5, 2.0, 0.0, 1.5])


def with_reduction(loss, reduction):
    config = {**loss.get_config(), "reduction": reduction}
    return type(loss).from_config(config)


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_reduction_and_sample_weight(case):
    loss, y_true, y_pred = CASES[case]
    values = _np(with_reduction(loss, None)(y_true, y_pred))
    assert values.shape == (4,) and np.all(np.isfinite(values))
    n = values.size
    expected = {
        # unweighted: Σv/n, Σv, v, Σv/n, Σv/n
        None: {
            "sum_over_batch_size": values.sum() / n,
            "mean": values.sum() / n,
            "sum": values.sum(),
            "none": values,
            "mean_with_sample_weight": values.sum() / n,
        },
        # per-sample weights w: Σwv/n, Σwv/n, Σwv, w·v, Σwv/Σw
        "w": {
            "sum_over_batch_size": (WEIGHTS * values).sum() / n,
            "mean": (WEIGHTS * values).sum() / n,
            "sum": (WEIGHTS * values).sum(),
            "none": WEIGHTS * values,
            "mean_with_sample_weight": (WEIGHTS * values).sum() / WEIGHTS.sum(),
        },
    }
    for reduction in ("sum_over_batch_size", "mean", "sum", "none", "mean_with_sample_weight"):
        reduced = with_reduction(loss, reduction)
        np.testing.assert_allclose(
            _np(reduced(y_true, y_pred)), expected[None][reduction], rtol=1e-5, atol=1e-6
        )
        for weights in (WEIGHTS, WEIGHTS.reshape((4, 1))):  # (N,) and (N, 1) weights are the same thing
            got = _np(reduced(y_true, y_pred, sample_weight=weights))
            np.testing.assert_allclose(
                got.reshape(-1) if reduction == "none" else got,
                expected["w"][reduction],
                rtol=1e-5,
                atol=1e-6,
            )
    # a scalar weight scales every reduction except mean_with_sample_weight's Σw-normalised one
    np.testing.assert_allclose(_np(loss(y_true, y_pred, sample_weight=2.5)), 2.5 * values.mean(), rtol=1e-5)
    np.testing.assert_allclose(_np(loss(y_true, y_pred, sample_weight=0.0)), 0.0, atol=1e-7)


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_round_trip(case):
    loss, y_true, y_pred = CASES[case]
    config = loss.get_config()
    assert config["name"] == loss.name and config["reduction"] == "sum_over_batch_size"
    again = type(loss).from_config(config)
    assert again.get_config() == config
    np.testing.assert_allclose(_np(again(y_true, y_pred)), _np(loss(y_true, y_pred)), rtol=1e-7)
    renamed = type(loss).from_config({**config, "name": "mine", "reduction": "sum"})
    assert (renamed.name, renamed.reduction) == ("mine", "sum")


def test_default_names_are_keras():
    names = {type(loss).__name__: type(loss)().name for loss, _, _ in CASES.values()}
    assert names == {
        "MeanSquaredError": "mean_squared_error",
        "MeanAbsoluteError": "mean_absolute_error",
        "MeanAbsolutePercentageError": "mean_absolute_percentage_error",
        "MeanSquaredLogarithmicError": "mean_squared_logarithmic_error",
        "Huber": "huber_loss",  # Keras's name, although the function is `huber`
        "LogCosh": "log_cosh",
        "CosineSimilarity": "cosine_similarity",
        "BinaryCrossentropy": "binary_crossentropy",
        "BinaryFocalCrossentropy": "binary_focal_crossentropy",
        "CategoricalCrossentropy": "categorical_crossentropy",
        "CategoricalFocalCrossentropy": "categorical_focal_crossentropy",
        "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
        "KLDivergence": "kl_divergence",
        "Poisson": "poisson",
        "Hinge": "hinge",
        "SquaredHinge": "squared_hinge",
        "CategoricalHinge": "categorical_hinge",
    }


def test_keras_defaults_and_argument_order():
    bfce = losses.BinaryFocalCrossentropy(True, 0.5, 3.0, True, 0.1, 0)
    assert (
        bfce.apply_class_balancing,
        bfce.alpha,
        bfce.gamma,
        bfce.from_logits,
        bfce.label_smoothing,
        bfce.axis,
    ) == (True, 0.5, 3.0, True, 0.1, 0)
    cfce = losses.CategoricalFocalCrossentropy()
    assert (cfce.alpha, cfce.gamma, cfce.from_logits, cfce.label_smoothing, cfce.axis) == (
        0.25,
        2.0,
        False,
        0.0,
        -1,
    )
    assert losses.Huber().delta == 1.0 and losses.CosineSimilarity().axis == -1
    assert losses.BinaryFocalCrossentropy().get_config() == {
        "name": "binary_focal_crossentropy",
        "reduction": "sum_over_batch_size",
        "apply_class_balancing": False,
        "alpha": 0.25,
        "gamma": 2.0,
        "from_logits": False,
        "label_smoothing": 0.0,
        "axis": -1,
    }


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: losses.Hinge(reduction="abc"), "Invalid value for argument `reduction`"),
        (lambda: losses.BinaryFocalCrossentropy(gamma=-1.0), "gamma"),
        (lambda: losses.BinaryFocalCrossentropy(alpha=1.5), "alpha"),
        (lambda: losses.CategoricalFocalCrossentropy(alpha=[0.5, -0.1]), "alpha"),
        (lambda: losses.CategoricalFocalCrossentropy(label_smoothing=2.0), "label_smoothing"),
        (lambda: losses.BinaryFocalCrossentropy(label_smoothing=-0.1), "label_smoothing"),
    ],
)
def test_bad_hyper_parameters(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_focal_alpha_list_must_match_classes():
    with pytest.raises(ValueError, match="one weight per class"):
        losses.CategoricalFocalCrossentropy(alpha=[0.5, 0.5])(ONE_HOT, PROBS)


# --- shapes ----------------------------------------------------------------------------------------------
ELEMENTWISE = [name for name in sorted(CASES) if name != "SparseCategoricalCrossentropy"]


@pytest.mark.parametrize("case", [name for name in ELEMENTWISE if "Categorical" not in name])
def test_n_vs_n1_is_squeezed_or_expanded_never_broadcast(case):
    # a single output column: (N,) targets against (N, 1) predictions give N losses, not an N×N grid
    loss, y_true, y_pred = CASES[case]
    column_true, column_pred = y_true[:, :1], y_pred[:, :1]
    per_sample = with_reduction(loss, None)
    expected = _np(per_sample(column_true, column_pred))
    assert expected.shape == (4,)
    np.testing.assert_allclose(_np(per_sample(column_true[:, 0], column_pred)), expected)
    np.testing.assert_allclose(_np(per_sample(column_true, column_pred[:, 0])), expected)


@pytest.mark.parametrize("case", ELEMENTWISE)
def test_other_shape_mismatches_raise(case):
    loss, y_true, y_pred = CASES[case]
    with pytest.raises(ValueError, match=r"must have the same shape.*\(4, 2\).*\(4, 3\)"):
        loss(y_true[:, :2], y_pred)


def test_sample_weight_of_the_wrong_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"`sample_weight` of shape \(3,\) does not fit"):
        losses.MeanSquaredError()(TARGETS, PREDS, sample_weight=np.ones(3))


def test_dtype_argument_casts_the_inputs():
    got = losses.MeanSquaredError(dtype="float64")(TARGETS.astype("float32"), PREDS.astype("float32"))
    assert got.dtype == "float64"
    assert losses.MeanSquaredError()(TARGETS.astype("float32"), PREDS.astype("float32")).dtype == "float32"
    # integer predictions become floatx
    assert losses.mean_absolute_error(np.array([[1, 2]]), np.array([[2, 4]])).dtype == "float32"


def test_results_are_arrays():
    # a reduced loss is a 0-d tensor that NumPy reads directly (float(), np.asarray)
    value = losses.MeanSquaredError()(TARGETS, PREDS)
    assert np.asarray(value).shape == () and isinstance(float(value), float)


def test_loss_function_wrapper_round_trip():
    wrapper = losses.LossFunctionWrapper(losses.huber, name="h", reduction="sum", delta=0.5)
    config = losses.serialize(wrapper)
    assert config == {
        "class_name": "LossFunctionWrapper",
        "config": {"name": "h", "reduction": "sum", "fn": "huber", "delta": 0.5},
    }
    again = losses.deserialize(config)
    assert again.fn is losses.huber and again.get_config() == config["config"]
    np.testing.assert_allclose(_np(again(TARGETS, PREDS)), _np(wrapper(TARGETS, PREDS)))


def test_custom_loss_subclass():
    class Doubled(losses.Loss):
        def call(self, y_true, y_pred):
            return 2.0 * losses.mean_squared_error(y_true, y_pred)

    loss = Doubled()
    assert loss.name == "doubled"
    np.testing.assert_allclose(_np(loss(TARGETS, PREDS)), 2 * _np(losses.MeanSquaredError()(TARGETS, PREDS)))
