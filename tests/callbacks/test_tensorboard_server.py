"""The real TensorBoard server reads what `neurona.callbacks.TensorBoard` writes: two runs are trained,
`tensorboard --logdir` is started from this Python environment, and its HTTP data routes (the ones the
dashboards call) must return the values of History, of the weights and of the layer outputs."""

import io
import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

import numpy as np
import pytest
from PIL import Image

import neurona
from neurona import Input, Sequential, layers, optimizers
from neurona.callbacks import TensorBoard

START_TIMEOUT = 60.0  # seconds for the server to answer and load both runs
RUNS = {"a/train", "a/validation", "a", "b/train", "b/validation", "b"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """Two runs under one parent folder, `a` and `b`, differing in the learning rate."""
    logdir = tmp_path_factory.mktemp("tensorboard")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(120, 4)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0.5).astype("int64")
    x_val, y_val = x[80:], y[80:]
    runs = {}
    for name, rate in (("a", 0.05), ("b", 0.3)):
        neurona.utils.clear_session()
        neurona.utils.set_random_seed(0)
        model = Sequential(
            [Input(shape=(4,)), layers.Dense(6, activation="relu"), layers.Dense(3, activation="softmax")]
        )
        model.compile(
            optimizer=optimizers.SGD(rate), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
        )
        callback = TensorBoard(
            logdir / name, histogram_freq=1, write_images=True, embeddings_freq=1, hparams={"trial": name}
        )
        history = model.fit(
            x[:80],
            y[:80],
            epochs=3,
            batch_size=16,
            validation_data=(x_val, y_val),
            verbose=0,
            callbacks=[callback],
        )
        runs[name] = (model, history.history)
    return logdir, runs, x_val, y_val


@pytest.fixture(scope="module")
def server(trained, tmp_path_factory):
    logdir = trained[0]
    port = free_port()
    log = open(tmp_path_factory.mktemp("server") / "tensorboard.log", "w+")
    command = [
        sys.executable,
        "-m",
        "tensorboard.main",
        "--logdir",
        str(logdir),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"tensorboard exited with {process.returncode}:\n{log.read()}")
            try:
                if set(get(base, "/data/runs")) >= RUNS:
                    break
            except (OSError, json.JSONDecodeError):  # not up yet (URLError, reset, timeout are OSErrors)
                pass
            if time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"tensorboard did not serve the runs within {START_TIMEOUT:.0f} s:\n{log.read()}")
            time.sleep(0.25)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()


def get(base, route, **query):
    url = base + route + ("?" + urllib.parse.urlencode(query) if query else "")
    with urllib.request.urlopen(url, timeout=20) as response:
        body = response.read()
    return json.loads(body)


def raw(base, route, **query):
    with urllib.request.urlopen(base + route + "?" + urllib.parse.urlencode(query), timeout=20) as response:
        return response.read()


def post(base, route, body):
    request = urllib.request.Request(
        base + route, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        return json.loads(response.read())


def f32(value):
    return float(np.float32(value))


def relu(z):
    return np.maximum(z, 0.0)


def test_runs_follow_keras_layout(server):
    assert set(get(server, "/data/runs")) == RUNS


def test_scalars_route_returns_history(server, trained):
    _, runs, _, _ = trained
    for name, (_, history) in runs.items():
        tags = get(server, "/data/plugin/scalars/tags")
        assert {"epoch_loss", "epoch_accuracy", "epoch_learning_rate"} <= set(tags[f"{name}/train"])
        assert {"epoch_loss", "epoch_accuracy", "evaluation_loss_vs_iterations"} <= set(
            tags[f"{name}/validation"]
        )
        for run, key, tag in [
            ("train", "loss", "epoch_loss"),
            ("validation", "val_loss", "epoch_loss"),
            ("validation", "val_accuracy", "epoch_accuracy"),
        ]:
            points = get(server, "/data/plugin/scalars/scalars", run=f"{name}/{run}", tag=tag)
            assert [(step, value) for _, step, value in points] == [
                (e, f32(v)) for e, v in enumerate(history[key])
            ]


def test_histograms_route_counts_every_weight(server, trained):
    _, runs, _, _ = trained
    model = runs["a"][0]
    tags = set(get(server, "/data/plugin/histograms/tags")["a/train"])
    assert {"dense/kernel/histogram", "activations/dense", "gradients/dense/kernel"} <= tags
    for weight in model.weights:
        points = get(
            server, "/data/plugin/histograms/histograms", run="a/train", tag=f"{weight.name}/histogram"
        )
        assert [step for _, step, _ in points] == [0, 1, 2]
        buckets = points[-1][2]  # [left, right, count] rows of the final weights
        assert sum(count for _, _, count in buckets) == weight.size
        assert buckets[0][0] == pytest.approx(float(weight.numpy().min()), abs=1e-6)


def test_hparams_routes_compare_the_two_runs(server, trained):
    _, runs, _, _ = trained
    experiment = post(server, "/data/plugin/hparams/experiment", {"experimentName": ""})
    names = {info["name"] for info in experiment["hparamInfos"]}
    assert {"trial", "optimizer", "learning_rate", "epochs", "architecture", "num_params"} <= names
    assert {info["name"]["tag"] for info in experiment["metricInfos"]} == {
        "hparams/loss",
        "hparams/accuracy",
        "hparams/val_loss",
        "hparams/val_accuracy",
    }
    statuses = ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]
    request = {
        "experimentName": "",
        "allowedStatuses": statuses,
        "colParams": [],
        "startIndex": 0,
        "sliceSize": 10,
    }
    groups = {
        group["name"]: group
        for group in post(server, "/data/plugin/hparams/session_groups", request)["sessionGroups"]
    }
    assert set(groups) == {"a", "b"}
    for name, rate in (("a", 0.05), ("b", 0.3)):
        assert groups[name]["hparams"]["trial"] == name
        assert groups[name]["hparams"]["learning_rate"] == rate
        assert groups[name]["hparams"]["optimizer"] == "SGD"
        history = runs[name][1]
        values = {metric["name"]["tag"]: metric["value"] for metric in groups[name]["metricValues"]}
        assert values["hparams/loss"] == f32(history["loss"][-1])
        assert values["hparams/val_accuracy"] == f32(history["val_accuracy"][-1])


