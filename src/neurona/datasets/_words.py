"""`get_word_index` for imdb and reuters: a JSON file of word → index (safe to parse)."""

from __future__ import annotations

import json
import os

from ._arrays import KERAS_ORIGIN
from ._files import DatasetFileError, get_file


def load_word_index(path: str | os.PathLike, default_name: str, file_hash: str) -> dict[str, int]:
    file = get_file(
        path,
        default_name=default_name,
        origin=KERAS_ORIGIN + default_name,
        file_hash=file_hash,
        hash_algorithm="md5",
    )
    try:
        index = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DatasetFileError(f"{str(file)!r} is not valid JSON ({error}).") from None
    if not isinstance(index, dict) or not all(isinstance(v, int) for v in index.values()):
        raise DatasetFileError(f"{str(file)!r} must hold a JSON object of word → integer index.")
    return index
