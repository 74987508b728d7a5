"""The `.keras` archive and the `.weights.npz` file: writing them atomically, opening them with every
check of `archive.py`, `arrays.py` and `config_json.py`.

A `.keras` file is a zip holding exactly three members:

* `metadata.json`: `{"format": "neurona", "format_version": 1, "neurona_version": ..., "date_saved": ...}`;
* `config.json`: the model's config (`{"class_name", "config", "build_config", "compile_config"}`);
* `model.weights.npz`: the arrays (`layers/<name>/vars/<i>`, `optimizer/vars/<i>`, ...), stored.

Writes go through `neurona.utils.io.atomic_writer` (temp file in the same folder, fsync, `os.replace`):
a crash or a kill during a save leaves the previous file or the new one, never a mixture.
"""

from __future__ import annotations

import datetime
import json
import os
from typing import Any

import numpy as np

from ..utils.io import atomic_writer
from ..version import __version__
from .archive import SafeZip, write_zip
from .arrays import NpzReader, npz_bytes
from .config_json import dump_config, parse_config
from .limits import ByteBudget, KiB, LoadLimits, ModelFileError

FORMAT = "neurona"
FORMAT_VERSION = 1
METADATA = "metadata.json"
CONFIG = "config.json"
WEIGHTS = "model.weights.npz"
_MEMBERS = {METADATA, CONFIG, WEIGHTS}


def write_model_file(
    path: str | os.PathLike[str], config: dict[str, Any], store: dict[str, np.ndarray]
) -> None:
    """Write a `.keras` archive atomically."""
    metadata = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "neurona_version": __version__,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    }
    members = [
        (METADATA, json.dumps(metadata).encode("utf-8"), True),
        (CONFIG, dump_config(config).encode("utf-8"), True),
        (WEIGHTS, npz_bytes(store), False),
    ]
    with atomic_writer(path) as handle:
        write_zip(handle, members)


def write_weights_file(path: str | os.PathLike[str], store: dict[str, np.ndarray]) -> None:
    """Write a `.weights.npz` file atomically."""
    data = npz_bytes(store)
    with atomic_writer(path) as handle:
        handle.write(data)


class ModelFile:
    """An opened, checked `.keras` archive: `metadata`, `config` (parsed and checked JSON; not read with
    `weights_only`) and `weights` (an `NpzReader` whose headers are parsed and sizes checked)."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        limits: LoadLimits,
        custom_objects: dict[str, Any] | None = None,
        weights_only: bool = False,
    ) -> None:
        where = f"The model file {os.fspath(path)!r}"
        self.budget = ByteBudget(limits.max_total_bytes, f"reading {where}")
        self.config: Any = None
        with SafeZip(path, where, limits, self.budget, expected=_MEMBERS) as outer:
            self.metadata = _check_metadata(outer.read(METADATA), where)
            if not weights_only:
                self.config = parse_config(
                    outer.read(CONFIG), f"{where} (config.json)", limits, custom_objects
                )
            weights_bytes = outer.read(WEIGHTS)
        inner = SafeZip(weights_bytes, f"{where} (model.weights.npz)", limits, self.budget)
        self.weights = NpzReader(inner)


def open_weights_file(path: str | os.PathLike[str], limits: LoadLimits) -> NpzReader:
    """An opened, checked `.weights.npz` file."""
    where = f"The weights file {os.fspath(path)!r}"
    budget = ByteBudget(limits.max_total_bytes, f"reading {where}")
    return NpzReader(SafeZip(path, where, limits, budget))


def _check_metadata(data: bytes, where: str) -> dict[str, Any]:
    if len(data) > 64 * KiB:
        raise ModelFileError(f"{where}: metadata.json is larger than 64 KiB.")
    try:
        metadata = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ModelFileError(f"{where}: metadata.json is not valid JSON.") from None
    if not isinstance(metadata, dict):
        raise ModelFileError(f"{where}: metadata.json must hold a JSON object.")
    if metadata.get("format") != FORMAT:
        hint = (
            " It looks like a file written by Keras; neurona reads only its own format (save the model "
            "with neurona, or move weights over with get_weights()/set_weights())."
            if "keras_version" in metadata
            else ""
        )
        raise ModelFileError(
            f"{where} is not a neurona model file (metadata format {metadata.get('format')!r}).{hint}"
        )
    version = metadata.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise ModelFileError(
            f"{where} has format_version {version!r}; this neurona reads versions 1 to {FORMAT_VERSION}. "
            "Upgrade neurona to read files from newer versions."
        )
    return metadata


def _no_constant(name: str) -> Any:
    raise ValueError(name)
