"""Fashion-MNIST, as `keras.datasets.fashion_mnist.load_data`: Zalando's 28×28 clothing images in the
four gzipped IDX files Keras downloads (cached in the folder `fashion-mnist`)."""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from ._arrays import KERAS_ORIGIN
from ._files import DatasetFileError, get_file

FILE_HASHES = {
    "train-labels-idx1-ubyte.gz": "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
    "train-images-idx3-ubyte.gz": "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
    "t10k-labels-idx1-ubyte.gz": "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
    "t10k-images-idx3-ubyte.gz": "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
}
LABELS_MAGIC = 2049
IMAGES_MAGIC = 2051


def read_idx(file: Path, *, images: bool) -> np.ndarray:
    """A gzipped IDX file (big-endian header: magic, count[, rows, cols]) as uint8, checking its header."""
    try:
        with gzip.open(file, "rb") as handle:
            raw = handle.read()
    except (OSError, EOFError, zlib.error) as error:
        raise DatasetFileError(
            f"{str(file)!r} is not a valid gzip file ({error}); it may be truncated."
        ) from None
    header_words = 4 if images else 2
    header = np.frombuffer(raw[: 4 * header_words], dtype=">u4")
    magic = IMAGES_MAGIC if images else LABELS_MAGIC
    if len(header) != header_words or header[0] != magic:
        raise DatasetFileError(f"{str(file)!r} is not an IDX {'image' if images else 'label'} file.")
    shape = tuple(int(n) for n in header[1:])
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 * header_words)
    if data.size != int(np.prod(shape)):
        raise DatasetFileError(
            f"{str(file)!r} declares shape {shape} but holds {data.size} bytes of data; it may be truncated."
        )
    return data.reshape(shape)


def load_data(
    path: str | os.PathLike = "fashion-mnist",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: uint8 images (60000, 28, 28) and (10000, 28, 28), uint8
    labels 0–9. `path` is the folder of the four files, relative to the cache folder or absolute."""
    files = {
        name: get_file(
            Path(path) / name,
            default_name=name,
            origin=KERAS_ORIGIN + name,
            file_hash=digest,
        )
        for name, digest in FILE_HASHES.items()
    }
    y_train = read_idx(files["train-labels-idx1-ubyte.gz"], images=False)
    x_train = read_idx(files["train-images-idx3-ubyte.gz"], images=True)
    y_test = read_idx(files["t10k-labels-idx1-ubyte.gz"], images=False)
    x_test = read_idx(files["t10k-images-idx3-ubyte.gz"], images=True)
    return (x_train, y_train), (x_test, y_test)
