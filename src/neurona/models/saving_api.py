"""`save_model`, `load_model`, `model_from_json` and the weights-only files, on top of `neurona.saving`.

Suffixes, as Keras 3: `model.save` writes `.keras` (a zip archive; see `neurona.saving.model_file`);
`save_weights` writes `.weights.npz` (or `.weights.h5` when h5py is installed); `load_weights` reads
those and `.keras`. Legacy `.h5`/`.hdf5` whole-model files are refused in both directions: they embed
the config where no check reaches it (CVE-2025-9905).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..engine import Tensor
from ..saving import model_file
from ..saving.config_json import dump_config, parse_config
from ..saving.h5 import H5Reader, write_h5_weights
from ..saving.limits import DEFAULT_LIMITS, ByteBudget, LoadLimits, ModelFileError
from ..saving.serialization import deserialize_keras_object, serialize_keras_object
from ..saving.weights import (
    Entry,
    all_layers,
    allocation_guard,
    budget_scope,
    check_input_shape,
    is_variable_key,
    load_entries,
    model_entries,
)
from .compile_config import compile_from_config, get_compile_config

_REBUILD_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError, RecursionError)


def _name(filepath: Any) -> str:
    if not isinstance(filepath, (str, os.PathLike)):
        raise TypeError(f"`filepath` must be a string or a path. Received: filepath={filepath!r}")
    return os.fspath(filepath)


def _check_overwrite(path: str, overwrite: bool) -> None:
    if not overwrite and os.path.exists(path):
        raise FileExistsError(
            f"{path!r} already exists and overwrite=False. Pass overwrite=True to replace it."
        )


def _legacy_h5_error(path: str) -> ValueError:
    return ValueError(
        f"neurona does not read or write whole models in the legacy HDF5 format ({path!r}): it stores the "
        "config where no safety check reaches it (CVE-2025-9905). Use a `.keras` file for a model, and "
        "`.weights.npz` (or `.weights.h5`) for weights only."
    )


# --- whole models ------------------------------------------------------------------------------------
def serialize_model(model: Any) -> dict[str, Any]:
    """The model's config as stored in `config.json`: class, config, build config, compile config."""
    entry = serialize_keras_object(model)
    build_config = model.get_build_config()
    if build_config is not None:
        entry["build_config"] = serialize_keras_object(build_config)
    compile_config = get_compile_config(model)
    if compile_config is not None:
        entry["compile_config"] = compile_config
    return entry


def save_model(
    model: Any, filepath: Any, overwrite: bool = True, zipped: bool | None = None, **kwargs: Any
) -> None:
    """Save the architecture, weights, compile settings and optimizer state in one `.keras` file."""
    path = _name(filepath)
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments for save: {sorted(kwargs)}")
    if path.endswith((".h5", ".hdf5")):
        raise _legacy_h5_error(path)
    if not path.endswith(".keras"):
        raise ValueError(
            "Invalid filepath extension for saving. Add a `.keras` extension for a whole model, or use "
            f"`model.save_weights('<name>.weights.npz')` for weights only. Received: filepath={path!r}"
        )
    if zipped is False:
        raise ValueError(
            "neurona writes `.keras` files as zip archives only; `zipped=False` is not supported."
        )
    _check_overwrite(path, overwrite)
    if not model.built:
        raise ValueError(
            f"Model '{model.name}' is not built yet, so it has no weights to save. Give it an input shape "
            "(neurona.Input(shape=...)) or call it on data first."
        )
    config = serialize_model(model)
    store = {entry.key: entry.value for entry in model_entries(model)}
    if model.optimizer is not None and model.compiled:
        state: dict[str, Any] = {}
        model.optimizer.save_own_variables(state)
        store.update({f"optimizer/vars/{key}": value for key, value in state.items()})
    model_file.write_model_file(path, config, store)


