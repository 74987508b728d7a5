"""Kill -9 during saves never leaves a torn file: the target is absent or a complete earlier version."""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np

import neurona as nn
from neurona.models import load_model
from neurona.saving import DEFAULT_LIMITS
from neurona.saving.model_file import open_weights_file

SAVER = textwrap.dedent(
    """
    import sys
    import numpy as np
    import neurona as nn

    model_path, weights_path = sys.argv[1], sys.argv[2]
    model = nn.Sequential([nn.Input(shape=(512,)), nn.layers.Dense(1024), nn.layers.Dense(512)])  # 4 MB
    model.compile(optimizer="adam", loss="mse")
    print("ready", flush=True)
    version = 0
    while True:
        version += 1
        model.set_weights([np.full(w.shape, version, w.dtype) for w in model.get_weights()])
        model.save(model_path)
        model.save_weights(weights_path)
    """
)


def version_of(arrays):
    """The one version number every array holds (fails if the arrays mix versions or are partial)."""
    values = {float(v) for array in arrays for v in np.unique(array)}
    assert len(values) == 1, values
    return values.pop()


def test_sigkill_during_saves_never_leaves_a_torn_file(tmp_path):
    rng = random.Random(0)
    seen = []
    for trial in range(5):
        model_path = tmp_path / f"trial{trial}.keras"
        weights_path = tmp_path / f"trial{trial}.weights.npz"
        process = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(model_path), str(weights_path)],
            stdout=subprocess.PIPE,
            env={**os.environ, "OPENBLAS_NUM_THREADS": "1"},
        )
        try:
            assert process.stdout.readline().strip() == b"ready"
            time.sleep(rng.uniform(0.05, 0.6))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
            process.stdout.close()
        if model_path.exists():
            model = load_model(model_path)  # must load completely: never ModelFileError
            seen.append(version_of(model.get_weights()))
        if weights_path.exists():
            reader = open_weights_file(weights_path, DEFAULT_LIMITS)
            version_of([reader.read(key) for key in reader.keys()])
            reader.close()
        # a kill mid-write may leave the writer's hidden temp file, never anything under the real names
        assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} <= {
            f"trial{t}.{suffix}" for t in range(trial + 1) for suffix in ("keras", "weights.npz")
        }
    assert seen, "no trial got as far as one complete save; lengthen the sleep"


def test_a_failed_save_keeps_the_previous_file(tmp_path):
    model = nn.Sequential([nn.Input(shape=(3,)), nn.layers.Dense(2)])
    model.save(tmp_path / "m.keras")
    before = (tmp_path / "m.keras").read_bytes()

    def unregistered(y_true, y_pred):
        return y_pred

    model.compile(optimizer="sgd", loss=unregistered)  # cannot be saved
    try:
        model.save(tmp_path / "m.keras")
    except ValueError:
        pass
    assert (tmp_path / "m.keras").read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["m.keras"]
