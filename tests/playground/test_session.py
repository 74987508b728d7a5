"""A Playground session: the network built from the state, training semantics, alerts, frames, export."""

import base64
import math
import subprocess
import sys

import numpy as np
import pytest

import neurona as nn
from neurona.playground import export, network
from neurona.playground.session import Session
from neurona.playground.state import State


def decoded(heatmap):
    return np.frombuffer(base64.b64decode(heatmap["data"]), dtype=np.uint8)


def play_until(session, epochs):
    """Play with stopEpoch = `epochs` until the stop alert; return the last replies."""
    session.set_state(session.state.replace(stop_epoch=epochs))
    session.handle({"type": "play"})
    replies = []
    while session.running:
        replies = session.train_chunk(budget_s=60)
    return replies


def test_the_network_follows_the_state():
    state = State(
        seed="1", network_shape=(3, 2), layer_activations=("relu", "sigmoid"), features=("x", "y", "sinX")
    )
    model = Session(state).model
    dense = network.dense_layers(model)
    assert [layer.get_weights()[0].shape for layer in dense] == [(3, 3), (3, 2), (2, 1)]
    assert [layer.activation.__name__ for layer in dense] == ["relu", "sigmoid", "tanh"]
    for layer in dense:
        kernel, bias = layer.get_weights()
        assert (np.abs(kernel) <= 0.5).all() and np.ptp(kernel) > 0
        np.testing.assert_allclose(bias, 0.1)
    zero = Session(State(seed="1", init_zero=True)).model.get_weights()
    assert all((w == 0).all() for w in zero)


@pytest.mark.parametrize(
    "changes, output, units",
    [
        ({"problem": "regression"}, "linear", 1),
        ({"loss": "bce"}, "sigmoid", 1),
        ({"problem": "multiclass", "classes": 5}, "softmax", 5),
    ],
)
def test_output_layers(changes, output, units):
    model = Session(State(seed="1", **changes)).model
    last = network.dense_layers(model)[-1]
    assert (last.activation.__name__, last.units) == (output, units)


def test_dropout_layers_and_regularizers():
    model = Session(State(seed="1", dropout=0.2, regularization="L2", regularization_rate=0.1)).model
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense",
        "Dropout",
        "Dense",
        "Dropout",
        "Dense",
    ]
    assert network.dense_layers(model)[0].kernel_regularizer.l2 == pytest.approx(
        0.05
    )  # ½·rate·w² → L2(rate/2)


def test_reset_keeps_the_initial_weights_and_new_weights_changes_them():
    session = Session(State(seed="1"))
    initial = session.model.get_weights()
    for _ in range(3):
        session.handle({"type": "step"})
    assert session.epoch == 3 and not np.allclose(session.model.get_weights()[0], initial[0])
    frame = session.handle({"type": "reset"})[0]
    assert frame["epoch"] == 0 and frame["history"][0][0] == 0
    for before, after in zip(initial, session.model.get_weights()):
        np.testing.assert_array_equal(before, after)
    replies = session.handle({"type": "reset", "newWeights": True})
    assert replies[0]["type"] == "state" and replies[0]["state"]["initSeed"] == 1
    assert not np.array_equal(session.model.get_weights()[0], initial[0])


@pytest.mark.parametrize("batch_size, steps", [(10, 25), (30, 9), (1, 250), (7, 36)])
def test_one_epoch_is_ceil_n_over_batch_steps(batch_size, steps):
    session = Session(State(seed="1", batch_size=batch_size))
    session.handle({"type": "step"})
    assert int(session.model.optimizer.iterations.numpy()) == steps == math.ceil(250 / batch_size)


def test_one_sgd_epoch_by_hand():
    # 0 hidden layers: o = tanh(x·w + b), loss ½(o − t)² averaged over the batch, so for a batch
    # dL/dz = (o − t)(1 − o²)/n, dL/dw = xᵀ dL/dz, dL/db = Σ dL/dz; w ← w − lr·dL/dw. 50 train points in
    # batches of 30 and 20: two steps.
    state = State(seed="7", network_shape=(), batch_size=30, perc_train_data=10, learning_rate=0.3)
    session = Session(state)
    w, b = (a.astype("float64") for a in session.model.get_weights())
    x, t = session.x_train.astype("float64"), session.data.y_train.astype("float64")
    for start in (0, 30):
        xb, tb = x[start : start + 30], t[start : start + 30]
        o = np.tanh(xb @ w + b)[:, 0]
        dz = ((o - tb) * (1 - o**2) / len(tb))[:, None]
        w, b = w - 0.3 * xb.T @ dz, b - 0.3 * dz.sum(axis=0)
    session.handle({"type": "step"})
    np.testing.assert_allclose(session.model.get_weights()[0], w, atol=1e-5)
    np.testing.assert_allclose(session.model.get_weights()[1], b, atol=1e-5)
    o = np.tanh(x @ w + b)[:, 0]
    assert session.loss["train"] == pytest.approx(np.mean(0.5 * (o - t) ** 2), abs=1e-5)