def deserialize_model(
    config: Any,
    custom_objects: dict[str, Any] | None = None,
    budget: ByteBudget | None = None,
    limits: LoadLimits = DEFAULT_LIMITS,
) -> Any:
    """The model a config describes, built, with every error a `ModelFileError`."""
    from .model import Model

    try:
        with budget_scope(budget, limits.max_input_bytes):
            model = deserialize_keras_object(
                _without(config, "build_config", "compile_config"), "layer", custom_objects
            )
            if not isinstance(model, Model):
                raise ModelFileError(f"The config describes a {type(model).__name__}, not a model.")
            build_config = config.get("build_config")
            if build_config is not None and not model.built:
                _build_from_config(model, build_config, budget, limits)
    except ModelFileError:
        raise
    except _REBUILD_ERRORS as error:
        raise ModelFileError(
            f"The model could not be rebuilt from its config: {type(error).__name__}: {error}"
        ) from error
    return model


def _without(config: Any, *keys: str) -> Any:
    if not isinstance(config, dict):
        raise ModelFileError(f"A model config must be a dict. Received: {type(config).__name__}")
    return {key: value for key, value in config.items() if key not in keys}


def _build_from_config(model: Any, build_config: Any, budget: ByteBudget | None, limits: LoadLimits) -> None:
    shape = build_config.get("input_shape") if isinstance(build_config, dict) else None
    if shape is None:
        raise ModelFileError(f"Invalid build_config {build_config!r}: expected {{'input_shape': [...]}}.")
    shapes = shape if shape and isinstance(shape[0], list) else [shape]
    for item in shapes:
        check_input_shape(item, model.dtype, limits.max_input_bytes, f"The build_config of '{model.name}'")
    with allocation_guard(all_layers(model), budget):
        model.build_from_config(build_config)


def load_model(
    filepath: Any,
    custom_objects: dict[str, Any] | None = None,
    compile: bool = True,  # noqa: A002 - Keras's name
    safe_mode: bool = True,
    *,
    limits: LoadLimits | None = None,
) -> Any:
    """Load a model saved with `model.save("<name>.keras")`: architecture, weights and, with
    `compile=True`, the compile settings and optimizer state (training continues exactly).

    `safe_mode` is accepted for Keras compatibility: neurona has no unsafe mode, so a file never runs code
    whatever its value. `limits` caps what the file may make the loader read or allocate.
    """
    path = _name(filepath)
    if not isinstance(safe_mode, bool):
        raise TypeError(f"`safe_mode` must be True or False. Received: safe_mode={safe_mode!r}")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"`custom_objects` must be a dict of name -> class. Received: {custom_objects!r}")
    limits = limits or DEFAULT_LIMITS
    if path.endswith((".h5", ".hdf5")):
        raise _legacy_h5_error(path)
    if not path.endswith(".keras"):
        raise ValueError(
            f"File format not supported: filepath={path!r}. neurona loads models from `.keras` files (written by "
            "model.save). For a weights file, build the model and call model.load_weights(...)."
        )
    opened = model_file.ModelFile(path, limits, custom_objects)
    weights = opened.weights
    variable_bytes = weights.data_bytes(is_variable_key)
    budget = ByteBudget(
        variable_bytes + (1 << 20),
        "the weights the file holds",
        "The config asks for larger weights than the weights file stores: the file was altered or is corrupt.",
    )
    model = deserialize_model(opened.config, custom_objects, budget, limits)
    entries = model_entries(model)
    compile_config = opened.config.get("compile_config")
    optimizer_keys = [key for key in weights.keys() if key.startswith("optimizer/")]
    restore_optimizer = compile and compile_config is not None
    if restore_optimizer:
        try:
            compile_from_config(model, compile_config, custom_objects)
        except ModelFileError:
            raise
        except _REBUILD_ERRORS as error:
            raise ModelFileError(
                f"The compile settings could not be restored: {type(error).__name__}: {error}"
            ) from error
        entries += _optimizer_entries(model, len(optimizer_keys))
    ignore = () if restore_optimizer else optimizer_keys
    load_entries(entries, weights, skip_mismatch=False, where=f"The model file {path!r}", ignore=ignore)
    return model


