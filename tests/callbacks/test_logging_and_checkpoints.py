"""CSVLogger, TerminateOnNaN, the History across fits, and ModelCheckpoint's decisions (which epochs are
saved, under which names) with the model's save methods recorded instead of writing files."""

import csv
import math

import numpy as np
import pytest

import neurona as nn
from neurona import callbacks, layers


def model_and_data():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(40, 3)).astype("float32"), rng.normal(size=(40, 1)).astype("float32")
    model = nn.Sequential([nn.Input(shape=(3,)), layers.Dense(1)])
    model.compile(optimizer=nn.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
    return model, x, y


def test_csv_logger_writes_sorted_keys_and_flushes_each_epoch(tmp_path):
    model, x, y = model_and_data()
    path = tmp_path / "log.csv"
    rows_seen = []

    class Reader(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            with open(path) as handle:  # readable while training runs
                rows_seen.append(len(handle.read().splitlines()))

    history = model.fit(
        x, y, epochs=3, verbose=0, validation_split=0.25, callbacks=[callbacks.CSVLogger(path), Reader()]
    )
    rows = list(csv.DictReader(open(path)))
    assert list(rows[0]) == ["epoch", "loss", "mae", "val_loss", "val_mae"]
    assert [int(r["epoch"]) for r in rows] == [0, 1, 2]
    assert float(rows[2]["val_loss"]) == pytest.approx(history.history["val_loss"][2])
    assert rows_seen == [2, 3, 4]  # header + one row per epoch, flushed before the next callback ran


def test_csv_logger_append_keeps_the_header_and_na_for_missing(tmp_path):
    model, x, y = model_and_data()
    path = tmp_path / "log.csv"
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callbacks.CSVLogger(path, separator=";")])
    model.fit(x, y, epochs=1, verbose=0, callbacks=[callbacks.CSVLogger(path, separator=";", append=True)])
    lines = open(path).read().splitlines()
    assert lines[0] == "epoch;loss;mae;val_loss;val_mae"  # val_ columns exist from the start, as in Keras
    assert len(lines) == 3 and lines[1].endswith(";NA;NA")


def test_terminate_on_nan_stops_gracefully_or_raises():
    model, x, y = model_and_data()
    model.compile(optimizer=nn.optimizers.SGD(1e30), loss="mse")
    ended = []
    with np.errstate(all="ignore"):
        history = model.fit(
            x,
            y,
            epochs=5,
            batch_size=4,
            verbose=0,
            callbacks=[
                callbacks.TerminateOnNaN(),
                callbacks.LambdaCallback(on_train_end=lambda logs: ended.append(1)),
            ],
        )
        assert len(history.epoch) == 1 and ended == [1] and not math.isfinite(history.history["loss"][0])
        with pytest.raises(RuntimeError, match="NaN or Inf loss encountered at batch"):
            model.fit(
                x,
                y,
                epochs=5,
                batch_size=4,
                verbose=0,
                callbacks=[callbacks.TerminateOnNaN(raise_error=True)],
            )


def test_history_grows_across_fits_that_continue_with_initial_epoch():
    model, x, y = model_and_data()
    model.fit(x, y, epochs=3, verbose=0)
    history = model.fit(x, y, epochs=5, initial_epoch=3, verbose=0)
    assert history.epoch == [0, 1, 2, 3, 4] and len(history.history["loss"]) == 5
    assert model.history is history
    fresh = model.fit(x, y, epochs=2, verbose=0)  # starting again from epoch 0 starts a new history
    assert fresh.epoch == [0, 1]


class SaveRecorder:
    """Replaces model.save / model.save_weights: records (kind, path, weights) instead of writing."""

    def __init__(self, model):
        self.saved = []
        model.save = lambda path, **kw: self.saved.append(("model", path, model.get_weights()))
        model.save_weights = lambda path, **kw: self.saved.append(("weights", path, model.get_weights()))


def drive_checkpoint(checkpoint, values, monitor="val_loss"):
    model, _, _ = model_and_data()
    recorder = SaveRecorder(model)
    checkpoint.set_model(model)
    checkpoint.on_train_begin()
    for epoch, value in enumerate(values):
        checkpoint.on_epoch_begin(epoch)
        checkpoint.on_epoch_end(epoch, {monitor: value, "loss": 1.0 / (epoch + 1)})
    return recorder.saved


def test_checkpoint_names_are_one_based_and_formatted_from_logs(tmp_path):
    cp = callbacks.ModelCheckpoint(str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.3f}.keras"))
    saved = drive_checkpoint(cp, [0.5, 0.4])
    assert [p.split("/")[-1] for _, p, _ in saved] == ["ckpt-01-0.500.keras", "ckpt-02-0.400.keras"]


def test_save_best_only_never_takes_nan_as_best(tmp_path):
    # Keras 3.15.1 saves only epoch 1 (the NaN model); neurona saves at epochs 2, 3, 4 with best 0.3
    cp = callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.keras"), save_best_only=True)
    saved = drive_checkpoint(cp, [math.nan, 0.5, 0.4, 0.3])
    assert [p.split("/")[-1] for _, p, _ in saved] == ["e2.keras", "e3.keras", "e4.keras"]
    assert cp.best == 0.3


def test_save_best_only_with_a_missing_monitor_raises(tmp_path):
    cp = callbacks.ModelCheckpoint(
        str(tmp_path / "m.keras"), monitor="val_acc", save_best_only=True, mode="max"
    )
    with pytest.raises(KeyError, match="not in the logs"):
        drive_checkpoint(cp, [0.5], monitor="val_loss")


def test_initial_value_threshold_and_weights_only(tmp_path):
    cp = callbacks.ModelCheckpoint(
        str(tmp_path / "w{epoch}.weights.npz"),
        save_best_only=True,
        save_weights_only=True,
        initial_value_threshold=0.45,
    )
    saved = drive_checkpoint(cp, [0.5, 0.4, 0.42])
    assert [(kind, p.split("/")[-1]) for kind, p, _ in saved] == [("weights", "w2.weights.npz")]


def test_every_n_batches_and_batch_field(tmp_path):
    model, x, y = model_and_data()
    recorder = SaveRecorder(model)
    cp = callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}-b{batch}.keras"), save_freq=4)
    model.fit(x, y, batch_size=5, epochs=2, verbose=0, callbacks=[cp])  # 8 batches per epoch
    names = [p.split("/")[-1] for _, p, _ in recorder.saved]
    assert names == ["e1-b4.keras", "e1-b8.keras", "e2-b4.keras", "e2-b8.keras"]


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        ({"filepath": "model.h5x"}, ValueError, "must end in .keras"),
        ({"filepath": "w.keras", "save_weights_only": True}, ValueError, ".weights.npz"),
        ({"filepath": "m.keras", "save_freq": "sometimes"}, ValueError, "Unrecognized save_freq"),
    ],
)
def test_checkpoint_argument_errors(kwargs, error, match):
    with pytest.raises(error, match=match):
        callbacks.ModelCheckpoint(**kwargs)


def test_unknown_format_key_and_directory_path(tmp_path):
    cp = callbacks.ModelCheckpoint(str(tmp_path / "{epoch}-{val_acc}.keras"))
    with pytest.raises(KeyError, match="Failed to format this callback filepath"):
        drive_checkpoint(cp, [0.5])
    (tmp_path / "dir.keras").mkdir()
    with pytest.raises(IsADirectoryError, match="non-directory filepath"):
        drive_checkpoint(callbacks.ModelCheckpoint(str(tmp_path / "dir.keras")), [0.5])
