"""One Playground session (one browser tab): its state, data, network, training and messages.

A `Session` knows nothing of sockets: `handle(message)` takes a client message (protocol §3.2) and
returns the server messages to send (§3.3); `train_chunk()` runs the epochs of one frame while playing.
It is not thread-safe: the server runs one call at a time per session.

>>> session = Session(State(seed="0.5"))
>>> [m["type"] for m in session.handle({"type": "hello"})]
['session', 'state', 'frame']
>>> frame = session.handle({"type": "step"})[0]
>>> frame["epoch"], frame["output"]["w"], len(frame["weights"])
(1, 100, 3)
"""

from __future__ import annotations

import math
import secrets
import time
from typing import Any

import numpy as np

import neurona as nn

from . import datasets, frames, network
from .features import feature_matrix
from .state import State, draw_seed

#: Keys whose change regenerates the data (and resets the network).
DATA_KEYS = {"problem", "dataset", "regDataset", "noise", "percTrainData", "seed", "classes"}
#: Keys whose change keeps the network as it is (everything else resets it, as in the TF Playground).
KEEP_KEYS = {
    "learningRate", "showTestData", "discretize", "stopLoss", "stopEpoch", "hideText", "largeLimits", "speed",
}  # fmt: skip
MESSAGE_TYPES = (
    "hello", "set_state", "play", "pause", "step", "reset", "regenerate", "set_weight", "set_bias",
    "csv_columns", "hover",
)  # fmt: skip
PLAY_BUDGET_S = 0.02
MAX_EPOCHS_PER_CHUNK = 10_000


def _error(message: str) -> dict[str, Any]:
    return {"type": "error", "message": message}


def _int_field(message: dict[str, Any], key: str, size: int, what: str) -> int:
    value = message.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < size:
        raise ValueError(
            f"`{key}` must be an integer from 0 to {size - 1} ({what}). Received: {key}={value!r}"
        )
    return value


def _value_field(message: dict[str, Any]) -> float:
    value = message.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"`value` must be a finite number. Received: value={value!r}")
    if abs(value) > 1e6:
        raise ValueError(f"`value` must lie within ±1e6. Received: value={value!r}")
    return float(value)


class _Watcher(nn.callbacks.Callback):
    """Per epoch of `fit`: the losses, divergence, the stop conditions and the time budget."""

    def __init__(self, session: Session, deadline: float, playing: bool) -> None:
        super().__init__()
        self.session, self.deadline, self.playing = session, deadline, playing
        self.snapshot: list[np.ndarray] = []
        self.diverged = False
        self.alert: dict[str, Any] | None = None

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self.snapshot = self.session.model.get_weights()

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.diverged, self.alert = self.session._after_epoch(self.playing)
        if self.diverged or self.alert is not None or time.perf_counter() >= self.deadline:
            self.model.stop_training = True


