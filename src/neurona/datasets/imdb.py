"""IMDB movie reviews (25 000 + 25 000, sentiment 0/1), as `keras.datasets.imdb.load_data`: each review is
a list of word indices (1 = start, 2 = out of vocabulary, words from `index_from` = 3 on, by frequency).

imdb.npz stores the reviews as pickled object arrays; neurona reads them with the restricted reader of
`_sequences` (only NumPy's array reconstruction, integer lists only), never with `allow_pickle=True`.
"""

from __future__ import annotations

import os

import numpy as np

from ._arrays import KERAS_ORIGIN
from ._files import DatasetFileError, get_file
from ._sequences import as_object_array, prepare, read_npz
from ._words import load_word_index

ORIGIN = KERAS_ORIGIN + "imdb.npz"
FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"
WORD_INDEX_HASH = "bfafd718b763782e994055a2d397834f"


def load_data(
    path: str | os.PathLike = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: `x` 1-D object arrays of int lists, `y` int labels 0/1.

    Same steps and order as Keras: shuffle train then test with `np.random.RandomState(seed)`; prepend
    `start_char` and add `index_from`; drop reviews of `maxlen` words or more; words outside
    [skip_top, num_words) become `oov_char` (or are dropped when it is None).
    """
    file = get_file(path, default_name="imdb.npz", origin=ORIGIN, file_hash=FILE_HASH)
    arrays = read_npz(file, ("x_train", "y_train", "x_test", "y_test"))
    rng = np.random.RandomState(seed)
    splits = []
    for key in ("train", "test"):
        x, y = arrays[f"x_{key}"], arrays[f"y_{key}"]
        if len(x) != len(y):
            raise DatasetFileError(f"{str(file)!r}: x_{key} has {len(x)} rows but y_{key} has {len(y)}.")
        indices = np.arange(len(x))
        rng.shuffle(indices)
        splits.append((list(x[indices]), y[indices]))
    (x_train, y_train), (x_test, y_test) = splits
    common = dict(num_words=num_words, skip_top=skip_top, start_char=start_char, oov_char=oov_char)
    xs, kept = prepare(x_train + x_test, maxlen=maxlen, index_from=index_from, **common)
    n_train = sum(1 for i in kept if i < len(x_train))
    if maxlen and (n_train == 0 or n_train == len(kept)):
        raise ValueError(
            f"After filtering for sequences shorter than maxlen={maxlen}, no sequence was kept in the "
            f"{'training' if n_train == 0 else 'test'} set. Increase maxlen."
        )
    labels = np.concatenate([y_train, y_test])[kept]
    return (as_object_array(xs[:n_train]), labels[:n_train]), (
        as_object_array(xs[n_train:]),
        labels[n_train:],
    )


def get_word_index(path: str | os.PathLike = "imdb_word_index.json") -> dict[str, int]:
    """The word → index dictionary (indices before the `index_from` shift)."""
    return load_word_index(path, "imdb_word_index.json", WORD_INDEX_HASH)
