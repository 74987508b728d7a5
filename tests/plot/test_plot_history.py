"""`plot.history`: one panel per metric, the logged values as the curves, the best epoch marked."""

import numpy as np
import pytest

pytest.importorskip("matplotlib")

import neurona as tf  # noqa: E402
from neurona import plot  # noqa: E402

LOGS = {
    "loss": [0.9, 0.6, 0.45, 0.40, 0.38],
    "accuracy": [0.5, 0.7, 0.8, 0.85, 0.86],
    "val_loss": [1.0, 0.7, 0.55, 0.60, 0.65],  # best (lowest) at index 2: epoch 3
    "val_accuracy": [0.45, 0.65, 0.75, 0.74, 0.76],  # best (highest) at index 4: epoch 5
}


def line(ax, gid):
    (found,) = [item for item in ax.lines if item.get_gid() == gid]
    return found


def test_one_panel_per_metric_and_the_curves_are_the_logged_values(images):
    fig = plot.history(LOGS)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    for ax, name in zip(fig.axes, ["loss", "accuracy"]):
        for key in (name, f"val_{name}"):
            curve = line(ax, key)
            np.testing.assert_array_equal(curve.get_xdata(), [1, 2, 3, 4, 5])  # epochs counted from 1
            np.testing.assert_allclose(curve.get_ydata(), LOGS[key])
    images.assert_not_blank(fig)


def test_the_best_epoch_is_argmin_of_val_loss_and_marked_on_every_panel():
    fig = plot.history(LOGS)
    best = int(np.argmin(LOGS["val_loss"])) + 1  # index 2 → epoch 3
    star = line(fig.axes[0], "best_epoch")
    assert star.get_xdata().tolist() == [best]
    assert star.get_ydata().tolist() == [0.55]
    assert not [item for item in fig.axes[1].lines if item.get_gid() == "best_epoch"]  # star on loss only
    for ax in fig.axes:  # the dotted line at that epoch on every panel
        assert line(ax, "best_epoch_line").get_xdata()[0] == best
    notes = [text.get_text() for text in fig.axes[0].texts]
    assert any("epoch 3" in note and "val_loss = 0.55" in note for note in notes)


def test_a_metric_to_maximize_marks_the_argmax():
    fig = plot.history(LOGS, monitor="val_accuracy")
    assert line(fig.axes[1], "best_epoch").get_xdata().tolist() == [5]
    fig = plot.history(LOGS, monitor="val_loss", mode="max")  # the user decides
    assert line(fig.axes[0], "best_epoch").get_xdata().tolist() == [1]


def test_metrics_selects_panels_and_none_monitor_draws_no_mark():
    fig = plot.history(LOGS, metrics=["val_accuracy"], monitor=None)
    assert [ax.get_title() for ax in fig.axes] == ["accuracy"]
    assert {item.get_gid() for item in fig.axes[0].lines} == {"accuracy", "val_accuracy"}


def test_without_validation_the_best_training_loss_is_marked():
    fig = plot.history({"loss": [3.0, 1.0, 2.0]})
    assert line(fig.axes[0], "best_epoch").get_xdata().tolist() == [2]


def test_nan_never_counts_as_best():
    fig = plot.history({"loss": [3.0, 2.0, 1.5], "val_loss": [2.0, float("nan"), 1.0]})
    assert line(fig.axes[0], "best_epoch").get_xdata().tolist() == [3]


def test_a_history_object_from_fit_uses_its_epoch_numbers():
    x = np.random.default_rng(0).normal(size=(24, 2)).astype("float32")
    model = tf.keras.Sequential([tf.keras.layers.Dense(1, input_shape=(2,))])
    model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
    history = model.fit(x, x[:, :1], epochs=3, validation_split=0.25, verbose=0)
    fig = plot.history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "mae"]
    np.testing.assert_allclose(line(fig.axes[1], "val_mae").get_ydata(), history.history["val_mae"])
    history.epoch = [5, 6, 7]  # as after `fit(..., initial_epoch=5)`
    assert line(plot.history(history).axes[0], "loss").get_xdata().tolist() == [6, 7, 8]


def test_a_shorter_validation_curve_sits_on_the_epochs_it_ran():
    # validation_freq=2 over 6 epochs: validated after epochs 2, 4 and 6
    fig = plot.history({"loss": [6, 5, 4, 3, 2, 1], "val_loss": [5.5, 3.5, 1.5]})
    assert line(fig.axes[0], "val_loss").get_xdata().tolist() == [2, 4, 6]


def test_six_metrics_make_two_rows_of_three():
    logs = {name: [1.0, 2.0] for name in ("loss", "a_loss", "b_loss", "c_loss", "d_loss", "e_loss")}
    fig = plot.history(logs, dpi=50)
    assert len(fig.axes) == 6
    assert len({round(ax.get_position().y0, 3) for ax in fig.axes}) == 2


@pytest.mark.parametrize(
    "history, kwargs, error, match",
    [
        ({}, {}, ValueError, "empty"),
        ({"loss": []}, {}, ValueError, "at least one epoch"),
        ([0.5, 0.4], {}, TypeError, "History object"),
        ({"loss": ["a"]}, {}, TypeError, "list of numbers"),
        (LOGS, {"metrics": ["mse"]}, ValueError, r"the history has \['loss', 'accuracy'\]"),
        (LOGS, {"monitor": "val_mse"}, ValueError, "monitor='val_mse'"),
        (LOGS, {"mode": "lowest"}, ValueError, "'auto', 'min' or 'max'"),
        ({"loss": [1.0], "mystery": [2.0]}, {"monitor": "mystery"}, ValueError, "mode='min' or mode='max'"),
    ],
)
def test_bad_inputs_raise_clear_errors(history, kwargs, error, match):
    with pytest.raises(error, match=match):
        plot.history(history, **kwargs)