class Session:
    """The state, data and network of one tab, and the training loop (see the module docstring)."""

    def __init__(self, state: State | None = None, *, session_id: str | None = None) -> None:
        self.id = session_id or secrets.token_hex(8)
        self.state = state if state is not None else State()
        self.table: datasets.CsvTable | None = None
        self.csv_columns: tuple[str, str, str] | None = None
        self.running = False
        self.epoch = 0
        self.loss = {"train": math.nan, "test": math.nan}
        self.accuracy: dict[str, float | None] = {"train": None, "test": None}
        self._new_history: list[list[Any]] = []
        self._points_changed = True
        self._warned_large = False
        self._grid_cache: dict[tuple[str, ...], np.ndarray] = {}
        self.data = datasets.make_data(self.state)
        self._reset_network()

    # --- messages --------------------------------------------------------------------------------
    def handle(self, message: Any) -> list[dict[str, Any]]:
        """The replies to one client message; a malformed or refused message gets one `error` reply."""
        if not isinstance(message, dict) or not isinstance(message.get("type"), str):
            return [_error('A message must be a JSON object with a string "type", e.g. {"type": "step"}.')]
        kind = message["type"]
        if kind not in MESSAGE_TYPES:
            return [_error(f"Unknown message type {kind!r}. Expected one of {list(MESSAGE_TYPES)}.")]
        try:
            return getattr(self, f"_on_{kind}")(message)
        except (ValueError, TypeError) as error:
            return [_error(str(error))]

    def _on_hello(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return [{"type": "session", "id": self.id}, self.state_message(), self.frame(points=True)]

    def _on_set_state(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        partial = message.get("state")
        if not isinstance(partial, dict):
            raise TypeError(f'`set_state` needs "state": a JSON object. Received: {partial!r}')
        return self.set_state(self.state.merged(partial))

    def _on_play(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        reason = self._stop_reason()
        if reason is not None:
            return [
                {"type": "alert", "kind": "stop", "message": f"Not started: {reason}. Raise it or reset."}
            ]
        self.running = True
        return []

    def _on_pause(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        self.running = False
        return [self.frame()]

    def _on_step(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        self.running = False
        return self._train(max_epochs=1, budget_s=math.inf, playing=False)

    def _on_reset(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        new_weights = message.get("newWeights", False)
        if not isinstance(new_weights, bool):
            raise TypeError(f"`newWeights` must be true or false. Received: {new_weights!r}")
        if new_weights:
            return self.set_state(
                self.state.replace(init_seed=(self.state.init_seed + 1) % 2**31), force=True
            )
        self.running = False
        self._reset_network()
        return [self.frame()]

    def _on_regenerate(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return self.set_state(self.state.replace(seed=draw_seed()))

    def _on_set_weight(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        layers = network.dense_layers(self.model)
        layer = layers[_int_field(message, "layer", len(layers), "the Dense layer index")]
        kernel, bias = layer.get_weights()
        j = _int_field(message, "from", kernel.shape[0], "the unit of the layer below")
        k = _int_field(message, "to", kernel.shape[1], "the unit of this layer")
        kernel[j, k] = _value_field(message)
        layer.set_weights([kernel, bias])
        return [self.frame()]

    def _on_set_bias(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        layers = network.dense_layers(self.model)
        layer = layers[_int_field(message, "layer", len(layers), "the Dense layer index")]
        kernel, bias = layer.get_weights()
        bias[_int_field(message, "unit", len(bias), "the unit of this layer")] = _value_field(message)
        layer.set_weights([kernel, bias])
        return [self.frame()]

    def _on_csv_columns(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        if self.table is None:
            raise ValueError(
                "No CSV file is loaded: upload one (POST /api/upload) before choosing its columns."
            )
        names = tuple(message.get(key) for key in ("x1", "x2", "label"))
        if not all(isinstance(name, str) for name in names):
            raise TypeError(f'`csv_columns` needs the column names "x1", "x2" and "label". Received: {names}')
        key = "regDataset" if self.state.problem == "regression" else "dataset"
        return self.set_state(self.state.merged({key: "csv"}), columns=names, force=True)  # type: ignore[arg-type]

    def _on_hover(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        node = message.get("node")
        if not (isinstance(node, list) and len(node) == 2):
            raise TypeError(f'`hover` needs "node": [layer, unit]. Received: {node!r}')
        values = self._node_values()
        layer = _int_field({"layer": node[0]}, "layer", len(values), "0 = the inputs, then the layers")
        unit = _int_field({"unit": node[1]}, "unit", values[layer].shape[1], "the unit of that layer")
        grid = values[layer][:, unit].reshape(frames.DENSITY, frames.DENSITY)
        low = 0.0 if layer == len(values) - 1 and self.state.loss in ("bce", "ce") else -1.0
        return [{"type": "neuron", "node": [layer, unit], "heatmap": frames.encode(grid, low, 1.0)}]

    # --- state changes ---------------------------------------------------------------------------
    def state_message(self) -> dict[str, Any]:
        return {"type": "state", "state": self.state.to_dict(), "query": self.state.to_query()}

    def set_state(
        self, new: State, *, columns: tuple[str, str, str] | None = None, force: bool = False
    ) -> list[dict[str, Any]]:
        """Make `new` the state: regenerate the data and/or reset the network as the TF Playground does.
        Nothing changes when the new data cannot be made (the error is raised)."""
        old, new_dict = self.state.to_dict(), new.to_dict()
        changed = {key for key in new_dict if new_dict[key] != old[key]}
        columns = columns if columns is not None else self.csv_columns
        replies: list[dict[str, Any]] = []
        if changed & DATA_KEYS or (columns != self.csv_columns and new.data_name == "csv"):
            self.data = datasets.make_data(new, self.table, columns)
            self._points_changed = True
            force = True
        self.state, self.csv_columns = new, columns
        if new.large_limits and not self._warned_large:
            self._warned_large = True
            replies.append({"type": "warning", "message": "Large limits are on: up to 10 layers of 64 units and "
                            "batches of 256. Training and drawing get slower as the network grows."})  # fmt: skip
        replies.insert(0, self.state_message())
        if force or any(not key.endswith("_hide") and key not in KEEP_KEYS for key in changed):
            self.running = False
            self._reset_network()
            replies.append(self.frame())
        elif "learningRate" in changed:
            self.model.optimizer.learning_rate = new.learning_rate
        return replies

    def upload_csv(self, data: bytes) -> dict[str, Any]:
        """Read an uploaded CSV file (CsvError for a bad one) and keep it until its columns are chosen."""
        table = datasets.parse_csv(data)
        self.table, self.csv_columns = table, None
        return {
            "columns": list(table.columns),
            "rows": table.rows,
            "preview": table.preview(),
            "numeric": list(table.numeric),
        }

    # --- the network -----------------------------------------------------------------------------
    def _features(self, points: np.ndarray) -> np.ndarray:
        return feature_matrix(points, self.state.features)

    def _reset_network(self) -> None:
        """A fresh network with the state's (seeded) initial weights; epoch 0."""
        state = self.state
        self.model = network.build_model(state, len(state.features), max(self.data.classes, 2))
        self.x_train, self.x_test = self._features(self.data.x_train), self._features(self.data.x_test)
        self.t_train = network.targets(self.data.y_train, state)
        self.epoch = 0
        self._new_history = []
        self._measure()

    def _measure(self) -> None:
        """The losses and accuracies on the whole train and test sets; one history point."""
        with np.errstate(all="ignore"):
            for part, x, y in (
                ("train", self.x_train, self.data.y_train),
                ("test", self.x_test, self.data.y_test),
            ):
                outputs = self.model.predict_on_batch(x) if len(x) else np.zeros((0, 1))
                self.loss[part], self.accuracy[part] = network.loss_and_accuracy(outputs, y, self.state)
        self._new_history.append(
            [self.epoch, frames.finite(self.loss["train"]), frames.finite(self.loss["test"])]
        )

    def _stop_reason(self) -> str | None:
        state = self.state
        if state.stop_epoch is not None and self.epoch >= state.stop_epoch:
            return f"epoch {self.epoch} reached stopEpoch={state.stop_epoch}"
        if state.stop_loss is not None and self.loss["test"] <= state.stop_loss:
            return f"the test loss {self.loss['test']:.4f} is at or below stopLoss={state.stop_loss:g}"
        return None

    # --- training --------------------------------------------------------------------------------
    def train_chunk(self, budget_s: float = PLAY_BUDGET_S) -> list[dict[str, Any]]:
        """While playing: `speed` epochs (0: as many as fit in `budget_s`; at least one), then one frame
        (and an alert when training stopped or diverged). Nothing when paused."""
        if not self.running:
            return []
        epochs = self.state.speed or MAX_EPOCHS_PER_CHUNK
        return self._train(max_epochs=epochs, budget_s=budget_s, playing=True)

    def _train(self, max_epochs: int, budget_s: float, playing: bool) -> list[dict[str, Any]]:
        watcher = _Watcher(self, time.perf_counter() + budget_s, playing)
        batch_size = self.state.batch_size
        with np.errstate(all="ignore"):
            self.model.fit(
                self.x_train, self.t_train, batch_size=batch_size, epochs=max_epochs,
                shuffle=False, verbose=0, callbacks=[watcher],
            )  # fmt: skip
        alert = self._diverged(watcher.snapshot) if watcher.diverged else watcher.alert
        return [self.frame()] + ([alert] if alert is not None else [])

    def _after_epoch(self, playing: bool) -> tuple[bool, dict[str, Any] | None]:
        """Book-keeping after one epoch: (whether it diverged, an alert when a stop condition is met)."""
        self.epoch += 1
        self._measure()
        if not self._finite():
            return True, None
        reason = self._stop_reason() if playing else None
        if reason is not None:
            self.running = False
            return False, {"type": "alert", "kind": "stop", "message": f"Stopped: {reason}."}
        return False, None

    def _finite(self) -> bool:
        weights = all(np.isfinite(w).all() for w in self.model.get_weights())
        return weights and math.isfinite(self.loss["train"]) and math.isfinite(self.loss["test"])

    def _diverged(self, snapshot: list[np.ndarray]) -> dict[str, Any]:
        """Pause, go back to the last finite epoch (weights and a fresh optimizer) and explain."""
        state = self.state
        self.running = False
        bad_epoch = self.epoch
        weights_finite = all(np.isfinite(w).all() for w in self.model.get_weights())
        self.epoch -= 1
        self._new_history.pop()
        self.model.set_weights(snapshot)
        network.compile_model(self.model, state)
        self._measure()
        self._new_history.pop()
        what = (
            "the weights overflowed to infinity or NaN"
            if not weights_finite
            else "the loss became NaN or infinite"
        )
        step = state.learning_rate * state.regularization_rate
        if state.regularization != "none" and step >= 1:
            cause = (
                f"The {state.regularization} regularization rate {state.regularization_rate:g} times the learning "
                f"rate {state.learning_rate:g} is {step:g}: each step pushes every weight past zero by more than "
                "the weight itself, so the weights grow without bound. Lower the regularization rate or the "
                "learning rate."
            )
        else:
            output = network.output_activation(state)
            cause = (
                f"The learning rate {state.learning_rate:g} is too high for the {state.loss} loss with a "
                f"{output} output and the {state.optimizer} optimizer: the steps overshoot and grow. Lower the "
                "learning rate (or the regularization rate) and press reset."
            )
        message = (
            f"Training diverged in epoch {bad_epoch}: {what}. {cause} The network is back at epoch "
            f"{self.epoch}, the last finite one (test loss {self.loss['test']:.4g})."
        )
        return {"type": "alert", "kind": "divergence", "message": message}

    # --- frames ----------------------------------------------------------------------------------
    def _grid_features(self) -> np.ndarray:
        names = self.state.features
        if names not in self._grid_cache:
            self._grid_cache[names] = feature_matrix(frames.grid_points(), names)
        return self._grid_cache[names]

    def _node_values(self) -> list[np.ndarray]:
        """Every node's value on the 100×100 grid: [inputs (N, features), layer 1 (N, units), …, output]."""
        grid = self._grid_features()
        names = [layer.name for layer in network.dense_layers(self.model)]
        with np.errstate(all="ignore"):
            outputs = self.model.layer_outputs(grid, layers=names)
        return [grid] + [outputs[name] for name in names]

    def frame(self, points: bool | None = None) -> dict[str, Any]:
        """The `frame` message: numbers, the new history points, heatmaps, weights (and the points when
        the data changed since the last frame, or when `points` is True)."""
        values = self._node_values()
        size = frames.DENSITY
        output = values[-1]
        if self.state.loss == "ce":
            heatmap = frames.encode_classes(output)
        else:
            shown = output[:, 0] * 2 - 1 if self.state.loss == "bce" else output[:, 0]
            heatmap = frames.encode(shown.reshape(size, size))
        neurons = [
            [frames.encode(frames.reduce(layer[:, k].reshape(size, size))) for k in range(layer.shape[1])]
            for layer in values[:-1]
        ]
        dense = network.dense_layers(self.model)
        message: dict[str, Any] = {
            "type": "frame",
            "epoch": self.epoch,
            "running": self.running,
            "loss": {part: frames.finite(value) for part, value in self.loss.items()},
            "accuracy": {part: frames.finite(value) for part, value in self.accuracy.items()},
            "history": self._new_history,
            "output": heatmap,
            "neurons": neurons,
            "weights": [frames.rounded(layer.get_weights()[0]) for layer in dense],
            "biases": [frames.rounded(layer.get_weights()[1]) for layer in dense],
        }
        self._new_history = []
        if points or (points is None and self._points_changed):
            message["points"] = {
                "train": self._points(self.data.x_train, self.data.y_train),
                "test": self._points(self.data.x_test, self.data.y_test),
            }
            self._points_changed = False
        return message

    @staticmethod
    def _points(x: np.ndarray, y: np.ndarray) -> list[list[float]]:
        return np.round(np.column_stack([x, y]).astype("float64"), 4).tolist()
