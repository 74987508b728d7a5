"""Take a Playground network home: the trained model as a neurona `.keras` file, and a short Python
script that regenerates the data, rebuilds the same network (same initial weights) and trains it.

>>> from neurona.playground.session import Session
>>> from neurona.playground.state import State
>>> text = script(Session(State(seed="0.5")))
>>> compile(text, "playground_model.py", "exec") is not None
True
"""

from __future__ import annotations

import os
import tempfile

from . import network
from .session import Session
from .state import State

DEFAULT_EPOCHS = 100


def model_bytes(session: Session) -> bytes:
    """The session's network (architecture, weights, compile settings) as the bytes of a `.keras` file;
    `neurona.models.load_model` reads it back."""
    with tempfile.TemporaryDirectory(prefix="neurona-playground-") as folder:
        path = os.path.join(folder, "playground.keras")
        session.model.save(path)
        with open(path, "rb") as file:
            return file.read()


def _regularizer_code(state: State) -> str:
    if state.regularization == "L1" and state.regularization_rate > 0:
        return f"nn.regularizers.L1({state.regularization_rate!r})"
    if state.regularization == "L2" and state.regularization_rate > 0:
        return f"nn.regularizers.L2({state.regularization_rate / 2!r})  # the Playground's ½·rate·w²"
    return "None"


def _layers_code(state: State, n_features: int, classes: int) -> list[str]:
    lines = [f"    nn.Input(shape=({n_features},)),"]
    sizes = list(state.network_shape) + [network.output_units(state, classes)]
    activations = list(state.activations) + [network.output_activation(state)]
    for index, (units, activation) in enumerate(zip(sizes, activations)):
        last = index == len(sizes) - 1
        name = "output" if last else f"hidden_{index + 1}"
        if state.init_zero:
            init = 'kernel_initializer="zeros", bias_initializer="zeros"'
        else:
            seed = network.layer_seed(state.seed, state.init_seed, index)
            init = f"kernel_initializer=uniform({seed}), bias_initializer=nn.initializers.Constant(0.1)"
        lines.append(
            f"    nn.layers.Dense({units}, activation={activation!r}, {init}, kernel_regularizer=REGULARIZER, "
            f"name={name!r}),"
        )
        if not last and state.dropout > 0:
            lines.append(f"    nn.layers.Dropout({state.dropout!r}, name='dropout_{index + 1}'),")
    return lines


_LOSS_CODE = {
    "mse": (
        "# The Playground's loss is ½(o − t)² per point: neurona's mean squared error with loss_weights=0.5.\n"
        'model.compile(optimizer=OPTIMIZER, loss="mean_squared_error", loss_weights=0.5)\n'
        "targets = y_train",
        "    out = model.predict(x, verbose=0)[:, 0]\n"
        "    loss = np.mean(0.5 * (out - y) ** 2)\n"
        "    accuracy = None if REGRESSION else np.mean((out >= 0) == (y > 0))",
    ),
    "bce": (
        'model.compile(optimizer=OPTIMIZER, loss="binary_crossentropy")\n'
        "targets = (y_train + 1) / 2  # ±1 labels → 0 / 1",
        "    out = np.clip(model.predict(x, verbose=0)[:, 0], 1e-7, 1 - 1e-7)\n"
        "    t = (y + 1) / 2\n"
        "    loss = -np.mean(t * np.log(out) + (1 - t) * np.log(1 - out))\n"
        "    accuracy = np.mean((out >= 0.5) == (t > 0.5))",
    ),
    "ce": (
        'model.compile(optimizer=OPTIMIZER, loss="sparse_categorical_crossentropy")\n'
        'targets = y_train.astype("int64")',
        "    out = model.predict(x, verbose=0)\n"
        '    index = y.astype("int64")\n'
        "    loss = -np.mean(np.log(np.clip(out[np.arange(len(index)), index], 1e-7, 1)))\n"
        "    accuracy = np.mean(np.argmax(out, axis=1) == index)",
    ),
}


