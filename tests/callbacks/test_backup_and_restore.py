"""BackupAndRestore resumes exactly: an interrupted and resumed run ends with the same weights, bit for
bit, as a run that was never interrupted — also after a SIGKILL in the middle of an epoch."""

import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import neurona as nn
from neurona import callbacks, layers


class Crash(Exception):
    pass


def build(seed=7):
    nn.utils.set_random_seed(seed)
    model = nn.Sequential(
        [nn.Input(shape=(5,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3), layers.Dense(3)]
    )
    model.compile(
        optimizer=nn.optimizers.Adam(0.01),
        loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(100, 5)).astype("float32"), rng.integers(0, 3, 100)


def crash_at(global_batch):
    count = {"n": 0}

    def hook(batch, logs):
        count["n"] += 1
        if count["n"] == global_batch:
            raise Crash()

    return callbacks.LambdaCallback(on_train_batch_end=hook)


@pytest.mark.parametrize("save_freq, crash", [(3, 17), ("epoch", 30), (5, 13)])
def test_resumed_run_equals_uninterrupted_run(tmp_path, save_freq, crash):
    x, y = data()
    reference = build()
    ref_history = reference.fit(x, y, batch_size=8, epochs=4, verbose=0, validation_split=0.2).history

    backup = callbacks.BackupAndRestore(tmp_path / "backup", save_freq=save_freq)
    first = build()
    with pytest.raises(Crash):
        first.fit(
            x, y, batch_size=8, epochs=4, verbose=0, validation_split=0.2, callbacks=[backup, crash_at(crash)]
        )
    assert (tmp_path / "backup" / "backup.npz").exists()

    resumed = build(seed=99)  # a new process would rebuild the model; the backup replaces its state
    history = resumed.fit(
        x,
        y,
        batch_size=8,
        epochs=4,
        verbose=0,
        validation_split=0.2,
        callbacks=[callbacks.BackupAndRestore(tmp_path / "backup", save_freq=save_freq)],
    )
    for a, b in zip(reference.get_weights(), resumed.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(resumed.optimizer.iterations) == int(reference.optimizer.iterations) == 4 * 10
    assert history.history == ref_history  # the history, and even the losses of the resumed epoch
    assert not (tmp_path / "backup").exists()  # deleted after a normal end


def test_callback_state_is_restored(tmp_path):
    x, y = data()
    early = callbacks.EarlyStopping(monitor="val_loss", patience=50)
    first = build()
    with pytest.raises(Crash):  # crashes in epoch 3 (8 batches per epoch): the backup is from epoch 2's end
        first.fit(
            x,
            y,
            batch_size=10,
            epochs=5,
            verbose=0,
            validation_split=0.2,
            callbacks=[callbacks.BackupAndRestore(tmp_path), early, crash_at(20)],
        )
    seen = {}
    resumed_early = callbacks.EarlyStopping(monitor="val_loss", patience=50)
    spy = callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: seen.setdefault(
            epoch, (resumed_early.best, resumed_early.best_epoch)
        )
    )
    build().fit(
        x,
        y,
        batch_size=10,
        epochs=5,
        verbose=0,
        validation_split=0.2,
        callbacks=[callbacks.BackupAndRestore(tmp_path), resumed_early, spy],
    )
    assert min(seen) == 2  # resumed at epoch 2 (0-based)
    assert seen[2] == (early.best, early.best_epoch)


def test_backup_is_kept_after_a_nan_stop(tmp_path):
    x, y = data()
    model = build()
    model.compile(
        optimizer=nn.optimizers.SGD(1e30), loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    with np.errstate(all="ignore"):
        model.fit(
            x,
            y,
            batch_size=10,
            epochs=3,
            verbose=0,
            callbacks=[callbacks.BackupAndRestore(tmp_path, save_freq=1), callbacks.TerminateOnNaN()],
        )
    assert model._stopped_on_nan
    assert (tmp_path / "backup.npz").exists()


def test_arguments_are_checked():
    with pytest.raises(ValueError, match="Empty `backup_dir`"):
        callbacks.BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        callbacks.BackupAndRestore("/tmp/x", save_freq=0)


def test_a_corrupt_backup_is_a_clear_error(tmp_path):
    (tmp_path / "backup.npz").write_bytes(b"not a backup")
    x, y = data()
    with pytest.raises(ValueError, match="cannot be read"):
        build().fit(x, y, epochs=1, verbose=0, callbacks=[callbacks.BackupAndRestore(tmp_path)])


SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    import neurona as nn
    mode, backup_dir, out = sys.argv[1], sys.argv[2], sys.argv[3]
    nn.utils.set_random_seed(11)
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(100, 5)).astype("float32"), rng.integers(0, 3, 100)
    model = nn.Sequential([nn.Input(shape=(5,)), nn.layers.Dense(32, activation="relu"), nn.layers.Dropout(0.5),
                           nn.layers.Dense(3)])
    model.compile(optimizer="adam", loss=nn.losses.SparseCategoricalCrossentropy(from_logits=True))
    cbs = []
    if mode != "plain":
        cbs.append(nn.callbacks.BackupAndRestore(backup_dir, save_freq=3))
    if mode == "kill":
        seen = {"n": 0}
        def hook(batch, logs):
            seen["n"] += 1
            if seen["n"] == 17:  # mid-epoch (13 batches per epoch), two batches after the last backup
                os.kill(os.getpid(), signal.SIGKILL)
        cbs.append(nn.callbacks.LambdaCallback(on_train_batch_end=hook))
    model.fit(x, y, batch_size=8, epochs=3, verbose=0, callbacks=cbs)
    np.savez(out, *model.get_weights())
""")


def test_sigkill_mid_epoch_then_resume_is_bit_identical(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

    def run(mode, out):
        return subprocess.run(
            [sys.executable, str(script), mode, str(tmp_path / "backup"), str(out)],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    plain = run("plain", tmp_path / "plain.npz")
    assert plain.returncode == 0, plain.stderr
    killed = run("kill", tmp_path / "never.npz")
    assert killed.returncode == -signal.SIGKILL
    assert (tmp_path / "backup" / "backup.npz").exists() and not (tmp_path / "never.npz").exists()
    resumed = run("resume", tmp_path / "resumed.npz")
    assert resumed.returncode == 0, resumed.stderr
    with np.load(tmp_path / "plain.npz") as a, np.load(tmp_path / "resumed.npz") as b:
        for key in a.files:
            np.testing.assert_array_equal(a[key], b[key])
