"""Case tables for EarlyStopping, ReduceLROnPlateau and the monitor modes (golden-values.md §7), driven
epoch by epoch with scripted log values; each epoch's weights are set to the epoch index so that
"restored to epoch k" is visible in the weights."""

import math

import numpy as np
import pytest

import neurona as nn
from neurona import callbacks, layers


def tiny_model():
    model = nn.Sequential([nn.Input(shape=(1,)), layers.Dense(1)])
    model.compile(optimizer=nn.optimizers.SGD(0.5), loss="mse", metrics=["accuracy", "mse"])
    model.evaluate(np.ones((2, 1)), np.ones((2, 1)), verbose=0)  # builds the compiled metrics
    return model


def drive(callback, values, monitor="val_loss", stop_at=None, model=None):
    """Run `callback` through len(values) epochs; epoch i has weights filled with i and logs monitor=v.
    Returns (epochs run, model)."""
    model = model or tiny_model()
    callback.set_model(model)
    model.stop_training = False
    callback.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        model.set_weights([np.full_like(w, epoch) for w in model.get_weights()])
        callback.on_epoch_begin(epoch)
        callback.on_epoch_end(epoch, {monitor: value})
        epochs += 1
        if stop_at is not None and epoch == stop_at:
            model.stop_training = True
        if model.stop_training:
            break
    callback.on_train_end()
    return epochs, model


def weights_epoch(model):
    return float(model.get_weights()[0].ravel()[0])


@pytest.mark.parametrize("patience, stopped", [(0, 3), (1, 3), (2, 4), (3, 5)])
def test_patience(patience, stopped):
    # Keras: losses [10, 9, 8, 9, 8.9, 8.8, 8.7, 8.6, 8.5] → stopped_epoch = max(patience, 1) + 2
    es = callbacks.EarlyStopping(monitor="loss", patience=patience)
    drive(es, [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5], monitor="loss")
    assert es.stopped_epoch == stopped


def test_restore_best_weights():
    es = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    epochs, model = drive(es, [0.2, 0.15, 0.1, 0.11, 0.12])
    assert es.stopped_epoch == 4 and epochs == 5
    assert weights_epoch(model) == 2.0 and es.best_epoch == 2


def test_baseline_never_beaten_does_not_reset_wait():
    es = callbacks.EarlyStopping(patience=5, baseline=0.5, restore_best_weights=True)
    epochs, model = drive(es, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73])
    assert epochs == 5 and weights_epoch(model) == 2.0


def test_restore_also_when_another_callback_stops_training():
    es = callbacks.EarlyStopping(patience=5, restore_best_weights=True)
    epochs, model = drive(es, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], stop_at=3)
    assert epochs == 4 and weights_epoch(model) == 2.0


def test_start_from_epoch_and_patience_zero_minimums():
    es = callbacks.EarlyStopping(monitor="loss", patience=3, start_from_epoch=2)
    epochs, _ = drive(es, [5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0], monitor="loss")
    assert epochs >= 5
    es = callbacks.EarlyStopping(monitor="loss", patience=0)
    epochs, _ = drive(es, [5.0, 5.0, 5.0], monitor="loss")
    assert epochs == 2  # never stops at epoch 0


def test_state_is_reset_on_every_fit():
    es = callbacks.EarlyStopping(patience=1)
    drive(es, [0.1, 0.2, 0.3])
    assert es.stopped_epoch == 1
    drive(es, [0.5, 0.4, 0.3])
    assert es.stopped_epoch == 0 and es.best == 0.3


def test_nan_first_value_is_never_best():
    # Keras 3.15.1 stops at epoch 2 while improving and restores the NaN epoch; neurona does neither
    es = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    epochs, model = drive(es, [math.nan, 0.5, 0.4, 0.3, 0.2])
    assert epochs == 5 and es.stopped_epoch == 0
    assert es.best == 0.2 and weights_epoch(model) == 4.0


def test_nan_after_a_finite_best_counts_as_no_improvement_and_warns():
    es = callbacks.EarlyStopping(patience=1)
    with pytest.warns(UserWarning, match="counts as no improvement"):
        epochs, _ = drive(es, [0.5, math.inf, 0.4])
    assert es.best == 0.5 and epochs == 2


@pytest.mark.parametrize(
    "mode, monitor, op",
    [
        ("max", "val_mse", "max"),
        ("min", "val_loss", "min"),
        ("auto", "val_mse", "min"),
        ("auto", "loss", "min"),
        ("auto", "acc", "max"),
        ("auto", "val_accuracy", "max"),
        ("auto", "hinge", "min"),
        ("auto", "f1_score", "max"),
        ("auto", "val_auc", "max"),
        ("auto", "output_1_loss", "min"),
    ],
)
def test_mode_inference(mode, monitor, op):
    es = callbacks.EarlyStopping(monitor=monitor, mode=mode)
    es.set_model(tiny_model())
    es._set_monitor_op()
    assert es.monitor_op == op


