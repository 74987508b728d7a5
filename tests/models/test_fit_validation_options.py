"""`fit(validation_split=..., validation_shuffle=..., validation_stratify=...)` and the one-class warning."""

import warnings

import numpy as np
import pytest

import neurona
from neurona import layers


def classifier(loss="sparse_categorical_crossentropy", units=2, activation="softmax"):
    model = neurona.Sequential([layers.Input((3,)), layers.Dense(units, activation=activation)])
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return model


def sorted_data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3)).astype("float32")
    y = np.array([0] * 30 + [1] * 20)  # sorted by class: the last 20% is all class 1
    return x, y


def test_keras_split_on_sorted_labels_warns():
    x, y = sorted_data()
    with pytest.warns(UserWarning, match="all have class 1"):
        classifier().fit(x, y, validation_split=0.2, verbose=0)


def test_keras_split_warns_for_one_hot_and_binary_targets():
    x, y = sorted_data()
    with pytest.warns(UserWarning, match="validation_stratify=True"):
        classifier("categorical_crossentropy").fit(x, np.eye(2)[y], validation_split=0.2, verbose=0)
    with pytest.warns(UserWarning, match="validation_shuffle=True"):
        classifier("binary_crossentropy", 1, "sigmoid").fit(x, y[:, None], validation_split=0.2, verbose=0)


@pytest.mark.parametrize("options", [{"validation_shuffle": True}, {"validation_stratify": True}])
def test_shuffled_and_stratified_splits_do_not_warn(options):
    x, y = sorted_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = classifier().fit(x, y, validation_split=0.2, verbose=0, **options)
    assert "val_accuracy" in history.history


def test_regression_targets_never_warn():
    x, _ = sorted_data()
    model = neurona.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(x, np.ones((50, 1)), validation_split=0.2, verbose=0)


def test_default_split_validates_on_the_last_rows():
    x, y = sorted_data()
    model = classifier()
    with pytest.warns(UserWarning):  # the last 10 rows are all class 1
        history = model.fit(x, y, validation_split=0.2, shuffle=False, verbose=0, epochs=1)
    # split_at = floor(50 · 0.8) = 40: validation is rows 40..49, scored with the final weights
    expected = model.evaluate(x[40:], y[40:], verbose=0, return_dict=True)
    assert history.history["val_loss"][0] == pytest.approx(expected["loss"], rel=1e-6)


def test_stratified_split_is_reproducible_with_the_global_seed():
    x, y = sorted_data()
    runs = []
    for _ in range(2):
        neurona.utils.set_random_seed(7)
        runs.append(
            classifier().fit(x, y, validation_split=0.2, validation_stratify=True, epochs=2, verbose=0)
        )
    assert runs[0].history == runs[1].history


def test_stratified_validation_holds_both_classes():
    x, y = sorted_data()
    model = classifier()
    history = model.fit(x, y, validation_split=0.2, validation_stratify=True, epochs=1, verbose=0)
    # 10 held out: 30 · 0.2 = 6 of class 0 and 20 · 0.2 = 4 of class 1; val accuracy is a multiple of 1/10
    accuracy = history.history["val_accuracy"][0]
    assert round(accuracy * 10) == pytest.approx(accuracy * 10, abs=1e-5)


def test_stratify_refuses_regression_targets():
    x, _ = sorted_data()
    model = neurona.Sequential([layers.Input((3,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="regression target"):
        model.fit(x, np.linspace(0, 1, 50), validation_split=0.2, validation_stratify=True, verbose=0)


def test_options_must_be_booleans():
    x, y = sorted_data()
    with pytest.raises(TypeError, match="validation_shuffle"):
        classifier().fit(x, y, validation_split=0.2, validation_shuffle="yes", verbose=0)


def test_validation_data_wins_over_the_split_options():
    x, y = sorted_data()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = classifier().fit(
            x, y, validation_data=(x[:5], y[:5]), validation_split=0.2, validation_stratify=True, verbose=0
        )
    assert "val_loss" in history.history