def test_the_circle_is_learned_with_the_default_network():
    session = Session(State(seed="0.5"))  # everything at the TF Playground's defaults (lr 0.03, 4-2, tanh)
    replies = play_until(session, 150)
    assert session.epoch == 150 and replies[-1]["kind"] == "stop" and not session.running
    assert session.loss["test"] < 0.1 and session.accuracy["test"] > 0.95


def test_multiclass_blobs_train_to_high_accuracy():
    session = Session(State(seed="1", problem="multiclass", classes=4, learning_rate=0.1))
    play_until(session, 30)
    assert session.accuracy["test"] > 0.9 and session.loss["test"] < 0.5


@pytest.mark.parametrize(
    "changes, phrase",
    [
        ({"learning_rate": 10.0, "regularization": "L2", "regularization_rate": 10.0}, "regularization rate"),
        ({"problem": "regression", "learning_rate": 3.0}, "learning rate 3 is too high"),
    ],
)
def test_divergence_alerts_pauses_and_rewinds(changes, phrase):
    session = Session(State(seed="1", **changes))
    session.handle({"type": "play"})
    replies = session.train_chunk(budget_s=5)
    frame, alert = replies[0], replies[-1]
    assert alert["type"] == "alert" and alert["kind"] == "divergence" and phrase in alert["message"]
    assert "last finite" in alert["message"] and not session.running and not frame["running"]
    assert math.isfinite(frame["loss"]["test"]) and all(
        np.isfinite(w).all() for w in session.model.get_weights()
    )
    assert frame["epoch"] == session.epoch


def test_stop_conditions():
    session = Session(State(seed="0.5", learning_rate=0.3))
    session.set_state(session.state.replace(stop_loss=0.05))
    session.handle({"type": "play"})
    replies = []
    while session.running:
        replies = session.train_chunk(budget_s=60)
    assert replies[-1]["kind"] == "stop" and "stopLoss" in replies[-1]["message"]
    assert session.loss["test"] <= 0.05
    again = session.handle({"type": "play"})  # already met: not started
    assert again[0]["kind"] == "stop" and not session.running
    assert session.handle({"type": "step"})[0]["epoch"] == session.epoch  # a step still trains one epoch


def test_frames_have_the_documented_shapes():
    session = Session(State(seed="1", network_shape=(3,), features=("x", "y", "xTimesY")))
    session.handle({"type": "hello"})
    frame = session.handle({"type": "step"})[0]
    assert frame["output"]["w"] == frame["output"]["h"] == 100 and len(decoded(frame["output"])) == 10_000
    assert [len(layer) for layer in frame["neurons"]] == [3, 3]
    assert all(len(decoded(h)) == 100 and h["w"] == 10 for layer in frame["neurons"] for h in layer)
    assert np.array(frame["weights"][0]).shape == (3, 3) and np.array(frame["weights"][1]).shape == (3, 1)
    assert [len(b) for b in frame["biases"]] == [3, 1]
    assert frame["history"] == [[1, frame["loss"]["train"], frame["loss"]["test"]]]
    assert "points" not in frame  # only when the data changed
    x1 = decoded(frame["neurons"][0][0]).reshape(10, 10)
    assert x1[0, 0] == 0 and x1[0, -1] == 255 and (x1[:, 0] == 0).all()  # X1 grows left to right, clamped
    hover = session.handle({"type": "hover", "node": [1, 2]})[0]
    assert hover["type"] == "neuron" and len(decoded(hover["heatmap"])) == 10_000
    regenerated = session.handle({"type": "regenerate"})
    assert "points" in regenerated[-1] and len(regenerated[-1]["points"]["train"]) == 250


def test_multiclass_frames_carry_the_class_and_confidence():
    session = Session(State(seed="1", problem="multiclass", classes=3))
    frame = session.handle({"type": "hello"})[-1]
    data = decoded(frame["output"]).reshape(-1, 2)
    assert frame["output"]["classes"] == 3 and len(data) == 10_000
    assert set(np.unique(data[:, 0])) <= {0, 1, 2} and data[:, 1].min() >= 255 // 3


def test_editing_a_weight_changes_the_output():
    session = Session(State(seed="1"))
    before = decoded(session.frame()["output"])
    frame = session.handle({"type": "set_weight", "layer": 2, "from": 0, "to": 0, "value": 4.5})[0]
    assert frame["weights"][2][0][0] == 4.5 and not np.array_equal(before, decoded(frame["output"]))
    frame = session.handle({"type": "set_bias", "layer": 0, "unit": 3, "value": -2})[0]
    assert frame["biases"][0][3] == -2
    for bad in (
        {"type": "set_weight", "layer": 3, "from": 0, "to": 0, "value": 1},
        {"type": "set_weight", "layer": 0, "from": 2, "to": 0, "value": 1},
        {"type": "set_bias", "layer": 0, "unit": 0, "value": float("nan")},
        {"type": "set_bias", "layer": 0, "unit": True, "value": 1},
    ):
        assert session.handle(bad)[0]["type"] == "error"


