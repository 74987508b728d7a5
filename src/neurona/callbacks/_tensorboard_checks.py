"""Argument validation for `TensorBoard`, one check per argument, with Keras's wording: what was
received, what is expected."""

from __future__ import annotations

import os
from typing import Any

import numpy as np


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _non_negative_int(name: str, value: Any) -> int:
    if not _is_int(value) or value < 0:
        raise ValueError(f"`{name}` must be a non-negative integer. Received: {name}={value!r}")
    return int(value)


def _positive_int(name: str, value: Any) -> int:
    if not _is_int(value) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def _boolean(name: str, value: Any) -> None:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"`{name}` must be True or False. Received: {name}={value!r}")


def _update_freq(value: Any) -> str | int:
    if isinstance(value, str) and value in ("epoch", "batch"):
        return 1 if value == "batch" else "epoch"
    if _is_int(value) and value >= 1:
        return int(value)
    raise ValueError(
        '`update_freq` must be "epoch", "batch" or a positive integer N (log every N batches). '
        f"Received: update_freq={value!r}"
    )


def _profile_range(value: Any) -> tuple[int, int]:
    """Keras's `profile_batch`: a non-negative integer, "start,stop", or (start, stop) with
    0 ≤ start ≤ stop."""
    message = (
        "`profile_batch` must be a non-negative integer or a pair of non-negative integers "
        f"(start, stop) with start <= stop. Received: profile_batch={value!r}"
    )
    if isinstance(value, str):
        try:
            value = [int(part) for part in value.split(",")]
        except ValueError:
            raise ValueError(message) from None
        value = value[0] if len(value) == 1 else value
    if _is_int(value):
        start = stop = int(value)
    elif isinstance(value, (tuple, list)) and len(value) == 2 and all(_is_int(v) for v in value):
        start, stop = int(value[0]), int(value[1])
    else:
        raise ValueError(message)
    if start < 0 or stop < start:
        raise ValueError(message)
    return start, stop


def _path(name: str, value: Any) -> str:
    if not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"`{name}` must be a path (a string or os.PathLike). Received: {name}={value!r}")
    return os.fspath(value)


def _embeddings_metadata(value: Any) -> None:
    if value is None or isinstance(value, (str, os.PathLike)):
        return
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, (str, os.PathLike)) for k, v in value.items()
    ):
        return
    raise TypeError(
        "`embeddings_metadata` must be a path to a TSV file of labels, or a dict mapping layer names to "
        f"such paths. Received: embeddings_metadata={value!r}"
    )


def _hparams(value: Any) -> None:
    if value is None or isinstance(value, bool):
        return
    if not isinstance(value, dict):
        raise TypeError(
            "`hparams` must be None, True (log the hyper-parameters the callback reads itself), or a dict "
            f"of your own values such as {{'units': 64, 'optimizer': 'adam'}}. Received: hparams={value!r}"
        )
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise TypeError(f"`hparams` keys must be non-empty strings. Received the key {key!r}")
        if not isinstance(item, (bool, int, float, str, np.bool_, np.integer, np.floating)):
            raise TypeError(
                f"`hparams` values must be booleans, numbers or strings (what the HParams dashboard can "
                f"show). Received: hparams[{key!r}]={item!r} of type {type(item).__name__}"
            )


def check_arguments(args: dict[str, Any]) -> dict[str, Any]:
    """Check every argument of `TensorBoard.__init__`; returns the normalized values that differ from
    what was passed: `log_dir` (a str), the frequencies (ints), `update_freq` ("epoch" or N) and
    `profile` (whether profiling was asked for)."""
    checked = {"log_dir": _path("log_dir", args["log_dir"])}
    checked["histogram_freq"] = _non_negative_int("histogram_freq", args["histogram_freq"])
    checked["embeddings_freq"] = _non_negative_int("embeddings_freq", args["embeddings_freq"])
    for name in ("write_graph", "write_images", "write_steps_per_second", "pr_curves"):
        _boolean(name, args[name])
    checked["update_freq"] = _update_freq(args["update_freq"])
    checked["profile"] = _profile_range(args["profile_batch"]) != (0, 0)
    _embeddings_metadata(args["embeddings_metadata"])
    _positive_int("activation_samples", args["activation_samples"])
    _positive_int("embeddings_samples", args["embeddings_samples"])
    layer = args["embeddings_layer"]
    if layer is not None and not isinstance(layer, str) and not _is_int(layer):
        raise TypeError(
            "`embeddings_layer` must be a layer name, an index into model.layers, or None (the last layer "
            f"before the output). Received: embeddings_layer={layer!r}"
        )
    _hparams(args["hparams"])
    seed = args["seed"]
    if seed is not None and not _is_int(seed):
        raise TypeError(f"`seed` must be an integer or None. Received: seed={seed!r}")
    return checked
