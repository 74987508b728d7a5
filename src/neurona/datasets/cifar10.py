"""CIFAR-10, with `keras.datasets.cifar10.load_data`'s shapes and dtypes, read from the canonical *binary*
archive `cifar-10-binary.tar.gz` (no pickle). The publisher lists an MD5 only, so that is what is checked."""

from __future__ import annotations

import os

import numpy as np

from ._cifar import parse_records, read_members
from ._files import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
FILE_HASH = "c32a1d4ab5d03f1284b67883e8d87530"
HASH_ALGORITHM = "md5"
FOLDER = "cifar-10-batches-bin"
TRAIN = [f"{FOLDER}/data_batch_{i}.bin" for i in range(1, 6)]
TEST = f"{FOLDER}/test_batch.bin"


def load_data(
    path: str | os.PathLike = "cifar-10-binary.tar.gz",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """`(x_train, y_train), (x_test, y_test)`: uint8 images (50000, 32, 32, 3) and (10000, 32, 32, 3),
    uint8 labels (n, 1) in 0–9. `path`: relative to the cache folder, or an absolute path to your copy."""
    file = get_file(
        path,
        default_name="cifar-10-binary.tar.gz",
        origin=ORIGIN,
        file_hash=FILE_HASH,
        hash_algorithm=HASH_ALGORITHM,
    )
    members = read_members(file, TRAIN + [TEST])
    train = [parse_records(members[name], 1, name) for name in TRAIN]
    x_test, y_test = parse_records(members[TEST], 1, TEST)
    x_train = np.concatenate([images for images, _ in train])
    y_train = np.concatenate([labels for _, labels in train])
    return (x_train, y_train), (x_test, y_test)
