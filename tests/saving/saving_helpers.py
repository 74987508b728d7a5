"""Shared by the saving tests: instances of registered classes, a small trained model, and the pieces to
forge hostile files from a valid one."""

import inspect
import io
import json
import struct
import zipfile

import numpy as np
import pytest

import neurona as nn
from neurona import layers, losses, metrics
from neurona.models import load_model
from neurona.saving import ModelFileError

# Values for required constructor arguments, by parameter name (extend it when a class needs a new one).
REQUIRED_ARGS = {
    "units": 3,
    "rate": 0.25,
    "stddev": 0.1,
    "activation": "tanh",
    "target_shape": (3, 2),
    "shape": (6,),
    "initial_learning_rate": 0.1,
    "decay_steps": 10,
    "decay_rate": 0.5,
    "first_decay_steps": 10,
    "boundaries": [5],
    "values": [0.1, 0.01],
    "learning_rate": 0.01,
    "num_bins": 4,
}
FUNCTIONS = {"loss": losses.mean_squared_error, "metric": metrics.mean_squared_error}
OPTIONAL_BUT_NEEDED = {
    "InputLayer": {"shape": (6,)},
    "CategoryEncoding": {"num_tokens": 3},
    "Discretization": {"bin_boundaries": [0.0, 1.0]},
}  # optional in the signature, but one is required


def make(cls, category):
    """An instance of `cls` with default arguments (required ones from REQUIRED_ARGS)."""
    kwargs = dict(OPTIONAL_BUT_NEEDED.get(cls.__name__, {}))
    for parameter in list(inspect.signature(cls.__init__).parameters.values())[1:]:
        if parameter.default is not parameter.empty or parameter.kind in (
            parameter.VAR_KEYWORD,
            parameter.VAR_POSITIONAL,
        ):
            continue
        if parameter.name == "fn":
            kwargs["fn"] = FUNCTIONS[category]
        elif parameter.name in REQUIRED_ARGS:
            kwargs[parameter.name] = REQUIRED_ARGS[parameter.name]
        else:
            pytest.fail(
                f"{cls.__name__} needs `{parameter.name}`: add a value to REQUIRED_ARGS in {__file__}"
            )
    return cls(**kwargs)


CALLS: list = []


def canary(*args):
    """What any smuggled code would call: it must never run."""
    CALLS.append(args)
    return 0


class Evil:
    def __reduce__(self):
        return (canary, ("pickle",))


# --- a valid file and ways to rebuild it --------------------------------------------------------------
def fuzz_model():
    inputs = nn.Input(shape=(3,), name="x")
    hidden = layers.Dense(4, activation="relu", name="hidden")(inputs)
    model = nn.Model(inputs, layers.Dense(2, activation="softmax", name="out")(layers.Dropout(0.2)(hidden)))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(np.ones((4, 3), dtype="float32"), np.array([0, 1, 0, 1]), epochs=1, verbose=0)
    return model


def archive_bytes(members, compress=False):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
            archive.writestr(info, content)
    return buffer.getvalue()


def keras_bytes(parts, config=None, metadata=None, weights=None):
    return archive_bytes(
        [
            (
                "metadata.json",
                json.dumps(metadata).encode() if metadata is not None else parts["metadata.json"],
            ),
            ("config.json", json.dumps(config).encode() if config is not None else parts["config.json"]),
            ("model.weights.npz", weights if weights is not None else parts["model.weights.npz"]),
        ]
    )


def weights_with(parts, key, blob):
    """The valid weights archive with member `key`.npy replaced by `blob`."""
    with zipfile.ZipFile(io.BytesIO(parts["model.weights.npz"])) as archive:
        members = [(n, blob if n == key + ".npy" else archive.read(n)) for n in archive.namelist()]
    return archive_bytes(members)


def npy_header(descr, shape, fortran=False):
    header = repr({"descr": descr, "fortran_order": fortran, "shape": shape}).encode("latin-1")
    header += b" " * (63 - (len(header) + 10) % 64) + b"\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header


def refused(tmp_path, blob, name="bad.keras", match=None, **kwargs):
    path = tmp_path / name
    path.write_bytes(blob)
    with pytest.raises(ModelFileError, match=match):
        load_model(path, **kwargs)


def write(path, data):
    path.write_bytes(data)
    return path