def test_set_state_resets_only_when_the_tf_playground_does():
    session = Session(State(seed="1"))
    session.handle({"type": "step"})
    replies = session.handle({"type": "set_state", "state": {"learningRate": 0.3, "showTestData": True}})
    assert [r["type"] for r in replies] == ["state"] and session.epoch == 1
    assert session.model.optimizer.learning_rate.numpy() == pytest.approx(0.3)
    replies = session.handle({"type": "set_state", "state": {"activation": "relu"}})
    assert replies[-1]["type"] == "frame" and replies[-1]["epoch"] == 0 and "points" not in replies[-1]
    replies = session.handle({"type": "set_state", "state": {"noise": 20}})
    assert "points" in replies[-1]
    replies = session.handle({"type": "set_state", "state": {"networkShape": [9]}})
    assert replies[0]["type"] == "error" and "8 units" in replies[0]["message"]
    assert session.state.network_shape == (4, 2)
    replies = session.handle({"type": "set_state", "state": {"largeLimits": True}})
    assert [r["type"] for r in replies] == ["state", "warning"]
    assert [r["type"] for r in session.handle({"type": "set_state", "state": {"networkShape": [9]}})][
        0
    ] == "state"


@pytest.mark.parametrize(
    "message",
    [None, [], {"type": 3}, {"type": "fly"}, {"type": "set_state"}, {"type": "reset", "newWeights": "yes"}],
)
def test_malformed_messages_get_an_error(message):
    replies = Session(State(seed="1")).handle(message)
    assert len(replies) == 1 and replies[0]["type"] == "error" and replies[0]["message"]


def test_csv_upload_and_columns():
    session = Session(State(seed="1"))
    assert session.handle({"type": "csv_columns", "x1": "a", "x2": "b", "label": "c"})[0]["type"] == "error"
    rows = "\n".join(f"{i},{(i * 7) % 11},{i % 2}" for i in range(40))
    answer = session.upload_csv(("a,b,c\n" + rows).encode())
    assert answer["columns"] == ["a", "b", "c"] and answer["rows"] == 40 and len(answer["preview"]) == 5
    replies = session.handle({"type": "csv_columns", "x1": "a", "x2": "b", "label": "c"})
    assert replies[0]["state"]["dataset"] == "csv" and len(replies[-1]["points"]["train"]) == 20
    bad = session.handle({"type": "csv_columns", "x1": "a", "x2": "b", "label": "nope"})
    assert bad[0]["type"] == "error" and "no column 'nope'" in bad[0]["message"]


def test_exported_model_loads_back_with_the_same_predictions(tmp_path):
    session = Session(
        State(seed="1", loss="bce", optimizer="adam", regularization="L1", regularization_rate=0.001)
    )
    for _ in range(2):
        session.handle({"type": "step"})
    path = tmp_path / "model.keras"
    path.write_bytes(export.model_bytes(session))
    loaded = nn.models.load_model(str(path))
    np.testing.assert_allclose(
        loaded.predict(session.x_test, verbose=0), session.model.predict(session.x_test, verbose=0)
    )


def test_the_exported_script_runs_and_reaches_the_same_loss(tmp_path):
    session = Session(
        State(seed="0.5", learning_rate=0.1, network_shape=(3,), features=("x", "y", "xSquared"))
    )
    for _ in range(4):
        session.handle({"type": "step"})
    script = tmp_path / "playground_model.py"
    script.write_text(export.script(session))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    values = dict(item.split("=") for item in result.stdout.split())
    assert values["epochs"] == "4"
    assert float(values["test_loss"]) == pytest.approx(session.loss["test"], abs=1e-4)
    assert float(values["train_loss"]) == pytest.approx(session.loss["train"], abs=1e-4)


@pytest.mark.parametrize("speed, expected", [(1, 1), (2, 2), (5, 5)])
def test_each_update_while_playing_trains_speed_epochs(speed, expected):
    session = Session(State(seed="3", speed=speed))
    session.handle({"type": "play"})
    replies = session.train_chunk(budget_s=60)
    assert session.epoch == expected and replies[0]["type"] == "frame" and replies[0]["epoch"] == expected


def test_speed_zero_trains_as_many_epochs_as_fit_and_changing_it_keeps_the_network():
    session = Session(State(seed="3", speed=0))
    before = [w.copy() for w in session.model.get_weights()]
    session.handle({"type": "set_state", "state": {"speed": 1}})
    assert session.state.speed == 1 and all(
        np.array_equal(a, b) for a, b in zip(before, session.model.get_weights())
    )  # speed is not a reset
    session.handle({"type": "set_state", "state": {"speed": 0}})
    session.handle({"type": "play"})
    session.train_chunk(budget_s=0.5)  # the default network does hundreds of epochs per second
    assert session.epoch > 5
