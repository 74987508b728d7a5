"""A DataFrame's column order at `fit` is remembered and restored at `evaluate` and `predict`."""

import numpy as np
import pytest

import neurona
from neurona import layers

pd = pytest.importorskip("pandas")


def fitted():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(rng.normal(size=(20, 3)), columns=["age", "income", "height"])
    y = (frame["age"] > 0).astype("int64").to_numpy()
    model = neurona.Sequential([layers.Input((3,)), layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(frame, y, epochs=2, verbose=0)
    return model, frame, y


def test_fit_remembers_the_column_order():
    model, _, _ = fitted()
    assert model.feature_names == ["age", "income", "height"]


def test_reordered_columns_are_put_back_in_fit_order():
    model, frame, y = fitted()
    shuffled = frame[["height", "age", "income"]]
    np.testing.assert_array_equal(model.predict(shuffled, verbose=0), model.predict(frame, verbose=0))
    assert model.evaluate(shuffled, y, verbose=0) == model.evaluate(frame, y, verbose=0)
    np.testing.assert_array_equal(model.predict_on_batch(shuffled), model.predict_on_batch(frame))


def test_missing_or_extra_columns_raise_with_their_names():
    model, frame, _ = fitted()
    with pytest.raises(ValueError, match=r"missing columns \['height'\]"):
        model.predict(frame[["age", "income"]], verbose=0)
    with pytest.raises(ValueError, match=r"extra columns \['weight'\]"):
        model.predict(frame.rename(columns={"height": "weight"}), verbose=0)


def test_arrays_are_still_accepted_after_a_dataframe_fit():
    model, frame, _ = fitted()
    np.testing.assert_array_equal(model.predict(frame.to_numpy(), verbose=0), model.predict(frame, verbose=0))


def test_a_second_fit_with_reordered_columns_keeps_the_first_order():
    model, frame, y = fitted()
    model.fit(frame[["income", "height", "age"]], y, epochs=1, verbose=0)
    assert model.feature_names == ["age", "income", "height"]


def test_validation_data_frame_is_aligned_too():
    model, frame, y = fitted()
    history = model.fit(frame, y, validation_data=(frame[["height", "income", "age"]], y), verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(model.evaluate(frame, y, verbose=0)[0], rel=1e-6)


def test_object_columns_are_refused_at_fit():
    model, frame, y = fitted()
    with pytest.raises(TypeError, match=r"non-numeric columns \['city'\]"):
        model.fit(frame.assign(city="Paris"), y, verbose=0)