def test_unknown_monitor_cannot_be_inferred():
    es = callbacks.EarlyStopping(monitor="unknown")
    es.set_model(tiny_model())
    with pytest.raises(ValueError, match="Pass `mode='max'`"):
        es.on_train_begin()


def test_missing_monitor_warns_and_does_not_stop():
    es = callbacks.EarlyStopping(monitor="val_loss", patience=0)
    with pytest.warns(UserWarning, match="not available"):
        epochs, _ = drive(es, [1.0, 2.0, 3.0], monitor="loss")
    assert epochs == 3


def test_min_delta_requires_a_real_improvement():
    es = callbacks.EarlyStopping(monitor="loss", patience=1, min_delta=0.1)
    epochs, _ = drive(es, [1.0, 0.95, 0.8], monitor="loss")
    assert epochs == 2  # 0.95 is not below 1.0 − 0.1


def test_early_stopping_in_a_real_fit_restores_the_best_weights():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(64, 3)).astype("float32"), rng.normal(size=(64, 1)).astype("float32")
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
    model.compile(optimizer=nn.optimizers.Adam(0.05), loss="mse")
    seen = []
    keeper = callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((logs["val_loss"], model.get_weights()))
    )
    es = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    model.fit(x, y, validation_data=(x[:16], y[:16] + 3), epochs=40, verbose=0, callbacks=[keeper, es])
    best = min(range(len(seen)), key=lambda i: seen[i][0])
    for restored, expected in zip(model.get_weights(), seen[best][1]):
        np.testing.assert_array_equal(restored, expected)


# --- ReduceLROnPlateau and LearningRateScheduler ------------------------------------------------------
def test_reduce_lr_on_plateau_with_cooldown_and_floor():
    model = tiny_model()  # SGD lr 0.5
    cb = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=1, cooldown=2, min_lr=0.2)
    logs_seen = []
    cb.set_model(model)
    cb.on_train_begin()
    for epoch, value in enumerate([1.0, 1.0, 1.0, 1.0, 1.0, 1.0]):
        logs = {"loss": value}
        cb.on_epoch_end(epoch, logs)
        logs_seen.append((logs["learning_rate"], float(model.optimizer.learning_rate)))
    # epoch 1: wait 1 ≥ 1 → 0.25, cooldown 2; epoch 2: in cooldown (2 → 1); epoch 3: counter 1 → 0, then
    # wait 1 → max(0.125, 0.2) = 0.2 (Keras counts in the epoch where the cooldown runs out)
    assert [after for _, after in logs_seen] == pytest.approx([0.5, 0.25, 0.25, 0.2, 0.2, 0.2])
    assert [before for before, _ in logs_seen] == pytest.approx([0.5, 0.5, 0.25, 0.25, 0.2, 0.2])
    with pytest.raises(ValueError, match="factor >= 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.5)


def test_reduce_lr_in_fit_logs_the_learning_rate():
    model = tiny_model()
    history = model.fit(
        np.ones((4, 1)),
        np.ones((4, 1)),
        epochs=3,
        verbose=0,
        callbacks=[callbacks.ReduceLROnPlateau(monitor="loss", patience=0, min_delta=10)],
    )
    # the rate used in each epoch is logged, the reduction takes effect from the next one
    assert history.history["learning_rate"] == pytest.approx([0.5, 0.5, 0.05])


def test_learning_rate_scheduler_two_and_one_argument_forms():
    model = tiny_model()
    history = model.fit(
        np.ones((4, 1)),
        np.ones((4, 1)),
        epochs=3,
        verbose=0,
        callbacks=[callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)],
    )
    assert history.history["learning_rate"] == pytest.approx([0.25, 0.125, 0.0625])
    history = model.fit(
        np.ones((4, 1)),
        np.ones((4, 1)),
        epochs=2,
        verbose=0,
        callbacks=[callbacks.LearningRateScheduler(lambda epoch: 0.1 / (epoch + 1))],
    )
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05])
    with pytest.raises(ValueError, match="should be a float"):
        model.fit(
            np.ones((4, 1)),
            np.ones((4, 1)),
            epochs=1,
            verbose=0,
            callbacks=[callbacks.LearningRateScheduler(lambda epoch, lr: "fast")],
        )


def test_lr_callbacks_refuse_a_schedule_clearly():
    model = nn.Sequential([nn.Input(shape=(1,)), layers.Dense(1)])
    model.compile(
        optimizer=nn.optimizers.SGD(nn.optimizers.schedules.ExponentialDecay(0.1, 10, 0.5)), loss="mse"
    )
    with pytest.raises(ValueError, match="is a schedule"):
        model.fit(np.ones((2, 1)), np.ones((2, 1)), verbose=0, callbacks=[callbacks.ReduceLROnPlateau()])