def _optimizer_entries(model: Any, count: int) -> list[Entry]:
    optimizer = model.optimizer
    if len(optimizer.variables) != count:
        optimizer.build(model.trainable_weights)
    variables = optimizer.variables
    if len(variables) != count:
        raise ModelFileError(
            f"The file holds {count} optimizer arrays, but the rebuilt optimizer has {len(variables)}."
        )
    entries = []
    for index, variable in enumerate(variables):
        array = variable.data if isinstance(variable, Tensor) else variable

        def assign(value: Any, target: Any = array) -> None:
            target[...] = value

        entries.append(Entry(f"optimizer/vars/{index}", array, assign))
    return entries


# --- JSON --------------------------------------------------------------------------------------------
def model_to_json(model: Any, **kwargs: Any) -> str:
    """The architecture as a JSON string (`kwargs` are accepted for Keras compatibility and ignored)."""
    return dump_config(serialize_keras_object(model))


def model_from_json(
    json_string: str, custom_objects: dict[str, Any] | None = None, *, limits: LoadLimits | None = None
) -> Any:
    """A new, untrained model from `model.to_json()` (weights are initialized afresh)."""
    limits = limits or DEFAULT_LIMITS
    if not isinstance(json_string, (str, bytes)):
        raise TypeError(f"`json_string` must be a string. Received: {type(json_string).__name__}")
    config = parse_config(json_string, "The JSON config", limits, custom_objects)
    budget = ByteBudget(
        limits.max_weight_bytes,
        "the weights of a model from JSON (LoadLimits.max_weight_bytes)",
        "Pass a larger `limits=neurona.saving.LoadLimits(max_weight_bytes=...)` if the model is really this large.",
    )
    return deserialize_model(config, custom_objects, budget, limits)


# --- weights only ------------------------------------------------------------------------------------
def save_weights(model: Any, filepath: Any, overwrite: bool = True, max_shard_size: Any = None) -> None:
    """Save the weights (layer variables and random-generator states) to `.weights.npz` or `.weights.h5`."""
    path = _name(filepath)
    if max_shard_size is not None:
        raise ValueError("Sharded weights files are not supported: leave `max_shard_size=None`.")
    if not path.endswith((".weights.npz", ".weights.h5")):
        raise ValueError(
            "The filename must end in `.weights.npz` (or `.weights.h5` with h5py installed). "
            f"Received: filepath={path!r}"
        )
    _check_overwrite(path, overwrite)
    if not model.built:
        raise ValueError(f"Model '{model.name}' is not built yet, so it has no weights to save.")
    store = {entry.key: entry.value for entry in model_entries(model)}
    if path.endswith(".weights.h5"):
        write_h5_weights(path, store)
    else:
        model_file.write_weights_file(path, store)


def load_weights(
    model: Any, filepath: Any, skip_mismatch: bool = False, *, limits: LoadLimits | None = None
) -> None:
    """Load weights saved by `save_weights` (or from a `.keras` file) into this built model."""
    path = _name(filepath)
    limits = limits or DEFAULT_LIMITS
    if not model.built:
        raise ValueError(
            f"Model '{model.name}' must be built before loading weights: give it an input shape or call it "
            "on data first, so that its weights exist."
        )
    if not Path(path).exists():
        raise FileNotFoundError(f"No file or directory found at {path!r}.")
    entries = model_entries(model)
    if path.endswith(".keras"):
        reader = model_file.ModelFile(path, limits, weights_only=True).weights
    elif path.endswith(".weights.npz"):
        reader = model_file.open_weights_file(path, limits)
    elif path.endswith(".weights.h5"):
        reader = H5Reader(path, limits)
    elif path.endswith((".h5", ".hdf5")):
        raise _legacy_h5_error(path)
    else:
        raise ValueError(
            "File format not supported: load_weights reads `.weights.npz`, `.weights.h5` and `.keras` files. "
            f"Received: filepath={path!r}"
        )
    try:
        optimizer_keys = [key for key in reader.keys() if key.startswith("optimizer/")]
        load_entries(entries, reader, skip_mismatch, f"The weights file {path!r}", ignore=optimizer_keys)
    finally:
        reader.close()