def test_projector_routes_serve_the_layer_outputs(server, trained):
    _, runs, x_val, y_val = trained
    deadline = time.monotonic() + 20  # the plugin decides in a thread whether it is active
    while not get(server, "/data/plugins_listing")["projector"]["enabled"]:
        assert time.monotonic() < deadline, "the projector plugin never became active"
        time.sleep(0.25)
    assert set(get(server, "/data/plugin/projector/runs")) == {"a/train", "b/train"}
    config = get(server, "/data/plugin/projector/info", run="a/train")
    names = [embedding["tensorName"] for embedding in config["embeddings"]]
    assert names == ["dense:00000", "dense:00001", "dense:00002"]
    body = raw(server, "/data/plugin/projector/tensor", run="a/train", name="dense:00002")
    vectors = np.frombuffer(body, dtype=np.float32).reshape(len(x_val), 6)
    w, b = runs["a"][0].layers[0].get_weights()  # the final weights: the last embedding's
    np.testing.assert_allclose(vectors, relu(x_val @ w + b), rtol=1e-5, atol=1e-6)
    labels = (
        raw(server, "/data/plugin/projector/metadata", run="a/train", name="dense:00002")
        .decode()
        .splitlines()
    )
    assert labels == [str(k) for k in y_val]


def test_text_graph_pr_curve_and_image_routes(server, trained):
    _, runs, x_val, y_val = trained
    [summary] = get(server, "/data/plugin/text/text", run="a/train", tag="model_summary")
    assert "<pre><code>" in summary["text"] and "Total params: 51" in summary["text"]  # 4·6+6 + 6·3+3
    info = get(server, "/data/plugin/graphs/info")["a/train"]["tags"]["keras"]
    assert info["conceptual_graph"] is True
    graph = raw(server, "/data/plugin/graphs/graph", run="a/train", tag="keras", conceptual="true").decode()
    assert 'name: "sequential/dense"' in graph and 'input: "sequential/dense"' in graph
    # PR curve of class 0 at the last epoch: TP and FP counted by hand from the predictions
    [*_, last] = get(server, "/data/plugin/pr_curves/pr_curves", run="a/validation", tag="pr_curve/class_0")[
        "a/validation"
    ]
    # (the route drops the trailing thresholds that no prediction reaches)
    assert last["step"] == 2 and last["thresholds"] == pytest.approx(
        [i / 126 for i in range(len(last["thresholds"]))]
    )
    p = runs["a"][0].predict(x_val, verbose=0)[:, 0].astype(np.float64)
    for index in (0, len(last["thresholds"]) // 2, len(last["thresholds"]) - 1):
        predicted = np.floor(p * 126) >= index  # tensorboardX's bucket of p reaches threshold index / 126
        assert last["true_positives"][index] == int(np.sum(predicted & (y_val == 0)))
        assert last["false_positives"][index] == int(np.sum(predicted & (y_val != 0)))
    [*_, image] = get(server, "/data/plugin/images/images", run="a/train", tag="dense/kernel/image")
    pixels = Image.open(
        io.BytesIO(
            raw(server, "/data/plugin/images/individualImage", **dict(urllib.parse.parse_qsl(image["query"])))
        )
    )
    assert pixels.size == (6, 4)  # a 4 × 6 kernel: 4 rows, 6 columns
