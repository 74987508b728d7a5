"""bench/run.py and bench/scaling.py helpers: peer loading and installing, timing, tables, W4 data."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import run  # noqa: E402
import scaling  # noqa: E402
import workloads  # noqa: E402

MISSING = run.PeerSpec(
    "ghost", "ghost", "bench_module_that_does_not_exist", "Ghost", None, pip=("ghost-pkg",)
)


def test_missing_peer_is_skipped_with_a_reason_when_installing_is_off(capsys):
    assert run.import_peer_module(MISSING, install=None) is None
    err = capsys.readouterr().err
    assert "skipping peer 'ghost'" in err and "pip install ghost-pkg" in err


def test_missing_peer_is_installed_once_then_skipped_if_still_missing(capsys):
    calls = []

    def install(requirements):
        calls.append(requirements)
        return True

    assert run.import_peer_module(MISSING, install) is None
    assert calls == [("ghost-pkg",)]
    assert "still cannot import" in capsys.readouterr().err


def test_pip_installer_runs_pip_once_per_requirement_set():
    commands = []

    def fake_run(command, **kwargs):
        commands.append(command)
        return subprocess.CompletedProcess(command, 1, stdout="", stderr="ERROR: no such package")

    installer = run.PipInstaller(runner=fake_run)
    assert installer(("keras", "jax")) is False
    assert installer(("keras", "jax")) is False
    assert commands == [[sys.executable, "-m", "pip", "install", "keras", "jax"]]


def test_peer_specs_cover_the_requested_peers():
    pips = {spec.column: spec.pip for spec in run.PEER_SPECS}
    assert pips["torch"] == ("torch==2.13.0",)
    assert pips["keras/jax"] == ("keras", "jax")
    assert pips["sklearn"] == ("scikit-learn",)
    assert run.COLUMNS[0] == "neurona" and "sklearn" in run.COLUMNS


def test_measure_interleaved_rotates_and_drops_failures():
    order = []

    def task(name):
        def call():
            order.append(name)
            if name == "c" and len(order) > 3:
                raise RuntimeError("boom")
            return [1.0]

        return call

    samples = run.measure_interleaved({k: task(k) for k in "abc"}, reps=2)
    # warm-up a b c; rep 1 a b c (c fails, dropped); rep 2 starts at b
    assert order == ["a", "b", "c", "a", "b", "c", "b", "a"]
    assert samples == {"a": [1.0, 1.0], "b": [1.0, 1.0], "c": []}


def test_table_has_a_ratio_for_every_peer_and_na_where_missing():
    row = run.Row("W4 Playground fit", 10, "s/100-epoch fit", {"neurona": [2.0, 4.0, 3.0], "sklearn": [1.5]})
    header, _, line = run.markdown_table([row]).splitlines()
    cells = dict(zip(header.strip("| ").split(" | "), line.strip("| ").split(" | ")))
    assert cells["neurona"] == "3" and cells["sklearn"] == "1.5"
    assert cells["neurona/sklearn"] == "2.00×"
    assert cells["matmul bound"] == "n/a" and cells["neurona/bound"] == "n/a"
    assert {"neurona/numpy", "neurona/torch", "neurona/keras"} <= set(cells)


class _FakePeer:
    def __init__(self, first, steady):
        self.times = [first] + [steady] * 10

    def train_epoch(self, x, y, batch_size):
        return self.times.pop(0)


def test_warmup_rows_separate_first_and_steady_epochs(monkeypatch):
    monkeypatch.setattr(run, "time_once", lambda fn: fn())
    made = []

    def factory():
        made.append(1)
        return _FakePeer(first=3.0 if len(made) == 1 else 1.5, steady=1.0)

    data = workloads.make_dataset(4, test_samples=1)
    rows = run.run_warmup({"neurona": factory}, data, [32, 128], models=2, steady_epochs=2)
    assert [(r.column, r.batch) for r in rows] == [("neurona", 32), ("neurona", 128)]
    assert rows[0].first == [3.0, 1.5] and rows[0].steady == [1.0] * 4
    assert rows[0].process_first == 3.0 and rows[1].process_first is None
    assert "| neurona | 32 | 2.25 | 1 | 2.25× | 3 | 3.00× |" in run.warmup_table(rows)


@pytest.mark.parametrize("use_neurona", [True, False])
def test_playground_data_is_the_circle(monkeypatch, use_neurona):
    if use_neurona:
        pytest.importorskip("neurona")
        x, y, source = workloads.make_playground_data()
        assert "neurona" in source
    else:
        x, y = workloads.circle_numpy()
        y = y.reshape(-1, 1)
    assert x.shape == (500, 2) and x.dtype == np.float32
    assert y.shape == (500, 1) and y.dtype == np.float32
    radius = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_array_equal(y[:, 0], np.where(radius < 2.5, 1.0, -1.0))
    assert (y == 1).sum() == 250 and radius.max() <= 5.0


def test_sklearn_peers_match_the_workloads():
    pytest.importorskip("sklearn")
    import peers_sklearn

    playground = peers_sklearn.SklearnPlayground()
    x, y, _ = workloads.make_playground_data()
    playground.fit(x, y, batch_size=10, epochs=2)
    model = playground.model
    assert model.n_iter_ == 2 and model.hidden_layer_sizes == (4, 2)
    assert (model.solver, model.activation, model.momentum, model.alpha) == ("sgd", "tanh", 0.0, 0.0)
    assert playground.predict(x).shape == (500, 1)

    classifier = peers_sklearn.SklearnMLP((784, 16, 10))
    data = workloads.make_dataset(256, test_samples=1)
    for _ in range(2):
        classifier.train_epoch(data.x_train, data.y_train, batch_size=32)
    # partial_fit keeps the Adam state: 2 epochs of 8 steps
    assert classifier.model._optimizer.t == 16
    assert classifier.model.coefs_[0].dtype == np.float32


def test_scaling_plan_and_sample_counts():
    plan = scaling.sweeps()
    assert len(plan) == 9 and len({config for _, config in plan}) == 7
    assert scaling.Config(512, 2, 128).sizes == (784, 512, 512, 10)
    for _, config in plan:
        samples = scaling.samples_for(config, 1e11, min_steps=8)
        assert samples % config.batch == 0
        assert config.batch * 8 <= samples <= workloads.TRAIN_SAMPLES
    assert scaling.samples_for(scaling.Config(128, 2, 128), 1e15, 8) == 59904
