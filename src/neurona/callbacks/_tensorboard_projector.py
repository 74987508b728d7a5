"""Embedding Projector files without TensorFlow: a TSV of vectors (`tensor_path`), a TSV of labels
(`metadata_path`) and `projector_config.pbtxt` in the run directory (the layout tensorboardX writes).

Files are written whole to a temporary name and renamed into place, so TensorBoard never reads half a
file; writing the same tensor name again (a second `fit` into the same `log_dir`) replaces its entry
instead of adding a duplicate.
"""

from __future__ import annotations

import os
import re
from typing import Any

import numpy as np

CONFIG_NAME = "projector_config.pbtxt"


def _write_text(path: str, text: str) -> None:
    temporary = f"{path}.tmp{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(temporary, path)


def read_metadata(path: str) -> tuple[str | None, list[str]]:
    """A metadata TSV as (header, rows): as TensorBoard reads it, a first line holding a tab is a header
    of column names; a single-column file has none. Empty trailing lines are dropped."""
    with open(path, encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    while lines and not lines[-1].strip():
        lines.pop()
    if lines and "\t" in lines[0]:
        return lines[0], lines[1:]
    return None, lines


def _clean(label: str) -> str:
    return label.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def _blocks(text: str) -> list[str]:
    """The top-level `embeddings { ... }` blocks of a projector config (braces matched)."""
    blocks, depth, start = [], 0, None
    for match in re.finditer(r"[{}]", text):
        if match.group() == "{":
            if depth == 0:
                head = text.rfind("embeddings", 0, match.start())
                start = head if head >= 0 else match.start()
            depth += 1
        else:
            depth -= 1
            if depth == 0 and start is not None:
                blocks.append(text[start : match.end()])
                start = None
    return blocks


def _tensor_name(block: str) -> str | None:
    match = re.search(r'tensor_name:\s*"((?:[^"\\]|\\.)*)"', block)
    return match.group(1) if match else None


def write_embedding(
    run_dir: str,
    name: str,
    step: int,
    vectors: np.ndarray,
    labels: list[str] | None,
    header: str | None = None,
) -> str:
    """Write `vectors` (n, d) and their labels under `run_dir/embeddings/<name>/<step:05d>/` and add the
    entry `tensor_name: "<name>:<step:05d>"` to `run_dir/projector_config.pbtxt`; returns the tensor name.

    `labels` are one string per row (tabs inside a label are replaced by spaces), or rows of
    tab-separated columns under `header` (a tab-separated line of column names).
    """
    vectors = np.asarray(vectors, dtype=np.float64).reshape(len(vectors), -1)
    tensor_name = f"{name}:{step:05d}"
    folder = f"embeddings/{name}/{step:05d}"
    os.makedirs(os.path.join(run_dir, folder), exist_ok=True)
    rows = "\n".join("\t".join(f"{v:.9g}" for v in row) for row in vectors)
    _write_text(os.path.join(run_dir, folder, "tensors.tsv"), rows + "\n")
    entry = [
        "embeddings {",
        f'  tensor_name: "{tensor_name}"',
        f'  tensor_path: "{folder}/tensors.tsv"',
    ]
    if labels is not None:
        lines = ([header] if header is not None else []) + [
            label if header is not None else _clean(label) for label in labels
        ]
        _write_text(os.path.join(run_dir, folder, "metadata.tsv"), "\n".join(lines) + "\n")
        entry.append(f'  metadata_path: "{folder}/metadata.tsv"')
    entry += [f"  tensor_shape: {vectors.shape[0]}", f"  tensor_shape: {vectors.shape[1]}", "}"]
    config_path = os.path.join(run_dir, CONFIG_NAME)
    kept: list[str] = []
    if os.path.exists(config_path):
        with open(config_path, encoding="utf-8") as handle:
            kept = [block for block in _blocks(handle.read()) if _tensor_name(block) != tensor_name]
    _write_text(config_path, "\n".join(kept + ["\n".join(entry)]) + "\n")
    return tensor_name


def select_metadata(path: str, indices: np.ndarray, n_total: int) -> tuple[str | None, list[str]]:
    """The rows of a user's metadata TSV (one row per validation sample, `n_total` rows after the
    header) picked by `indices`."""
    header, rows = read_metadata(path)
    if len(rows) != n_total:
        raise ValueError(
            f"The embeddings metadata file {path} has {len(rows)} rows (after its header), but the "
            f"validation data has {n_total} samples. Write one row per validation sample, in order."
        )
    return header, [rows[int(i)] for i in indices]


def resolve_metadata_path(metadata: Any, layer_name: str, log_dir: str) -> str | None:
    """The metadata file for `layer_name` from Keras's `embeddings_metadata` (one path for every layer,
    or a dict layer name → path): as given if it exists, else relative to `log_dir`."""
    if metadata is None:
        return None
    path = metadata.get(layer_name) if isinstance(metadata, dict) else metadata
    if path is None:
        return None
    path = os.fspath(path)
    if not os.path.exists(path) and os.path.exists(os.path.join(log_dir, path)):
        path = os.path.join(log_dir, path)
    if not os.path.isfile(path):
        raise FileNotFoundError(
            f"The embeddings metadata file {path!r} does not exist. `embeddings_metadata` names a TSV with "
            "one label row per validation sample (a first line with tabs is a header)."
        )
    return path
