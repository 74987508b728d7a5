"""Bad input gets a clear error (what was received, what was expected, how to fix it), and nothing
about the model changes: not its weights, not the optimizer's state."""

import numpy as np
import pandas as pd
import pytest

import neurona as nn
from neurona import layers


@pytest.fixture
def model():
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(4, activation="relu"), layers.Dense(3)])
    model.compile(
        optimizer="adam", loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
    )
    return model


X = np.random.default_rng(0).random((10, 3)).astype("float32")
Y = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])


def assert_unchanged(model, fn, error, match):
    before = model.get_weights()
    iterations = int(model.optimizer.iterations)
    with pytest.raises(error, match=match):
        fn()
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert int(model.optimizer.iterations) == iterations


def test_x_and_y_of_different_lengths(model):
    assert_unchanged(
        model,
        lambda: model.fit(X, Y[:9], verbose=0),
        ValueError,
        r"Data cardinality is ambiguous.*'x' sizes: 10 'y' sizes: 9",
    )


def test_wrong_feature_count(model):
    assert_unchanged(
        model,
        lambda: model.fit(np.ones((10, 5)), Y, verbose=0),
        ValueError,
        r"expected axis -1 of input shape to have value 3, but received input with shape \(1, 5\)",
    )
    with pytest.raises(ValueError, match="value 3"):
        model.predict(np.ones((2, 5)), verbose=0)


def test_wrong_rank(model):
    assert_unchanged(model, lambda: model.fit(np.ones((10, 3, 2)), Y, verbose=0), ValueError, "ndim")


def test_strings_in_x(model):
    x = X.astype(object)
    x[4, 1] = "abc"
    assert_unchanged(
        model, lambda: model.fit(x, Y, verbose=0), TypeError, r"must hold numbers.*'abc' at index \(4, 1\)"
    )


def test_dataframe_with_string_columns_names_them(model):
    frame = pd.DataFrame({"a": X[:, 0], "color": ["red"] * 10, "b": X[:, 1]})
    assert_unchanged(
        model,
        lambda: model.fit(frame, Y, verbose=0),
        TypeError,
        r"non-numeric columns \['color'\].*get_dummies",
    )


def test_dataframe_with_numeric_and_boolean_columns_trains(model):
    frame = pd.DataFrame({"a": X[:, 0], "b": X[:, 1], "flag": X[:, 2] > 0.5})
    history = model.fit(frame, pd.Series(Y), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_nan_or_inf_in_x_names_row_and_column(model, value):
    x = X.copy()
    x[7, 2] = value
    assert_unchanged(
        model,
        lambda: model.fit(x, Y, verbose=0),
        ValueError,
        r"`x` contains 1 NaN or infinite.*row 7, column 2",
    )


def test_nan_in_y(model):
    y = Y.astype("float32")
    y[3] = np.nan
    assert_unchanged(model, lambda: model.fit(X, y, verbose=0), ValueError, r"`y` contains 1 NaN.*row 3")


@pytest.mark.parametrize(
    "bad, match",
    [
        (5, r"label value of 5 at index 4, which is outside the valid range of \[0, 3\)"),
        (-1, r"label value of -1 at index 4"),
    ],
)
def test_sparse_labels_out_of_range(model, bad, match):
    y = Y.copy()
    y[4] = bad
    assert_unchanged(model, lambda: model.fit(X, y, verbose=0), ValueError, match)
    with pytest.raises(ValueError, match=match):
        model.evaluate(X, y, verbose=0)


def test_sparse_labels_that_are_not_integers(model):
    y = Y.astype("float32")
    y[2] = 1.5
    assert_unchanged(
        model, lambda: model.fit(X, y, verbose=0), ValueError, r"must be integers.*1.5 at index 2"
    )


def test_labels_out_of_range_in_validation_data(model):
    y_val = Y.copy()
    y_val[0] = 9
    assert_unchanged(
        model, lambda: model.fit(X, Y, validation_data=(X, y_val), verbose=0), ValueError, "label value of 9"
    )


def test_empty_data(model):
    assert_unchanged(model, lambda: model.fit(np.zeros((0, 3)), np.zeros(0), verbose=0), ValueError, "empty")


@pytest.mark.parametrize("batch_size", [0, -4, 2.5])
def test_bad_batch_size(model, batch_size):
    assert_unchanged(
        model,
        lambda: model.fit(X, Y, batch_size=batch_size, verbose=0),
        ValueError,
        f"`batch_size` must be a positive integer. Received: batch_size={batch_size}",
    )


@pytest.mark.parametrize(
    "split, match",
    [
        (1.0, "strictly between 0 and 1"),
        (-0.2, "strictly between 0 and 1"),
        (0.95, "empty training set"),
    ],
)
def test_bad_validation_split(model, split, match):
    assert_unchanged(model, lambda: model.fit(X, Y, validation_split=split, verbose=0), ValueError, match)


def test_unknown_strings_list_the_valid_ones(model):
    with pytest.raises(ValueError, match=r"optimizer identifier: 'adamm'.*'adam'"):
        model.compile(optimizer="adamm", loss="mse")
    with pytest.raises(ValueError, match=r"loss identifier: 'mse2'.*'mse'"):
        model.compile(optimizer="adam", loss="mse2")
    with pytest.raises(ValueError, match=r"Unknown metric: 'acuracy'.*'accuracy'"):
        model.compile(optimizer="adam", loss="mse", metrics=["acuracy"])
    with pytest.raises(ValueError, match=r"Unknown activation function: 'sigmod'.*'sigmoid'"):
        layers.Dense(2, activation="sigmod")


def test_bad_verbose_and_epochs(model):
    with pytest.raises(ValueError, match="verbose"):
        model.fit(X, Y, verbose=3)
    with pytest.raises(ValueError, match="epochs"):
        model.fit(X, Y, epochs=-1, verbose=0)


def test_loss_shape_mismatch_is_caught_before_training():
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss="categorical_crossentropy")
    model.build((None, 3))
    assert_unchanged(
        model,
        lambda: model.fit(X, Y.reshape(-1, 1), verbose=0),
        ValueError,
        r"must have the same shape. Received: target.shape=\(1, 1\), output.shape=\(1, 3\)",
    )


def test_fit_before_compile():
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(1)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(X, Y, verbose=0)


def test_fit_without_targets(model):
    with pytest.raises(ValueError, match="needs targets"):
        model.fit(X, verbose=0)
