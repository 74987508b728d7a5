"""Reuters newswires (11 228, 46 topics), as `keras.datasets.reuters.load_data`: each newswire is a list
of word indices, encoded as in imdb. reuters.npz stores them as pickled object arrays; neurona reads them
with the restricted reader of `_sequences`, never with `allow_pickle=True`.
"""

from __future__ import annotations

import os

import numpy as np

from ._arrays import KERAS_ORIGIN, check_test_split
from ._files import DatasetFileError, get_file
from ._sequences import as_object_array, prepare, read_npz
from ._words import load_word_index

ORIGIN = KERAS_ORIGIN + "reuters.npz"
FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"
WORD_INDEX_HASH = "4d44cc38712099c9e383dc6e5f11a921"


def load_data(
    path: str | os.PathLike = "reuters.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    test_split: float = 0.2,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: `x` 1-D object arrays of int lists, `y` topic indices 0–45.

    Same steps as Keras: shuffle with `np.random.RandomState(seed)`, encode as in `imdb.load_data`, then
    the first `int(n · (1 - test_split))` newswires are the training set.
    """
    check_test_split(test_split)
    file = get_file(path, default_name="reuters.npz", origin=ORIGIN, file_hash=FILE_HASH)
    arrays = read_npz(file, ("x", "y"))
    x, y = arrays["x"], arrays["y"]
    if len(x) != len(y):
        raise DatasetFileError(f"{str(file)!r}: x has {len(x)} rows but y has {len(y)}.")
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    xs, kept = prepare(
        list(x[indices]),
        num_words=num_words,
        skip_top=skip_top,
        maxlen=maxlen,
        start_char=start_char,
        oov_char=oov_char,
        index_from=index_from,
    )
    labels = y[indices][kept]
    split = int(len(xs) * (1 - test_split))
    return (as_object_array(xs[:split]), labels[:split]), (as_object_array(xs[split:]), labels[split:])


def get_word_index(path: str | os.PathLike = "reuters_word_index.json") -> dict[str, int]:
    """The word → index dictionary (indices before the `index_from` shift)."""
    return load_word_index(path, "reuters_word_index.json", WORD_INDEX_HASH)