def _data_code(session: Session) -> list[str]:
    state = session.state
    if state.data_name != "csv":
        multiclass = state.problem == "multiclass"
        extra = f", classes={state.classes}, multiclass=True" if multiclass else ""
        return [
            f"# The data: the Playground's {state.data_name!r} set, noise {state.noise}, seed {state.seed!r}, "
            f"{state.perc_train_data} % for training.",
            f"data = datasets.load({state.data_name!r}, noise={state.noise}, seed={state.seed!r}, "
            f"perc_train_data={state.perc_train_data}{extra})",
        ]
    columns = session.csv_columns or ("X1", "X2", "label")
    return [
        "# The data: your CSV file (put its path here), with the columns chosen in the Playground.",
        'CSV_FILE = "data.csv"',
        'with open(CSV_FILE, "rb") as file:',
        "    table = datasets.parse_csv(file.read())",
        f"data = datasets.make_data(State.from_query(QUERY), table, {tuple(columns)!r})",
    ]


def script(session: Session, epochs: int | None = None) -> str:
    """A runnable Python script that trains the session's network with neurona from scratch.

    It regenerates the data with `neurona.playground.datasets`, builds the same layers with the same
    seeded initial weights, trains for `epochs` (default: the session's epoch, or 100 at epoch 0; the
    first command-line argument overrides it) and prints the Playground's losses. Weights edited by hand
    are not in it.
    """
    state = session.state
    epochs = epochs if epochs is not None else (session.epoch or DEFAULT_EPOCHS)
    name, options = network.OPTIMIZERS[state.optimizer]
    arguments = "".join(f", {key}={value!r}" for key, value in options.items())
    loss_code, measure_code = _LOSS_CODE[state.loss]
    csv = state.data_name == "csv"
    lines = [
        '"""The neurona Playground network of this state, rebuilt and trained with neurona.',
        "",
        f"State: #{state.to_query()}",
        "Run: python playground_model.py [epochs]",
        '"""',
        "",
        "import sys",
        "",
        "import numpy as np",
        "",
        "import neurona as nn",
        "from neurona.playground import datasets",
        "from neurona.playground.features import feature_matrix",
        *(
            ["from neurona.playground.state import State", "", f"QUERY = {state.to_query()!r}"]
            if csv
            else [""]
        ),
        f"EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else {epochs}",
        f"FEATURES = {list(state.features)!r}",
        f"REGRESSION = {state.problem == 'regression'}",
        f"REGULARIZER = {_regularizer_code(state)}",
        f"OPTIMIZER = nn.optimizers.{name}(learning_rate={state.learning_rate!r}{arguments})",
        "",
        *_data_code(session),
        "x_train, x_test = feature_matrix(data.x_train, FEATURES), feature_matrix(data.x_test, FEATURES)",
        "y_train, y_test = data.y_train, data.y_test",
        "",
        "",
        "def uniform(seed):",
        '    """The Playground\'s initial weights, U(−0.5, 0.5), seeded: the same ones every run."""',
        "    return nn.initializers.RandomUniform(-0.5, 0.5, seed=seed)",
        "",
        "",
        "model = nn.Sequential([",
        *_layers_code(state, len(state.features), max(session.data.classes, 2)),
        "])",
        loss_code,
        "# One epoch = one pass over the training data in a fixed order (shuffle=False), as in the Playground.",
        f"model.fit(x_train, targets, batch_size={state.batch_size}, epochs=EPOCHS, shuffle=False, verbose=0)",
        "",
        "",
        "def measure(x, y):",
        '    """The loss and accuracy as the Playground shows them (without the regularization penalty)."""',
        measure_code,
        "    return loss, accuracy",
        "",
        "",
        "train_loss, train_accuracy = measure(x_train, y_train)",
        "test_loss, test_accuracy = measure(x_test, y_test)",
        'print(f"epochs={EPOCHS} train_loss={train_loss:.6f} test_loss={test_loss:.6f}", end="")',
        'print("" if test_accuracy is None else f" test_accuracy={test_accuracy:.4f}")',
    ]
    return "\n".join(lines) + "\n"


def filename(session: Session, suffix: str) -> str:
    """A download name such as `playground-circle-epoch120.keras`."""
    return f"playground-{session.state.data_name}-epoch{session.epoch}{suffix}"


__all__ = ["filename", "model_bytes", "script"]
