"""Reading imdb.npz / reuters.npz without `pickle.load`, and Keras's sequence preprocessing.

Why a restricted reader rather than a refusal: Keras stores the reviews and newswires as NumPy *object*
arrays of Python lists, which `np.save` writes as a pickle. `np.load(allow_pickle=True)` would run any
code such a file names, so neurona never calls it. Refusing the files outright would make imdb and reuters
unusable, so this module unpickles them with an `Unpickler` whose `find_class` allows exactly the globals
that an object array needs (`numpy[._]core.multiarray._reconstruct`, `numpy.ndarray`, `numpy.dtype`)
and refuses every other one (`os.system`, `builtins.eval`, any other numpy function, ...) before it can be
called; persistent ids are refused too. The result must then be a 1-D object array whose every element
is a list of non-negative ints; anything else is refused. Plain numeric members are read with
`np.load(allow_pickle=False)`.
"""

from __future__ import annotations

import io
import pickle
import zipfile
from pathlib import Path

import numpy as np

from ._files import DatasetFileError

_RECONSTRUCT = np.empty(0).__reduce__()[0]  # NumPy's own array-reconstruct function, whatever its module
ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): _RECONSTRUCT,  # files written by NumPy 1.x
    ("numpy._core.multiarray", "_reconstruct"): _RECONSTRUCT,  # files written by NumPy 2.x
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
}


class _ArrayOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        allowed = ALLOWED_GLOBALS.get((module, name))
        if allowed is None:
            raise pickle.UnpicklingError(
                f"refused global {module}.{name}: only NumPy object-array reconstruction is allowed"
            )
        return allowed

    def persistent_load(self, pid):
        raise pickle.UnpicklingError("refused a persistent id")


def _read_member(archive: zipfile.ZipFile, key: str, where: str) -> np.ndarray:
    name = f"{key}.npy"
    if name not in archive.namelist():
        raise DatasetFileError(f"{where} has no array {key!r}. Found: {sorted(archive.namelist())}")
    raw = archive.read(name)
    stream = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
    except ValueError as error:
        raise DatasetFileError(f"{where}: {key!r} is not a valid .npy array ({error}).") from None
    if not dtype.hasobject:
        return np.load(io.BytesIO(raw), allow_pickle=False)
    try:
        array = _ArrayOnlyUnpickler(stream).load()
    except Exception as error:  # any failure of a refused or malformed pickle is the same refusal
        raise DatasetFileError(
            f"{where}: refused to read {key!r}: {error}. Only object arrays of integer lists are accepted."
        ) from None
    return _validated_sequences(array, shape, key, where)


def _validated_sequences(array: object, shape: tuple, key: str, where: str) -> np.ndarray:
    if not isinstance(array, np.ndarray) or array.dtype != object or array.ndim != 1 or array.shape != shape:
        found = getattr(array, "shape", type(array).__name__)
        raise DatasetFileError(
            f"{where}: {key!r} must be a 1-D object array of integer lists of the shape its header declares, "
            f"{shape}. Received: {found}"
        )
    out = np.empty(len(array), dtype=object)
    for i, item in enumerate(array):
        if isinstance(item, list) and all(type(word) is int for word in item):
            words = item  # the common case: plain Python ints
        elif isinstance(item, list) and all(
            isinstance(word, np.integer) and not isinstance(word, np.bool_) for word in item
        ):
            words = [int(word) for word in item]
        else:
            words = None
        if words is None or (words and min(words) < 0):
            raise DatasetFileError(
                f"{where}: {key!r}[{i}] must be a list of non-negative ints. Received: {type(item).__name__}"
            )
        out[i] = words
    return out


def read_npz(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The named arrays of a Keras sequence `.npz`, read without unrestricted pickle."""
    where = repr(str(path))
    try:
        with zipfile.ZipFile(path) as archive:
            return {key: _read_member(archive, key, where) for key in keys}
    except zipfile.BadZipFile as error:
        raise DatasetFileError(f"{where} is not a valid .npz file ({error}); it may be truncated.") from None


def as_object_array(sequences: list[list[int]]) -> np.ndarray:
    """A 1-D object array of lists (even when every list has the same length)."""
    out = np.empty(len(sequences), dtype=object)
    for i, sequence in enumerate(sequences):
        out[i] = sequence
    return out


def prepare(
    xs: list[list[int]],
    *,
    num_words: int | None,
    skip_top: int,
    maxlen: int | None,
    start_char: int | None,
    oov_char: int | None,
    index_from: int,
) -> tuple[list[list[int]], list[int]]:
    """Keras's steps, in Keras's order: prepend `start_char` and shift by `index_from`; drop sequences of
    `maxlen` words or more; replace (or, with `oov_char=None`, drop) words outside [skip_top, num_words).
    Returns the sequences and the indices of those kept."""
    if start_char is not None:
        xs = [[start_char] + [word + index_from for word in x] for x in xs]
    elif index_from:
        xs = [[word + index_from for word in x] for x in xs]
    kept = list(range(len(xs)))
    if maxlen:
        kept = [i for i, x in enumerate(xs) if len(x) < maxlen]
        xs = [xs[i] for i in kept]
    if not num_words:
        num_words = max((max(x) for x in xs if x), default=0)
    if oov_char is not None:
        xs = [[word if skip_top <= word < num_words else oov_char for word in x] for x in xs]
    else:
        xs = [[word for word in x if skip_top <= word < num_words] for x in xs]
    return xs, kept
